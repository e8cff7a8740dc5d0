import { AwsServiceError } from '../aws-json/aws-service-error';
import type { OperationHandler } from '../aws-json/aws-json-protocol';
import { InputFields } from '../aws-json/input-fields';
import { isJsonObject, type JsonObject } from '../aws-json/json';
import type { EventArchive } from './event-archive';
import type { Replay } from './event-replays';
import { eventBridgeInputErrors } from './input-errors';
import type { LocalEventBridge } from './local-event-bridge';

/** JSON 1.1 timestamps are epoch seconds. */
const seconds = (milliseconds: number) => milliseconds / 1000;

/**
 * ListArchives, DescribeArchive, StartReplay, DescribeReplay, ListReplays and CancelReplay, with the
 * members of the EventBridge API Reference; which members each answer holds (ListArchives without
 * ArchiveArn, StartReplay without StateReason, …) follows AWS's answers as LocalStack recorded them.
 * The archives are the template's: CreateArchive, UpdateArchive and DeleteArchive are not offered.
 */
export function archiveReplayOperations(eventBridge: LocalEventBridge): Record<string, OperationHandler> {
  const fields = (input: JsonObject) => new InputFields(input, eventBridgeInputErrors);
  const archiveNamed = (name: string) => {
    const archive = eventBridge.archives.find((candidate) => candidate.model.name === name);
    if (!archive) throw new AwsServiceError('ResourceNotFoundException', `Archive ${name} does not exist.`);
    return archive;
  };

  return {
    ListArchives: (input) => {
      const prefix = fields(input).optionalString('NamePrefix') ?? '';
      const sourceArn = fields(input).optionalString('EventSourceArn');
      const state = fields(input).optionalString('State');
      if (sourceArn !== undefined && !eventBridge.findBus(sourceArn)) {
        const name = sourceArn.split('/').at(-1);
        throw new AwsServiceError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
      }
      const archives = eventBridge.archives.filter(
        ({ model }) =>
          model.name.startsWith(prefix) &&
          (sourceArn === undefined || model.eventSourceArn === sourceArn) &&
          (state === undefined || state === 'ENABLED'),
      );
      return {
        Archives: archives.map((archive) => ({
          ArchiveName: archive.model.name,
          ...archiveSummary(archive),
        })),
      };
    },
    DescribeArchive: (input) => {
      const archive = archiveNamed(fields(input).requiredString('ArchiveName'));
      const { model } = archive;
      const described: JsonObject = { ArchiveArn: model.arn, ArchiveName: model.name };
      if (model.description !== undefined) described.Description = model.description;
      if (model.eventPattern !== undefined) described.EventPattern = JSON.stringify(model.eventPattern);
      return { ...described, ...archiveSummary(archive) };
    },
    StartReplay: (input) => {
      const member = fields(input);
      const destination = input.Destination;
      if (!isJsonObject(destination)) throw eventBridgeInputErrors.missing('Destination');
      const destinationFields = new InputFields(destination, eventBridgeInputErrors);
      const replay = eventBridge.replays.start({
        replayName: member.requiredString('ReplayName'),
        description: member.optionalString('Description'),
        eventSourceArn: member.requiredString('EventSourceArn'),
        eventStartTime: requiredTimestamp(input, 'EventStartTime'),
        eventEndTime: requiredTimestamp(input, 'EventEndTime'),
        destination: {
          arn: destinationFields.requiredString('Arn'),
          filterArns: destinationFields.optionalStringList('FilterArns'),
        },
      });
      return {
        ReplayArn: replay.arn,
        State: replay.state,
        ReplayStartTime: seconds(replay.replayStartTime),
      };
    },
    DescribeReplay: (input) => {
      const replay = eventBridge.replays.describe(fields(input).requiredString('ReplayName'));
      const destination: JsonObject = { Arn: replay.destination.arn };
      if (replay.destination.filterArns?.length) destination.FilterArns = [...replay.destination.filterArns];
      const described: JsonObject = { ReplayName: replay.replayName, ReplayArn: replay.arn };
      if (replay.description !== undefined) described.Description = replay.description;
      return { ...described, ...replaySummary(replay), Destination: destination };
    },
    ListReplays: (input) => {
      const prefix = fields(input).optionalString('NamePrefix') ?? '';
      const state = fields(input).optionalString('State');
      const sourceArn = fields(input).optionalString('EventSourceArn');
      const replays = eventBridge.replays
        .list()
        .filter(
          (replay) =>
            replay.replayName.startsWith(prefix) &&
            (state === undefined || replay.state === state) &&
            (sourceArn === undefined || replay.eventSourceArn === sourceArn),
        );
      return {
        Replays: replays.map((replay) => ({ ReplayName: replay.replayName, ...replaySummary(replay) })),
      };
    },
    CancelReplay: (input) => {
      const replay = eventBridge.replays.cancel(fields(input).requiredString('ReplayName'));
      return { ReplayArn: replay.arn, State: replay.state };
    },
  };
}

/** The members ListArchives and DescribeArchive share. Archives of the template are ENABLED from the start. */
function archiveSummary(archive: EventArchive): JsonObject {
  return {
    EventSourceArn: archive.model.eventSourceArn,
    State: 'ENABLED',
    RetentionDays: archive.model.retentionDays ?? 0,
    SizeBytes: archive.sizeBytes,
    EventCount: archive.eventCount,
    CreationTime: seconds(archive.creationTime),
  };
}

/** The members ListReplays and DescribeReplay share; absent times are left out, as AWS does. */
function replaySummary(replay: Replay): JsonObject {
  const summary: JsonObject = {
    EventSourceArn: replay.eventSourceArn,
    State: replay.state,
    EventStartTime: seconds(replay.eventStartTime),
    EventEndTime: seconds(replay.eventEndTime),
    ReplayStartTime: seconds(replay.replayStartTime),
  };
  if (replay.stateReason !== undefined) summary.StateReason = replay.stateReason;
  if (replay.eventLastReplayedTime !== undefined)
    summary.EventLastReplayedTime = seconds(replay.eventLastReplayedTime);
  if (replay.replayEndTime !== undefined) summary.ReplayEndTime = seconds(replay.replayEndTime);
  return summary;
}

/** A timestamp member (epoch seconds in JSON 1.1), in epoch milliseconds. */
function requiredTimestamp(input: JsonObject, name: string): number {
  const value = input[name];
  if (value === undefined || value === null) throw eventBridgeInputErrors.missing(name);
  if (typeof value !== 'number') throw eventBridgeInputErrors.invalid(`${name} must be a timestamp.`);
  return value * 1000;
}
