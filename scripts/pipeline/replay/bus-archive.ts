import {
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  ListArchivesCommand,
  type Archive,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';

export interface BusArchive {
  readonly busName: string;
  readonly busArn: string;
  readonly archiveName: string;
  /** StartReplay's EventSourceArn. */
  readonly archiveArn: string;
}

/** The bus has no archive to replay from (or several, none of them the stack's); exit 1. */
export class NoArchiveError extends Error {
  override readonly name = 'NoArchiveError';
}

async function archivesOf(eventBridge: EventBridgeClient, busArn: string): Promise<Archive[]> {
  const archives: Archive[] = [];
  let NextToken: string | undefined;
  do {
    const page = await eventBridge.send(new ListArchivesCommand({ EventSourceArn: busArn, NextToken }));
    archives.push(...(page.Archives ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return archives;
}

/**
 * The archive of the bus, found without typing it: the bus's ARN (DescribeEventBus), its archives
 * (ListArchives by EventSourceArn). The stack creates one, `<bus>-archive` (lib/constructs/
 * product-messaging.ts); when someone added others, that one is taken. ListArchives does not give the
 * ARN StartReplay needs, DescribeArchive does.
 */
export async function findBusArchive(eventBridge: EventBridgeClient, busName: string): Promise<BusArchive> {
  const { Arn: busArn } = await eventBridge.send(new DescribeEventBusCommand({ Name: busName }));
  const archives = await archivesOf(eventBridge, busArn!);
  const archive =
    archives.find((candidate) => candidate.ArchiveName === `${busName}-archive`) ??
    (archives.length === 1 ? archives[0] : undefined);
  if (!archive) {
    throw new NoArchiveError(
      archives.length === 0
        ? `bus ${busName} has no archive to replay from`
        : `bus ${busName} has ${archives.length} archives (${archives.map((a) => a.ArchiveName).join(', ')}), none named ${busName}-archive`,
    );
  }
  const { ArchiveArn } = await eventBridge.send(
    new DescribeArchiveCommand({ ArchiveName: archive.ArchiveName }),
  );
  return { busName, busArn: busArn!, archiveName: archive.ArchiveName!, archiveArn: ArchiveArn! };
}
