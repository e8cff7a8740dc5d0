import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import {
  DETAIL_TYPES,
  EVENT_SOURCES,
  INCOMING_PREFIX,
  S3_OBJECT_CREATED,
  SFN_STATUS_CHANGE,
} from '../../contracts/events';
import { ingestionKeys } from '../../contracts/workflow';
import { DeadLetterQueue } from './dead-letter-queue';
import { IngestionFunctions } from './ingestion-functions';

export interface IngestionWorkflowProps {
  readonly stage: string;
  readonly bucket: s3.IBucket;
  readonly bus: events.IEventBus;
  readonly functions: IngestionFunctions;
  /** Child workflows (one per staged batch) the Distributed Map runs at once. */
  readonly mapMaxConcurrency: number;
  /** Share of batches whose child workflow may fail before the Map stops (the rest still count). */
  readonly mapToleratedFailurePercent: number;
  readonly executionTimeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** Lambda service faults worth retrying; a handler's own errors (bad input) are final. */
const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
];

/** The "Execution Status Change" statuses of an execution that did not succeed. */
const FAILED_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/**
 * The ProductIngestion state machine (docs/architecture.md, "The state machine's I/O contract"), its
 * log group, the rule that starts it for every object uploaded under `incoming/`, and the rule that
 * reports every execution that does not succeed:
 *
 *   Prepare → Validate → (skipped?) → ForEachBatch (Distributed Map over Validate's batch manifest; one
 *     Express child workflow per batch: Transform → Publish; results written to S3) → Summarize
 *     → EmitCompleted → (all published?)
 *   skipped (not an export, by its name) → EmitSkipped (IngestionSkipped) → Succeed
 *   any fatal error → Failed
 *   execution FAILED / TIMED_OUT / ABORTED → (EventBridge rule) → ReportFailure → IngestionFailed
 *
 * The state holds keys and counts only, so no file size reaches Step Functions' 256 KiB payload limit,
 * and each batch's events are counted in its child execution, not in the 25,000 of this one.
 * IngestionFailed comes from the execution's status change, not from a state of its own: failures no
 * Catch can handle (States.DataLimitExceeded, the history limit, the execution timeout, a
 * StopExecution) are reported too, and each failure exactly once.
 * Validate, not the rule, decides which uploads are exports: a rule's pattern cannot match a suffix in
 * any letter case under a prefix, and an upload that starts nothing would go unnoticed.
 * The execution name is the ingestion id, so every report, staging key and event of one upload can be
 * traced back to its execution.
 */
export class IngestionWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  readonly trigger: events.Rule;
  readonly triggerDeadLetterQueue: DeadLetterQueue;
  readonly failureRule: events.Rule;
  readonly failureRuleDeadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: IngestionWorkflowProps) {
    super(scope, id);
    const { functions, bus } = props;

    const failed = new sfn.Fail(this, 'Failed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const catchFatal = { resultPath: '$.error' };

    const prepare = new sfn.Pass(this, 'Prepare', {
      comment: 'Keep only the S3 event detail; the execution name becomes the ingestion id.',
      parameters: {
        'ingestionId.$': '$$.Execution.Name',
        'detail.$': '$.detail',
      },
    });

    const validate = invoke(this, 'Validate', functions.validate.function, {
      payload: sfn.TaskInput.fromObject({
        ingestionId: sfn.JsonPath.stringAt('$.ingestionId'),
        detail: sfn.JsonPath.objectAt('$.detail'),
      }),
      resultPath: '$.validation',
    }).addCatch(failed, catchFatal);

    const transform = invoke(this, 'Transform', functions.transform.function, {});
    const publish = invoke(this, 'Publish', functions.publish.function, {});
    // Express children: a batch is two Lambda calls of a few seconds, far inside Express's 5 minutes,
    // at a fraction of Standard's per-transition price. Express runs a child at least once: a batch run
    // twice writes the same canonical bytes (Transform is deterministic) and puts the same
    // ProductIngested events, which the worker's ledger answers as duplicates (same content hash).
    const forEachBatch = new sfn.DistributedMap(this, 'ForEachBatch', {
      comment: "One child workflow per line of Validate's batch manifest.",
      label: 'Batches',
      itemReader: new sfn.S3JsonLItemReader({
        bucket: props.bucket,
        key: sfn.JsonPath.stringAt('$.validation.manifest.key'),
      }),
      itemSelector: {
        ingestionId: sfn.JsonPath.stringAt('$.ingestionId'),
        batchKey: sfn.JsonPath.stringAt('$$.Map.Item.Value.key'),
        count: sfn.JsonPath.numberAt('$$.Map.Item.Value.count'),
      },
      mapExecutionType: sfn.StateMachineType.EXPRESS,
      maxConcurrency: props.mapMaxConcurrency,
      toleratedFailurePercentage: props.mapToleratedFailurePercent,
      resultWriterV2: new sfn.ResultWriterV2({
        bucket: props.bucket,
        prefix: ingestionKeys.mapResultsPrefix,
      }),
      resultPath: '$.mapRun',
    });
    forEachBatch.itemProcessor(transform.next(publish));
    forEachBatch.addCatch(failed, catchFatal);

    const emitSkipped = new tasks.EventBridgePutEvents(this, 'EmitSkipped', {
      entries: [
        {
          eventBus: bus,
          source: EVENT_SOURCES.ingestion,
          detailType: DETAIL_TYPES.ingestionSkipped,
          detail: sfn.TaskInput.fromJsonPathAt('$.validation.skipped'),
        },
      ],
      resultPath: sfn.JsonPath.DISCARD,
    });
    retryEventBridge(emitSkipped);
    emitSkipped.addCatch(failed, catchFatal);

    const summarize = invoke(this, 'Summarize', functions.summarize.function, {
      payload: sfn.TaskInput.fromObject({
        validation: sfn.JsonPath.objectAt('$.validation'),
        mapRun: sfn.JsonPath.objectAt('$.mapRun'),
      }),
      resultPath: '$.summary',
    }).addCatch(failed, catchFatal);

    const emitCompleted = new tasks.EventBridgePutEvents(this, 'EmitCompleted', {
      entries: [
        {
          eventBus: bus,
          source: EVENT_SOURCES.ingestion,
          detailType: DETAIL_TYPES.ingestionCompleted,
          detail: sfn.TaskInput.fromJsonPathAt('$.summary'),
        },
      ],
      resultPath: sfn.JsonPath.DISCARD,
    });
    retryEventBridge(emitCompleted);
    emitCompleted.addCatch(failed, catchFatal);

    // Products that could not be published are in the report; the execution fails so that the
    // executions-failed alarm tells an operator to look at it (IngestionCompleted already said so).
    const allPublished = new sfn.Choice(this, 'AllPublished?')
      .when(
        sfn.Condition.numberGreaterThan('$.summary.counts.failed', 0),
        new sfn.Fail(this, 'ProductsNotPublished', {
          error: 'ProductsNotPublished',
          cause: 'Some products could not be published; see the ingestion report.',
        }),
      )
      .otherwise(new sfn.Succeed(this, 'Completed'));

    const skippedOrIngest = new sfn.Choice(this, 'Skipped?')
      .when(
        sfn.Condition.isPresent('$.validation.skipped'),
        emitSkipped.next(new sfn.Succeed(this, 'Skipped', { comment: 'Nothing was staged.' })),
      )
      .otherwise(forEachBatch.next(summarize).next(emitCompleted).next(allPublished));

    const definition = prepare.next(validate).next(skippedOrIngest);

    const stateMachineName = `ProductIngestion-${props.stage}`;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: props.executionTimeout,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });

    this.triggerDeadLetterQueue = new DeadLetterQueue(this, 'TriggerDeadLetterQueue', {
      queueName: `product-ingestion-trigger-${props.stage}-dlq`,
      removalPolicy: props.removalPolicy,
    });
    this.trigger = new events.Rule(this, 'Trigger', {
      description: `Starts ${stateMachineName} for every object uploaded under ${INCOMING_PREFIX}`,
      eventPattern: {
        source: [S3_OBJECT_CREATED.source],
        detailType: [S3_OBJECT_CREATED.detailType],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          object: { key: events.Match.prefix(INCOMING_PREFIX) },
        },
      },
      targets: [
        new targets.SfnStateMachine(this.stateMachine, {
          deadLetterQueue: this.triggerDeadLetterQueue,
          retryAttempts: 20,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    this.failureRuleDeadLetterQueue = new DeadLetterQueue(this, 'FailureRuleDeadLetterQueue', {
      queueName: `product-ingestion-failures-${props.stage}-dlq`,
      removalPolicy: props.removalPolicy,
    });
    // Step Functions puts every status change of a Standard execution on the default bus.
    this.failureRule = new events.Rule(this, 'Failures', {
      description: `Reports every execution of ${stateMachineName} that fails, times out or is aborted`,
      eventPattern: {
        source: [SFN_STATUS_CHANGE.source],
        detailType: [SFN_STATUS_CHANGE.detailType],
        detail: { stateMachineArn: [this.stateMachine.stateMachineArn], status: FAILED_STATUSES },
      },
      targets: [
        new targets.LambdaFunction(functions.reportFailure.function, {
          deadLetterQueue: this.failureRuleDeadLetterQueue,
          retryAttempts: 20,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
  }
}

interface InvokeOptions {
  readonly payload?: sfn.TaskInput;
  readonly resultPath?: string;
}

/** A Lambda task whose result is the handler's return value, retried on Lambda service faults. */
function invoke(
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  options: InvokeOptions,
): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload: options.payload,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    resultPath: options.resultPath,
  });
  task.addRetry({
    errors: LAMBDA_TRANSIENT_ERRORS,
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
    maxDelay: Duration.seconds(60),
    jitterStrategy: sfn.JitterType.FULL,
  });
  return task;
}

function retryEventBridge(task: tasks.EventBridgePutEvents): void {
  task.addRetry({
    errors: [sfn.Errors.ALL],
    interval: Duration.seconds(1),
    maxAttempts: 4,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
}
