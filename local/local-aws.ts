import { AsyncLambdaInvocations } from './lambda/async-invocations';
import { InProcessLambdas } from './lambda/in-process-lambdas';
import type { LocalEventBridge } from './eventbridge/local-event-bridge';
import { claimProcessEnvironment, sharedLambdaEnvironment } from './wiring/lambda-environment';
import { pipelineEnvironment, sdkEnvironment } from './wiring/pipeline-environment';
import { forwardObjectCreated } from './wiring/s3-event-forwarding';
import { startAwsEndpoint, type AwsEndpoint, type AwsEndpointOptions } from './aws-endpoint';
import { startS3Emulator, type S3Emulator } from './s3/s3-emulator';
import type { SqsBroker } from './sqs/sqs-broker';
import { LocalStepFunctions } from './stepfunctions/local-step-functions';
import { stepFunctionsService } from './stepfunctions/step-functions-service';
import type { ResourceListing, StackModel } from './template/stack-model';

export interface LocalAwsOptions extends Omit<AwsEndpointOptions, 'stateMachines'> {
  /** Port of the S3 endpoint; default 0, a free one. */
  readonly s3Port?: number;
  /** Where S3 keeps objects; default a temporary folder, removed on stop. */
  readonly s3Directory?: string;
  /** Local-only variables for the in-process Lambdas (e.g. POWERTOOLS_LOG_LEVEL=SILENT); they win over the template's. */
  readonly lambdaEnvironment?: Readonly<Record<string, string>>;
  /** Where start-up lists what is not emulated and S3 reports refused events; default stderr. */
  readonly log?: (line: string) => void;
}

export interface LocalAws {
  /** SQS, EventBridge and Step Functions (AWS_ENDPOINT_URL). */
  readonly endpoint: string;
  /** S3 (AWS_ENDPOINT_URL_S3), path-style, credentials LOCAL_CREDENTIALS. */
  readonly s3Endpoint: string;
  /** What the worker and tools need, as KEY=value: SDK endpoints, region, credentials, the stack outputs. */
  readonly env: Readonly<Record<string, string>>;
  /** The SDK's endpoint, region and credential variables of `env` alone. */
  readonly sdkEnv: Readonly<Record<string, string>>;
  readonly model: StackModel;
  readonly sqs: SqsBroker;
  readonly eventBridge: LocalEventBridge;
  readonly stepFunctions: LocalStepFunctions;
  /** Resources (or parts) of the template that a local run does not emulate; also logged at start. */
  readonly unsupported: readonly ResourceListing[];
  /** Settles when every accepted asynchronous Lambda invocation (EventBridge's Lambda targets) has ended. */
  lambdaInvocationsSettled(): Promise<void>;
  /** Aborts running executions, stops S3 and the endpoint, and puts process.env back. */
  stop(): Promise<void>;
}

interface StartedParts {
  aws?: AwsEndpoint;
  stepFunctions?: LocalStepFunctions;
  asyncInvocations?: AsyncLambdaInvocations;
  s3?: S3Emulator;
  restoreEnvironment?: () => void;
}

/**
 * The whole pipeline of a synthesized template on this machine: S3 (s3rver) whose EventBridge-enabled
 * buckets put "Object Created" on the default bus, SQS and EventBridge, and Step Functions running the
 * state machines with the Lambdas in this process. process.env gets what those Lambdas read (the SDK
 * endpoints and every function's variables: see pipeline/lambda-environment.ts), so one runtime runs per
 * process at a time.
 */
export async function startLocalAws(options: LocalAwsOptions): Promise<LocalAws> {
  const log = options.log ?? ((line: string) => console.error(line));
  const parts: StartedParts = {};
  try {
    const aws = (parts.aws = await startAwsEndpoint(options));
    const { model } = aws;
    const lambdas = new InProcessLambdas(model.functions);
    const stepFunctions = (parts.stepFunctions = new LocalStepFunctions(model.stateMachines, {
      lambdas,
      events: aws.eventBridge,
      // "Step Functions Execution Status Change" goes on the default bus, as AWS puts it there.
      serviceEvents: aws.eventBridge,
    }));
    aws.mount(stepFunctionsService(stepFunctions));
    aws.eventBridge.connectStateMachines(stepFunctions);
    const asyncInvocations = (parts.asyncInvocations = new AsyncLambdaInvocations(lambdas, aws.sqs));
    aws.eventBridge.connectFunctions(asyncInvocations);
    const s3 = (parts.s3 = await startS3Emulator({
      buckets: model.buckets.map((bucket) => bucket.name),
      accountId: model.environment.accountId,
      port: options.s3Port,
      directory: options.s3Directory,
      onObjectCreated: forwardObjectCreated(model.buckets, aws.eventBridge, log),
    }));
    const sdk = sdkEnvironment({
      endpoint: aws.endpoint,
      s3Endpoint: s3.endpoint,
      region: model.environment.region,
    });
    parts.restoreEnvironment = claimProcessEnvironment(
      sharedLambdaEnvironment(model.functions, sdk, options.lambdaEnvironment),
    );
    const unsupported = [...model.unsupported, ...stepFunctions.unsupported];
    for (const { logicalId, type, reason } of unsupported) {
      log(`local AWS runtime: not emulated: ${logicalId} (${type}): ${reason}`);
    }
    return {
      endpoint: aws.endpoint,
      s3Endpoint: s3.endpoint,
      env: pipelineEnvironment(sdk, model.outputs),
      sdkEnv: sdk,
      model,
      sqs: aws.sqs,
      eventBridge: aws.eventBridge,
      stepFunctions,
      unsupported,
      lambdaInvocationsSettled: () => asyncInvocations.settled(),
      stop: () => stopParts(parts),
    };
  } catch (error) {
    await stopParts(parts);
    throw error;
  }
}

/** Executions first (their Tasks still use S3 and the endpoint), the environment last. */
async function stopParts(parts: StartedParts): Promise<void> {
  await parts.stepFunctions?.stop();
  await parts.asyncInvocations?.settled();
  await parts.s3?.stop();
  await parts.aws?.stop();
  parts.restoreEnvironment?.();
}
