import { LOCAL_WORKER_CONTEXT } from '../../scripts/cli/synthesis';
import { buildPipelineApp } from '../lib/synth-helpers';

/**
 * Synthesizes the pipeline app as the local synth does (cdk.json context and LOCAL_WORKER_CONTEXT, plus
 * `context`; no Lambda bundling) into a temporary cloud assembly and returns the path of the stack's
 * template (tree.json lies beside it).
 */
export function synthesizeTemplate(context: Record<string, unknown> = {}): string {
  const { app, stack } = buildPipelineApp({ ...LOCAL_WORKER_CONTEXT, ...context });
  return app.synth().getStackByName(stack.stackName).templateFullPath;
}
