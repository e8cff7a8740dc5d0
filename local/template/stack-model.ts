import type { JsonObject } from '../aws-json/json';

/** The local stand-ins for the pseudo parameters (AWS::AccountId, AWS::Region, …). */
export interface LocalEnvironment {
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
  /** Base of the queue URLs (`<sqsEndpoint>/<accountId>/<queueName>`), i.e. the local SQS endpoint. */
  readonly sqsEndpoint: string;
}

export interface QueueModel {
  readonly logicalId: string;
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly visibilityTimeoutSeconds?: number;
  readonly messageRetentionSeconds?: number;
  readonly receiveMessageWaitTimeSeconds?: number;
  readonly delaySeconds?: number;
  readonly maximumMessageSize?: number;
  readonly redrive?: { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number };
}

export interface EventBusModel {
  /** Absent for the implicit `default` bus. */
  readonly logicalId?: string;
  readonly name: string;
  readonly arn: string;
}

/**
 * An AWS::Events::Archive: the events of its source bus that match its pattern are kept for replay
 * (EventBridge User Guide, "Archiving and replaying events").
 */
export interface ArchiveModel {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** The ARN of the bus it archives (SourceArn), and that bus's name. */
  readonly eventSourceArn: string;
  readonly eventBusName: string;
  /** Absent: every event of the bus. */
  readonly eventPattern?: JsonObject;
  /** Absent or 0: events are kept indefinitely, as AWS's default. */
  readonly retentionDays?: number;
  readonly description?: string;
}

export type RuleTargetKind = 'sqs' | 'state-machine' | 'lambda';

export interface RuleTargetModel {
  readonly id: string;
  readonly arn: string;
  readonly kind: RuleTargetKind;
  readonly roleArn?: string;
  /** The SQS queue that receives events this target could not take. */
  readonly deadLetterArn?: string;
  readonly retryPolicy?: { readonly maximumRetryAttempts?: number; readonly maximumEventAgeSeconds?: number };
  /** Constant JSON text sent instead of the event. */
  readonly input?: string;
  /** JSONPath of the part of the event that is sent. */
  readonly inputPath?: string;
}

export interface RuleModel {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly eventBusName: string;
  readonly eventPattern: JsonObject;
  readonly enabled: boolean;
  readonly targets: readonly RuleTargetModel[];
}

export interface BucketModel {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** NotificationConfiguration.EventBridgeConfiguration: S3 puts "Object Created" etc. on the default bus. */
  readonly eventBridgeEnabled: boolean;
}

export interface StateMachineModel {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly type: string;
  /** The ASL with every intrinsic resolved: Lambda ARNs, bus ARNs, … are the local ones. */
  readonly definition: JsonObject;
}

export interface FunctionModel {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** e.g. ProductPipeline-dev/Functions/Validate/Function/Resource. */
  readonly constructPath: string;
  /** Absolute path of the TypeScript entry (see handler-source.ts for the convention). */
  readonly handlerSource: string;
  /** Exported function name, from `Handler` (`index.handler` → `handler`). */
  readonly handlerExport: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** Where Lambda puts an asynchronous invocation that failed every attempt (DeadLetterConfig). */
  readonly deadLetterArn?: string;
}

/** One container of an ECS task definition, as the local stack starts it. */
export interface ContainerModel {
  readonly name: string;
  /** Its variables with every intrinsic resolved to its local value (queue URLs of the local SQS, …). */
  readonly environment: Readonly<Record<string, string>>;
  /** Variables whose value has no local meaning (e.g. a Fn::GetAtt without a local value), and why. */
  readonly unresolved: Readonly<Record<string, string>>;
  /** ECS secrets: variable name → valueFrom (the secret's ARN), resolved. */
  readonly secrets: Readonly<Record<string, string>>;
  /** The awslogs stream prefix: the service's name in its log streams (e.g. `ingest`). */
  readonly logStreamPrefix?: string;
  /** Seconds ECS waits between SIGTERM and SIGKILL. */
  readonly stopTimeoutSeconds?: number;
}

export interface TaskDefinitionModel {
  readonly logicalId: string;
  readonly arn: string;
  readonly containers: readonly ContainerModel[];
}

/** Requests a load balancer's listener rule forwards to a service's container. */
export interface ServiceRoute {
  /** The rule's path patterns and methods; empty: any. */
  readonly paths: readonly string[];
  readonly methods: readonly string[];
  readonly containerName: string;
}

export interface ServiceModel {
  readonly logicalId: string;
  readonly taskDefinitionArn: string;
  /** The tasks ECS keeps running (before any scaling). */
  readonly desiredCount: number;
  readonly routes: readonly ServiceRoute[];
}

/** A template resource the runtime does not emulate, and why. */
export interface ResourceListing {
  readonly logicalId: string;
  readonly type: string;
  readonly reason: string;
}

export interface StackModel {
  readonly environment: LocalEnvironment;
  readonly queues: readonly QueueModel[];
  /** Includes the implicit `default` bus. */
  readonly eventBuses: readonly EventBusModel[];
  readonly rules: readonly RuleModel[];
  readonly archives: readonly ArchiveModel[];
  readonly buckets: readonly BucketModel[];
  readonly stateMachines: readonly StateMachineModel[];
  readonly functions: readonly FunctionModel[];
  readonly taskDefinitions: readonly TaskDefinitionModel[];
  /** ECS services: the local stack runs each as processes of its task definition's worker container. */
  readonly services: readonly ServiceModel[];
  /** The stack outputs with their local values (queue URLs, bus name, bucket, …). */
  readonly outputs: Readonly<Record<string, string>>;
  /** Resources (or parts of them) the runtime would need but cannot emulate: a local run differs from AWS there. */
  readonly unsupported: readonly ResourceListing[];
  /** Resources without local meaning (IAM, logs, alarms, keys, policies, CDK housekeeping). */
  readonly notEmulated: readonly ResourceListing[];
  /**
   * What the worker's services have around them in AWS that the local stack does without, doing something
   * simpler in its place (a local Redis for ElastiCache, the loopback network for the VPC, …).
   */
  readonly standIns: readonly ResourceListing[];
}
