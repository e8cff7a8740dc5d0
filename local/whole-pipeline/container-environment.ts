import type { ContainerModel } from '../template/stack-model';

/** What this machine offers a worker container in place of what it has in AWS. */
export interface LocalValues {
  /** The SDK's standard endpoint, region and credential variables, pointed at the local AWS runtime. */
  readonly sdk: Readonly<Record<string, string>>;
  readonly redisUrl: string;
  /** Keeps this run's keys apart in a shared Redis (REDIS_URL given to the demo). */
  readonly redisKeyNamespace?: string;
  /** PIMCORE_* and MEDUSA_* pointing at the simulators, or the configured real services' own. */
  readonly downstream: Readonly<Record<string, string>>;
  /** ECS secret name → its local value; absent: the local stack has none. */
  readonly secrets: Readonly<Record<string, string | undefined>>;
}

/** The task definition asks for something the local stack cannot give: the start stops, naming it. */
export class ContainerEnvironmentError extends Error {
  override readonly name = 'ContainerEnvironmentError';
}

/**
 * The container's environment on this machine: the task definition's variables, with only these local
 * substitutions, each for the reason given:
 * - the SDK's endpoint and credential variables: in a task the SDK reaches AWS through the task role;
 *   here it reaches the local runtime;
 * - REDIS_URL, REDIS_MODE (and REDIS_KEY_NAMESPACE in a shared Redis): ElastiCache is not emulated, the
 *   run's own Redis is standalone;
 * - Pimcore's and Medusa's addresses (PIMCORE_BASE_URL, MEDUSA_BASE_URL, MEDUSA_SALES_CHANNEL_ID): the
 *   simulators', or everything PIMCORE_* / MEDUSA_* a configured real service is given;
 * - each ECS secret, by name, as Secrets Manager is not emulated: PIMCORE_API_KEY and
 *   MEDUSA_SECRET_API_KEY the simulators' keys (or the configured services'), PIMCORE_WEBHOOK_SECRETS the
 *   secret the Pimcore simulator's webhooks are signed with (or a configured Pimcore's), REDIS_URL the
 *   run's Redis;
 * - PORT: each task has an address of its own, the processes here share one and take a free port each.
 * `service` names the service in messages.
 */
export function containerEnvironment(
  service: string,
  container: ContainerModel,
  local: LocalValues,
  port: number,
): Record<string, string> {
  const substitutions: Record<string, string> = {
    ...local.sdk,
    REDIS_URL: local.redisUrl,
    REDIS_MODE: 'standalone',
    ...(local.redisKeyNamespace === undefined ? {} : { REDIS_KEY_NAMESPACE: local.redisKeyNamespace }),
    ...local.downstream,
    PORT: String(port),
  };
  const problems = Object.entries(container.unresolved)
    .filter(([name]) => !Object.hasOwn(substitutions, name))
    .map(([name, reason]) => `variable ${name} has no local value (${reason})`);
  const secrets: Record<string, string> = {};
  for (const [name, valueFrom] of Object.entries(container.secrets)) {
    const value = local.secrets[name];
    if (value === undefined) problems.push(`secret ${name} (valueFrom ${valueFrom}) has no local value`);
    else secrets[name] = value;
  }
  if (problems.length > 0) {
    const known = Object.keys(local.secrets).filter((name) => local.secrets[name] !== undefined);
    throw new ContainerEnvironmentError(
      `The local stack cannot start service ${service} (container ${container.name}):\n` +
        problems.map((problem) => `  - ${problem}`).join('\n') +
        `\nSecrets it can give: ${known.join(', ')}; a configured Pimcore or Medusa gives its own in its variables.`,
    );
  }
  return { ...container.environment, ...secrets, ...substitutions };
}
