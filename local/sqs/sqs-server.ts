import { AwsJsonRouter, type AwsJsonService } from '../aws-json/aws-json-protocol';
import { listen } from '../aws-json/http-listener';
import type { Clock } from '../clock';
import { batchOperations } from './batch-operations';
import { MessageMoveTasks } from './message-move-tasks';
import { messageOperations } from './message-operations';
import { queueOperations } from './queue-operations';
import { SqsBroker } from './sqs-broker';

export interface SqsServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  readonly region?: string;
  readonly accountId?: string;
  readonly clock?: Clock;
}

export interface RunningSqsServer {
  /** What SQS clients use as `endpoint`; queue URLs start with it. */
  readonly endpoint: string;
  /** The queues, for in-process use (other emulators, tests). */
  readonly broker: SqsBroker;
  /** Ends pending long polls, then closes the server. */
  close(): Promise<void>;
}

/** The SQS API in the AWS JSON 1.0 protocol the current @aws-sdk/client-sqs speaks. */
export function sqsService(broker: SqsBroker): AwsJsonService {
  return {
    targetPrefix: 'AmazonSQS',
    jsonVersion: '1.0',
    errorTypePrefix: 'com.amazonaws.sqs#',
    queryCompatible: true,
    operations: {
      ...queueOperations(broker, new MessageMoveTasks(broker)),
      ...messageOperations(broker),
      ...batchOperations(broker),
    },
  };
}

/** SQS alone on its own port (the runtime serves it together with EventBridge). */
export async function startSqsServer(options: SqsServerOptions = {}): Promise<RunningSqsServer> {
  const listener = await listen(options.host, options.port);
  const broker = new SqsBroker({
    endpoint: listener.endpoint,
    region: options.region,
    accountId: options.accountId,
    clock: options.clock,
  });
  const router = new AwsJsonRouter();
  router.mount(sqsService(broker));
  listener.serve(router.listener);
  return {
    endpoint: listener.endpoint,
    broker,
    close: async () => {
      broker.close();
      await listener.close();
    },
  };
}
