import { userPath } from '../../cli/user-path';
import { clientsFor, type AwsClients } from './aws-clients';
import { targetOfEnvFile } from './env-file-target';
import type { PipelineTarget } from './pipeline-target';
import { resolveQueues } from './queue-catalog';
import { targetOfStack } from './stack-target';

export interface TargetChoice {
  /** The local stack's KEY=value file; wins over the stage. */
  readonly envFile?: string;
  /** The deployed stack ProductPipeline-<stage>, through the SDK's standard chain. */
  readonly stage: string;
}

/** Where the CLI points, resolved once per command, and the clients that reach it. */
export async function connect(
  choice: TargetChoice,
): Promise<{ target: PipelineTarget; clients: AwsClients }> {
  const outputs =
    choice.envFile === undefined
      ? await targetOfStack(choice.stage)
      : targetOfEnvFile(userPath(choice.envFile));
  const clients = clientsFor(outputs.connection);
  try {
    return { target: await resolveQueues(outputs, clients.sqs), clients };
  } catch (error) {
    clients.destroy();
    throw error;
  }
}
