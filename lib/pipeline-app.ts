import { App, AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { parsePipelineConfig, readContext } from './config/pipeline-config';
import { ProductPipelineStack } from './stacks/product-pipeline-stack';

export interface PipelineApp {
  readonly app: App;
  readonly stack: ProductPipelineStack;
}

/**
 * The CDK app: one ProductPipeline-<stage> stack, configured from context and checked by cdk-nag
 * (AwsSolutions and Serverless packs) on every synth; an unacknowledged finding fails the synth.
 */
export function createPipelineApp(props: AppProps = {}): PipelineApp {
  const app = new App(props);
  const config = parsePipelineConfig(readContext((key) => app.node.tryGetContext(key)));
  const stack = new ProductPipelineStack(app, `ProductPipeline-${config.stage}`, {
    config,
    description: `Shein export → Step Functions → EventBridge → SQS product pipeline (${config.stage})`,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    tags: { project: 'product-pipeline', stage: config.stage },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack };
}
