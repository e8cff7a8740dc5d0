import {
  DescribeEventBusCommand,
  EventBridgeClient,
  ListRulesCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { DeleteQueueCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { StateMachineStarter } from '../../local/eventbridge/target-delivery';
import { startAwsEndpoint, type AwsEndpoint } from '../../local/aws-endpoint';
import { synthesizeTemplate } from './synthesized-template';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Records executions; fails the next `failures` starts, as an unavailable Step Functions would. */
class RecordingStateMachines implements StateMachineStarter {
  readonly started: Array<{ stateMachineArn: string; input: string }> = [];
  failures = 0;
  attempts = 0;

  async startExecution(stateMachineArn: string, input: string): Promise<void> {
    this.attempts += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('Step Functions is unavailable');
    }
    this.started.push({ stateMachineArn, input });
  }
}

let runtime: AwsEndpoint;
let events: EventBridgeClient;
let sqs: SQSClient;
const stateMachines = new RecordingStateMachines();

beforeAll(async () => {
  runtime = await startAwsEndpoint({
    templatePath: synthesizeTemplate(),
    stateMachines,
    delivery: { retryDelayMs: 1 },
  });
  // One endpoint serves both services, as AWS_ENDPOINT_URL configures them.
  events = new EventBridgeClient({ endpoint: runtime.endpoint, region: 'us-east-1', credentials });
  sqs = new SQSClient({ endpoint: runtime.endpoint, region: 'us-east-1', credentials });
});
afterAll(async () => {
  events.destroy();
  sqs.destroy();
  await runtime.stop();
});

const queueUrl = (name: string) => runtime.model.queues.find((queue) => queue.name === name)!.url;

const drain = async (name: string): Promise<Message[]> =>
  (
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl(name),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    )
  ).Messages ?? [];

const putEvents = (...Entries: PutEventsRequestEntry[]) => events.send(new PutEventsCommand({ Entries }));

const ingestBucket = () => runtime.model.buckets.find((bucket) => bucket.eventBridgeEnabled)!.name;

/** An S3 "Object Created" event as S3 puts it on the default bus. */
const objectCreated = (key: string) => ({
  Source: 'aws.s3',
  DetailType: 'Object Created',
  Resources: [`arn:aws:s3:::${ingestBucket()}`],
  Detail: JSON.stringify({
    version: '0',
    bucket: { name: ingestBucket() },
    object: { key, size: 120, etag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0062E99A88DC407460' },
    'request-id': 'local',
    requester: '000000000000',
    reason: 'PutObject',
  }),
});

describe('PutEvents → rules → targets, on the synthesized template', () => {
  it('delivers a ProductIngested event to product-ingest-dev in the EventBridge envelope', async () => {
    const detail = { ingestion: { ingestionId: 'ing-1', index: 0 }, product: { externalId: 'shein:1' } };
    const result = await putEvents({
      EventBusName: 'products-dev',
      Source: 'product-pipeline.ingestion',
      DetailType: 'ProductIngested',
      Detail: JSON.stringify(detail),
    });
    expect(result.FailedEntryCount).toBe(0);

    const [message] = await drain('product-ingest-dev');
    const envelope = JSON.parse(message.Body!);
    expect(Object.keys(envelope)).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    expect(envelope).toEqual({
      version: '0',
      id: result.Entries![0].EventId,
      'detail-type': 'ProductIngested',
      source: 'product-pipeline.ingestion',
      account: '000000000000',
      time: expect.stringMatching(ISO_SECONDS),
      region: 'us-east-1',
      resources: [],
      detail,
    });
    expect(await drain('medusa-sync-dev')).toEqual([]);
  });

  it('delivers a ProductPublished event, addressed by bus ARN, to medusa-sync-dev with its own time', async () => {
    const busArn = runtime.model.eventBuses.find((bus) => bus.name === 'products-dev')!.arn;
    await putEvents({
      EventBusName: busArn,
      Source: 'product-pipeline.pimcore',
      DetailType: 'ProductPublished',
      Detail: JSON.stringify({ pimcoreId: 42, deliveryId: 'd-1' }),
      Time: new Date('2025-03-04T05:06:07.890Z'),
    });
    const [message] = await drain('medusa-sync-dev');
    expect(JSON.parse(message.Body!)).toMatchObject({
      time: '2025-03-04T05:06:07Z',
      detail: { pimcoreId: 42 },
    });
    expect(await drain('product-ingest-dev')).toEqual([]);
  });

  it('accepts events no rule matches without delivering them', async () => {
    const result = await putEvents({
      EventBusName: 'products-dev',
      Source: 'product-pipeline.ingestion',
      DetailType: 'SomethingElse',
      Detail: '{}',
    });
    expect(result.Entries![0].EventId).toEqual(expect.any(String));
    expect([...(await drain('product-ingest-dev')), ...(await drain('medusa-sync-dev'))]).toEqual([]);
  });

  it('starts the ingestion state machine for every upload under incoming/ only', async () => {
    const bus = runtime.eventBridge;
    await bus.putEvent('default', objectCreated('staging/x.json'));
    expect(stateMachines.started).toEqual([]);

    const result = await bus.putEvent('default', objectCreated('incoming/x.txt'));
    expect(result).toEqual({ EventId: expect.any(String) });
    expect(stateMachines.started).toEqual([
      { stateMachineArn: runtime.model.outputs.StateMachineArn, input: expect.any(String) },
    ]);
    expect(JSON.parse(stateMachines.started[0].input)).toMatchObject({
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: { bucket: { name: ingestBucket() }, object: { key: 'incoming/x.txt' } },
    });
  });

  it('retries a failing state machine start, then parks the event in the target DLQ with the error', async () => {
    stateMachines.attempts = 0;
    stateMachines.failures = 3;
    await runtime.eventBridge.putEvent('default', objectCreated('incoming/y.json'));
    expect(stateMachines.attempts).toBe(3);

    const [message] = await drain('product-ingestion-trigger-dev-dlq');
    expect(JSON.parse(message.Body!)).toMatchObject({ detail: { object: { key: 'incoming/y.json' } } });
    const trigger = runtime.model.rules.find((rule) => rule.eventBusName === 'default')!;
    const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
    expect(attribute('ERROR_CODE')).toBe('SDK_CLIENT_ERROR');
    expect(attribute('ERROR_MESSAGE')).toBe('Step Functions is unavailable');
    expect(attribute('EXHAUSTED_RETRY_CONDITION')).toBe('MaximumRetryAttempts');
    expect(attribute('RETRY_ATTEMPTS')).toBe('2');
    expect(attribute('RULE_ARN')).toBe(trigger.arn);
    expect(attribute('TARGET_ARN')).toBe(runtime.model.outputs.StateMachineArn);
  });

  it('reports entry problems per entry and request problems as ValidationException', async () => {
    const valid = {
      EventBusName: 'products-dev',
      Source: 'product-pipeline.pimcore',
      DetailType: 'ProductPublished',
      Detail: '{}',
    };
    const result = await putEvents(
      { ...valid, Detail: undefined },
      { ...valid, Detail: '[1, 2]' },
      { ...valid, EventBusName: 'no-such-bus' },
      { ...valid, Source: 'aws.s3' },
      valid,
    );
    expect(result.FailedEntryCount).toBe(4);
    expect(result.Entries!.map((entry) => entry.ErrorCode ?? 'ok')).toEqual([
      'InvalidArgument',
      'MalformedDetail',
      'ResourceNotFoundException',
      'NotAuthorizedForSourceException',
      'ok',
    ]);
    await drain('medusa-sync-dev');

    await expect(putEvents(...Array.from({ length: 11 }, () => valid))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const large = { ...valid, Detail: JSON.stringify({ blob: 'x'.repeat(256 * 1024) }) };
    await expect(putEvents(large)).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('serves clients configured only by AWS_ENDPOINT_URL, as the project code is', async () => {
    const previous = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = runtime.endpoint;
    const plainEvents = new EventBridgeClient({ region: 'us-east-1', credentials });
    const plainSqs = new SQSClient({ region: 'us-east-1', credentials });
    try {
      await plainEvents.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: 'products-dev',
              Source: 'product-pipeline.pimcore',
              DetailType: 'ProductUnpublished',
              Detail: '{}',
            },
          ],
        }),
      );
      const { Messages } = await plainSqs.send(
        new ReceiveMessageCommand({ QueueUrl: runtime.model.outputs.MedusaSyncQueueUrl, WaitTimeSeconds: 0 }),
      );
      expect(JSON.parse(Messages![0].Body!)['detail-type']).toBe('ProductUnpublished');
    } finally {
      plainEvents.destroy();
      plainSqs.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = previous;
    }
  });

  it('describes the buses and lists their rules for tools', async () => {
    const bus = await events.send(new DescribeEventBusCommand({ Name: 'products-dev' }));
    expect(bus).toMatchObject({
      Name: 'products-dev',
      Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/products-dev',
    });
    const { Rules } = await events.send(new ListRulesCommand({ EventBusName: 'products-dev' }));
    expect(Rules?.map((rule) => JSON.parse(rule.EventPattern!).source[0]).sort()).toEqual([
      'product-pipeline.ingestion',
      'product-pipeline.pimcore',
    ]);
  });

  // Last: it deletes a queue of the shared runtime.
  it('sends an event whose target queue is gone to the target DLQ without retrying', async () => {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl('product-ingest-dev') }));
    await putEvents({
      EventBusName: 'products-dev',
      Source: 'product-pipeline.ingestion',
      DetailType: 'ProductIngested',
      Detail: JSON.stringify({ product: { externalId: 'shein:2' } }),
    });
    const [message] = await drain('product-ingest-dev-target-dlq');
    expect(JSON.parse(message.Body!)).toMatchObject({ detail: { product: { externalId: 'shein:2' } } });
    expect(message.MessageAttributes?.ERROR_CODE?.StringValue).toBe('NO_RESOURCE');
    expect(message.MessageAttributes?.RETRY_ATTEMPTS?.StringValue).toBe('0');
    expect(message.MessageAttributes?.EXHAUSTED_RETRY_CONDITION).toBeUndefined();
  });
});
