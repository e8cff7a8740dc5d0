import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AwsJsonRouter, type AwsJsonService } from './aws-json/aws-json-protocol';
import { listen } from './aws-json/http-listener';
import type { Clock } from './clock';
import { eventBridgeService } from './eventbridge/eventbridge-service';
import { LocalEventBridge } from './eventbridge/local-event-bridge';
import type { DeliveryOptions, StateMachineStarter } from './eventbridge/target-delivery';
import { SqsBroker } from './sqs/sqs-broker';
import { sqsService } from './sqs/sqs-server';
import { createTemplateQueues } from './sqs/template-queues';
import { loadStackTemplate } from './template/load-stack-template';
import type { StackModel } from './template/stack-model';

export interface AwsEndpointOptions {
  /** A synthesized template, e.g. cdk.out/ProductPipeline-dev.template.json. */
  readonly templatePath: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default us-east-1. */
  readonly region?: string;
  /** Default 000000000000. */
  readonly accountId?: string;
  /** Starts executions for state machine targets; may also be attached later (eventBridge.connectStateMachines). */
  readonly stateMachines?: StateMachineStarter;
  /** Local retries of failing target deliveries (default: 2 retries, from 10 ms). */
  readonly delivery?: Partial<DeliveryOptions>;
  readonly clock?: Clock;
  /** Where lambdas/handlers/ lives (default: this repository). */
  readonly projectRoot?: string;
  /**
   * Where EventBridge archives write their events, `<archive name>.jsonl` each (emptied at start);
   * default a temporary folder, removed on stop.
   */
  readonly archiveDirectory?: string;
}

export interface AwsEndpoint {
  /**
   * The one endpoint of SQS and EventBridge (and of any JSON service mounted later), e.g.
   * http://127.0.0.1:4566: what AWS_ENDPOINT_URL or a client's `endpoint` is set to.
   */
  readonly endpoint: string;
  /** The template as the runtime sees it: local names, ARNs and URLs, and what it does not emulate. */
  readonly model: StackModel;
  /** The queues, for in-process use: `sendMessage(queueArn, body, attributes)`. */
  readonly sqs: SqsBroker;
  /** The buses and rules, for in-process use: `putEvent(busName, entry)`, `connectStateMachines(starter)`. */
  readonly eventBridge: LocalEventBridge;
  /** Serves another AWS JSON service (e.g. Step Functions, `AWSStepFunctions`) on the same endpoint. */
  mount(service: AwsJsonService): void;
  /** Ends long polls and replays, closes the endpoint and the archive files. */
  stop(): Promise<void>;
}

/**
 * Starts SQS and EventBridge on one local endpoint with the queues, buses and rules of a synthesized
 * template; requests are told apart by their X-Amz-Target. S3 and Step Functions are separate parts.
 */
export async function startAwsEndpoint(options: AwsEndpointOptions): Promise<AwsEndpoint> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const listener = await listen(options.host, options.port);
  const sqs = new SqsBroker({ endpoint: listener.endpoint, region, accountId, clock: options.clock });
  const archiveDirectory =
    options.archiveDirectory ?? mkdtempSync(path.join(tmpdir(), 'local-eventbridge-archives-'));
  let eventBridge: LocalEventBridge | undefined;
  const stop = async () => {
    sqs.close();
    await listener.close();
    // After the listener: no PutEvents can reach an archive once its file is closed.
    await eventBridge?.close();
    if (!options.archiveDirectory) rmSync(archiveDirectory, { recursive: true, force: true });
  };
  try {
    const model = loadStackTemplate(options.templatePath, {
      region,
      accountId,
      sqsEndpoint: listener.endpoint,
      projectRoot: options.projectRoot,
    });
    createTemplateQueues(sqs, model.queues);
    eventBridge = new LocalEventBridge({
      eventBuses: model.eventBuses,
      rules: model.rules,
      archives: model.archives,
      archiveDirectory,
      accountId,
      region,
      queues: sqs,
      stateMachines: options.stateMachines,
      delivery: options.delivery,
      clock: options.clock,
    });
    const router = new AwsJsonRouter();
    router.mount(sqsService(sqs));
    router.mount(eventBridgeService(eventBridge));
    listener.serve(router.listener);
    return {
      endpoint: listener.endpoint,
      model,
      sqs,
      eventBridge,
      mount: (service) => router.mount(service),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
