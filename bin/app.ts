#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { parsePipelineConfig, PipelineConfigError, readContext } from '../lib/config/pipeline-config';
import { ProductPipelineStack } from '../lib/stacks/product-pipeline-stack';

const app = new App();
try {
  const config = parsePipelineConfig(readContext((key) => app.node.tryGetContext(key)));
  new ProductPipelineStack(app, `ProductPipeline-${config.stage}`, {
    config,
    description: `Shein export → Step Functions → EventBridge → SQS product pipeline (${config.stage})`,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    tags: { project: 'product-pipeline', stage: config.stage },
  });
  // Every synth is checked; an unacknowledged finding fails it (acknowledgements: lib/nag/).
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  app.synth();
} catch (error) {
  if (error instanceof PipelineConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
