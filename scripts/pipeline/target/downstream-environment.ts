import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { userPath } from '../../cli/user-path';
import { readEnvFile } from './env-file-target';
import type { TargetChoice } from './resolve-target';
import { StackNotUsable, stackNameOf } from './stack-target';

/** The worker's container in its task definitions (lib/constructs/worker/worker-service.ts). */
const WORKER_CONTAINER = 'worker';

/** What trace and reconcile read of the relay's environment: how it reaches Pimcore, Medusa and Redis. */
const WANTED = /^(PIMCORE_|MEDUSA_|REDIS_)/;
/** Never fetched: the webhook's own credentials are no business of an operator's read. */
const NOT_WANTED = /^PIMCORE_WEBHOOK_/;

const wanted = (name: string) => WANTED.test(name) && !NOT_WANTED.test(name);

/**
 * The relay's own settings for Pimcore, Medusa and Redis, so the CLI talks to them exactly as the worker
 * does: from the local stack's env file (npm run local writes them), or from the deployed relay
 * service's task definition, its secrets read from Secrets Manager with the caller's credentials
 * (secretsmanager:GetSecretValue on product-pipeline/<stage>/*). Redis on AWS is private to the VPC:
 * its URL is returned, but only a shell inside the VPC reaches it.
 */
export async function downstreamEnvironment(
  choice: TargetChoice,
  clients: {
    readonly cloudFormation?: CloudFormationClient;
    readonly ecs?: ECSClient;
    readonly secrets?: SecretsManagerClient;
  } = {},
): Promise<Record<string, string>> {
  if (choice.envFile !== undefined) {
    const env = readEnvFile(userPath(choice.envFile));
    return Object.fromEntries(
      Object.entries(env).filter(
        (entry): entry is [string, string] => wanted(entry[0]) && entry[1] !== undefined,
      ),
    );
  }
  const cloudFormation = clients.cloudFormation ?? new CloudFormationClient({});
  const ecs = clients.ecs ?? new ECSClient({});
  const secrets = clients.secrets ?? new SecretsManagerClient({});
  try {
    const stackName = stackNameOf(choice.stage);
    const { Stacks: [stack] = [] } = await cloudFormation.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    const outputs = new Map((stack?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
    const cluster = outputs.get('WorkerClusterName');
    const service = outputs.get('WorkerRelayServiceName');
    if (cluster === undefined || service === undefined) {
      throw new StackNotUsable(
        `stack ${stackName} does not run the worker (worker=external): give --env-file with the worker's ` +
          'PIMCORE_*, MEDUSA_* and REDIS_URL variables',
      );
    }
    const { services: [described] = [] } = await ecs.send(
      new DescribeServicesCommand({ cluster, services: [service] }),
    );
    if (described?.taskDefinition === undefined) {
      throw new StackNotUsable(`ECS service ${service} not found in cluster ${cluster}`);
    }
    const { taskDefinition } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: described.taskDefinition }),
    );
    const container = taskDefinition?.containerDefinitions?.find((entry) => entry.name === WORKER_CONTAINER);
    if (container === undefined) {
      throw new StackNotUsable(
        `task definition ${described.taskDefinition} has no ${WORKER_CONTAINER} container`,
      );
    }
    const env: Record<string, string> = {};
    for (const { name, value } of container.environment ?? []) {
      if (name !== undefined && value !== undefined && wanted(name)) env[name] = value;
    }
    for (const { name, valueFrom } of container.secrets ?? []) {
      if (name === undefined || valueFrom === undefined || !wanted(name)) continue;
      const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: valueFrom }));
      if (SecretString !== undefined) env[name] = SecretString;
    }
    return env;
  } finally {
    if (clients.cloudFormation === undefined) cloudFormation.destroy();
    if (clients.ecs === undefined) ecs.destroy();
    if (clients.secrets === undefined) secrets.destroy();
  }
}
