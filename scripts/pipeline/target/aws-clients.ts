import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Connection } from './pipeline-target';

export interface AwsClients {
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  readonly sfn: SFNClient;
  readonly eventBridge: EventBridgeClient;
  /** On AWS only: the local runtime has no CloudWatch. */
  readonly cloudWatch?: CloudWatchClient;
  destroy(): void;
}

/** One client per service, configured from the connection only (never from this process's environment). */
export function clientsFor(connection: Connection): AwsClients {
  const common = {
    ...(connection.region !== undefined && { region: connection.region }),
    ...(connection.credentials !== undefined && { credentials: connection.credentials }),
  };
  const endpoint = connection.endpoint === undefined ? {} : { endpoint: connection.endpoint };
  const clients = {
    ...(connection.endpoint === undefined && { cloudWatch: new CloudWatchClient(common) }),
    sqs: new SQSClient({ ...common, ...endpoint }),
    sfn: new SFNClient({ ...common, ...endpoint }),
    eventBridge: new EventBridgeClient({ ...common, ...endpoint }),
    s3: new S3Client({
      ...common,
      ...(connection.s3Endpoint !== undefined && { endpoint: connection.s3Endpoint }),
      forcePathStyle: connection.s3ForcePathStyle,
    }),
  };
  return { ...clients, destroy: () => Object.values(clients).forEach((client) => client.destroy()) };
}
