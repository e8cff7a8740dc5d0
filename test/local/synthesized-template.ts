import { buildPipelineApp } from '../lib/synth-helpers';

/**
 * Synthesizes the pipeline app as `cdk synth` does (cdk.json context, no Lambda bundling) into a
 * temporary cloud assembly and returns the path of the stack's template (tree.json lies beside it).
 */
export function synthesizeTemplate(): string {
  const { app, stack } = buildPipelineApp();
  return app.synth().getStackByName(stack.stackName).templateFullPath;
}
