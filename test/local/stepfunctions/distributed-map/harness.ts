import * as path from 'node:path';
import { PutObjectCommand, S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import type { JsonObject, JsonValue } from '../../../../local/aws-json/json';
import type { PutEventsEntry } from '../../../../local/eventbridge/event-entry';
import type { PutEventsResultEntry } from '../../../../local/eventbridge/local-event-bridge';
import { InProcessLambdas } from '../../../../local/lambda/in-process-lambdas';
import { LOCAL_CREDENTIALS, startS3Emulator, type S3Emulator } from '../../../../local/s3/s3-emulator';
import type { LocalExecution } from '../../../../local/stepfunctions/local-execution';
import { LocalStepFunctions } from '../../../../local/stepfunctions/local-step-functions';
import type { FunctionModel, StateMachineModel } from '../../../../local/template/stack-model';

export const BUCKET = 'map-data';
const ACCOUNT = '000000000000';
const HANDLERS = path.join(__dirname, 'concurrency-handlers.ts');

export const lambdaArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
export const machineArn = (name: string) => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${name}`;

const countConcurrent: FunctionModel = {
  logicalId: 'countConcurrent',
  name: 'countConcurrent',
  arn: lambdaArn('countConcurrent'),
  constructPath: 'Test/countConcurrent/Function/Resource',
  handlerSource: HANDLERS,
  handlerExport: 'countConcurrent',
  environment: {},
  timeoutSeconds: 30,
  memorySize: 128,
};

/** Records what Step Functions puts on the default bus ("Execution Status Change"). */
export class RecordingServiceEvents {
  readonly events: { bus: string; detailType: string; resources: string[]; detail: JsonObject }[] = [];

  async putEvent(bus: string, entry: Omit<PutEventsEntry, 'EventBusName'>): Promise<PutEventsResultEntry> {
    expect(entry.Source).toBe('aws.states');
    this.events.push({
      bus,
      detailType: entry.DetailType!,
      resources: [...(entry.Resources ?? [])],
      detail: JSON.parse(entry.Detail!) as JsonObject,
    });
    return { EventId: String(this.events.length) };
  }

  of(executionArn: string) {
    return this.events.filter((event) => event.detail.executionArn === executionArn);
  }
}

export interface MapRuntime {
  readonly stepFunctions: LocalStepFunctions;
  readonly serviceEvents: RecordingServiceEvents;
  readonly s3: S3Client;
  run(machine: string, input?: JsonValue): Promise<LocalExecution>;
  upload(key: string, body: string | Buffer): Promise<void>;
  download(key: string): Promise<string>;
  stop(): Promise<void>;
}

export const standard = (name: string, definition: object): StateMachineModel => ({
  logicalId: name,
  name,
  arn: machineArn(name),
  type: 'STANDARD',
  definition: definition as JsonObject,
});

/** Step Functions with the given machines, over a real local S3 (s3rver) holding BUCKET. */
export async function startMapRuntime(machines: readonly StateMachineModel[]): Promise<MapRuntime> {
  const emulator: S3Emulator = await startS3Emulator({ buckets: [BUCKET], accountId: ACCOUNT });
  const s3 = new S3Client({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
  });
  const serviceEvents = new RecordingServiceEvents();
  const stepFunctions = new LocalStepFunctions(machines, {
    lambdas: new InProcessLambdas([countConcurrent]),
    events: { putEvents: async (entries) => entries.map((_, index) => ({ EventId: String(index) })) },
    serviceEvents,
    s3: () => s3,
  });
  return {
    stepFunctions,
    serviceEvents,
    s3,
    async run(machine, input = {}) {
      const execution = stepFunctions.start({
        stateMachineArn: machineArn(machine),
        input: JSON.stringify(input),
      });
      await execution.finished;
      return execution;
    },
    async upload(key, body) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    },
    async download(key) {
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return object.Body!.transformToString();
    },
    async stop() {
      await stepFunctions.stop();
      s3.destroy();
      await emulator.stop();
    },
  };
}

export const outputOf = (execution: LocalExecution) => JSON.parse(execution.output ?? 'null') as JsonValue;

/** A child machine that echoes its input, or fails when the input has `"fail": true`. */
export const echoOrFail = {
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.fail', IsPresent: true },
            { Variable: '$.fail', BooleanEquals: true },
          ],
          Next: 'Fail',
        },
      ],
      Default: 'Echo',
    },
    Echo: { Type: 'Pass', End: true },
    Fail: { Type: 'Fail', Error: 'ItemFailed', Cause: 'the item asked to fail' },
  },
};

/** A Distributed Map state with the given fields around an ItemProcessor. */
export function distributedMap(
  fields: JsonObject,
  processor: object = echoOrFail,
  executionType = 'STANDARD',
) {
  return {
    Type: 'Map',
    ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: executionType }, ...processor },
    ...(fields.Next === undefined ? { End: true } : {}),
    ...fields,
  };
}
