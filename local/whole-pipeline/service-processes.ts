import { join } from 'node:path';
import { WORKER_CONTAINER } from '../../lib/constructs/worker/worker-service';
import type { ServiceModel, StackModel } from '../template/stack-model';
import { containerEnvironment, ContainerEnvironmentError, type LocalValues } from './container-environment';
import { freePort } from './ports';
import { startAll } from './start-all';
import { WorkerChild, type WorkerOptions } from './worker';

/** ECS's stop timeout when the task definition gives none. */
const ECS_DEFAULT_STOP_TIMEOUT_SECONDS = 30;

/** How one ECS service of the template will run here, checked before anything starts. */
interface ServicePlan {
  /** The service's log stream prefix (e.g. `ingest`), else its logical id. */
  readonly name: string;
  readonly replicas: readonly WorkerOptions[];
  /** The path a load balancer rule forwards POST requests of to this service, if one does. */
  readonly webhookPath?: string;
  readonly stopGraceMs: number;
}

/**
 * Every ECS service of the template as processes, all checked before any starts: a template without
 * services, or with one asking for what this machine cannot give, starts none. `webhookNeeded`: a load
 * balancer rule must forward the webhook to one of them (the Pimcore simulator sends it).
 */
export async function startServices(
  model: StackModel,
  local: LocalValues,
  options: { readonly replicas?: number; readonly logDir: string; readonly webhookNeeded: boolean },
): Promise<ServiceProcesses[]> {
  const plans = await Promise.all(
    model.services.map((service) =>
      planService(service, model, local, { count: options.replicas, logDir: options.logDir }),
    ),
  );
  if (plans.length === 0) {
    throw new Error(
      'The template has no ECS services to run the worker from (synthesized with worker=external?)',
    );
  }
  if (options.webhookNeeded && !plans.some((plan) => plan.webhookPath !== undefined)) {
    throw new Error(
      "No load balancer rule forwards POST requests to a worker service, so the Pimcore simulator's " +
        'webhook could reach none (as in AWS without webhookCertificateArn)',
    );
  }
  return startAll(
    plans.map((plan) => ServiceProcesses.start(plan)),
    (service) => service.stop(),
  );
}

/** The service that takes Pimcore's webhook: the one a load balancer rule forwards it to. */
export function webhookServiceOf(services: readonly ServiceProcesses[]): ServiceProcesses | undefined {
  return services.find((service) => service.webhookPath !== undefined);
}

/**
 * `count` processes of the service's `worker` container (its desired count unless given), each with the
 * container's environment on this machine, a free port and a log of its own (`<name>-<n>.log`). Fails,
 * naming what is missing, when the task definition asks for what the local stack cannot give.
 */
async function planService(
  service: ServiceModel,
  model: StackModel,
  local: LocalValues,
  options: { readonly count?: number; readonly logDir: string },
): Promise<ServicePlan> {
  const taskDefinition = model.taskDefinitions.find((task) => task.arn === service.taskDefinitionArn);
  const container = taskDefinition?.containers.find((candidate) => candidate.name === WORKER_CONTAINER);
  if (container === undefined) {
    throw new ContainerEnvironmentError(
      `The local stack cannot start service ${service.logicalId}: its task definition ` +
        `(${service.taskDefinitionArn}) has no container named ${WORKER_CONTAINER}`,
    );
  }
  const name = container.logStreamPrefix ?? service.logicalId;
  const replicas = await Promise.all(
    Array.from({ length: options.count ?? service.desiredCount }, async (_, index) => {
      const port = await freePort();
      return {
        port,
        env: containerEnvironment(name, container, local, port),
        logFile: join(options.logDir, `${name}-${index + 1}.log`),
      };
    }),
  );
  const webhook = service.routes.find(
    (route) =>
      route.containerName === WORKER_CONTAINER &&
      (route.methods.length === 0 || route.methods.includes('POST')),
  );
  return {
    name,
    replicas,
    ...(webhook?.paths[0] === undefined ? {} : { webhookPath: webhook.paths[0] }),
    stopGraceMs: (container.stopTimeoutSeconds ?? ECS_DEFAULT_STOP_TIMEOUT_SECONDS) * 1000,
  };
}

/** An ECS service on this machine: its replicas as worker processes. */
export class ServiceProcesses {
  private turn = 0;

  private constructor(
    private readonly plan: ServicePlan,
    readonly replicas: readonly WorkerChild[],
  ) {}

  /** Starts every replica; if one fails, stops the others and fails with its reason. */
  static async start(plan: ServicePlan): Promise<ServiceProcesses> {
    try {
      const replicas = await startAll(
        plan.replicas.map((replica) => WorkerChild.start(replica)),
        (replica) => replica.stop(plan.stopGraceMs),
      );
      return new ServiceProcesses(plan, replicas);
    } catch (error) {
      throw new Error(`service ${plan.name}: ${(error as Error).message}`, { cause: error });
    }
  }

  get name(): string {
    return this.plan.name;
  }

  get webhookPath(): string | undefined {
    return this.plan.webhookPath;
  }

  /**
   * The next running replica's address, in turn, as a load balancer spreads requests over its healthy
   * targets; when none runs, the next one's (the request fails and is retried, as behind an ALB).
   */
  nextUrl(): string {
    const count = this.replicas.length;
    for (let tried = 0; tried < count; tried++) {
      const replica = this.replicas[this.turn++ % count];
      if (replica.running) return replica.url;
    }
    return this.replicas[this.turn++ % count].url;
  }

  /** As ECS stops a task: SIGTERM, SIGKILL after the container's stop timeout. */
  async stop(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.stop(this.plan.stopGraceMs)));
  }
}
