import { WholePipeline, type WholePipelineOptions } from '../../local/whole-pipeline/whole-pipeline';
import type { ServiceProcesses } from '../../local/whole-pipeline/service-processes';
import { stopOnSignals } from './stop-on-signals';

/**
 * Starts the local stack, runs `body` with it and stops it afterwards, whatever happens: on success,
 * on an error and on Ctrl-C, SIGTERM or SIGHUP (see stopOnSignals). The run folder (logs) is
 * removed unless the body failed.
 */
export async function withWholePipeline(
  options: WholePipelineOptions,
  body: (stack: WholePipeline) => Promise<number>,
): Promise<number> {
  let stack: WholePipeline | undefined;
  let failed = true;
  let stopping: Promise<void> | undefined;
  const stop = (keepLogs = false) => (stopping ??= stack?.stop({ keepLogs }) ?? Promise.resolve());
  const removeSignalHandlers = stopOnSignals(stop, (line) => console.error(line));
  try {
    console.error("Starting the local AWS runtime, Redis, Pimcore, Medusa and the worker's services…");
    stack = await WholePipeline.start(options);
    describeStack(stack);
    const code = await body(stack);
    failed = code !== 0;
    return code;
  } finally {
    // A failed run's logs are worth reading: they stay.
    if (failed && stack) console.error(`Logs kept in ${stack.runDir}`);
    await stop(failed);
    removeSignalHandlers();
  }
}

function describeStack(stack: WholePipeline): void {
  const { env } = stack.pipeline;
  const relay = stack.webhookService;
  console.error(
    [
      `  AWS (S3 ${env.AWS_ENDPOINT_URL_S3}; SQS, EventBridge, Step Functions ${env.AWS_ENDPOINT_URL})`,
      `  Redis ${stack.redis.url}${stack.redis.owned ? ' (started for this run)' : ' (REDIS_URL)'}`,
      `  ${stack.pimcore.description}`,
      `  ${stack.medusa.description}`,
      ...stack.services.map((service) => `  worker service ${service.name}: ${describeReplicas(service)}`),
      ...(stack.pimcore.simulator || !relay
        ? []
        : [
            `  Pimcore's Datahub webhook must POST to ${relay.replicas[0].url}${relay.webhookPath} ` +
              '(reachable from Pimcore), signed with a secret of PIMCORE_WEBHOOK_SECRETS',
          ]),
    ].join('\n'),
  );
}

/** Each process's address and log. */
export function describeReplicas(service: ServiceProcesses): string {
  return service.replicas.map((replica) => `${replica.url} (log: ${replica.logFile})`).join(', ');
}
