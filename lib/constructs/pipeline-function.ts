import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

const PROJECT_ROOT = path.join(__dirname, '..', '..');

export interface PipelineFunctionProps {
  /** File name (without extension) under lambdas/handlers/. */
  readonly handlerFile: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Where Lambda puts an asynchronous invocation that failed all its attempts. */
  readonly deadLetterQueue?: sqs.IQueue;
}

/**
 * One of the workflow's Lambdas, built the same way for all of them: Node 24 on ARM64, bundled by the
 * local esbuild (offline), X-Ray tracing, JSON logs into its own log group with retention, and a role
 * that may write only to that log group. Callers add the data grants the function really needs.
 */
export class PipelineFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // A role of our own instead of AWSLambdaBasicExecutionRole, which may write to every log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (execution role)`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, 'lambdas', 'handlers', `${props.handlerFile}.ts`),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'product-ingestion',
        POWERTOOLS_METRICS_NAMESPACE: 'ProductPipeline',
        ...props.environment,
      },
      bundling: {
        format: nodejs.OutputFormat.CJS,
        target: 'node24',
        minify: true,
        sourceMap: true,
        // Bundle the AWS SDK too, so the code runs with the exact versions it was tested with.
        externalModules: [],
      },
    });
  }
}
