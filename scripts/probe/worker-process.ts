import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { WORKER_CONTAINER } from '../../lib/constructs/worker/worker-service';
import { loadStackTemplate } from '../../local/template/load-stack-template';
import { containerEnvironment } from '../../local/whole-pipeline/container-environment';
import { freePort } from '../../local/whole-pipeline/ports';
import { WorkerChild } from '../../local/whole-pipeline/worker';
import { sdkEnvironment } from '../../local/wiring/pipeline-environment';

/**
 * The worker as a process of its own, started from the ingest service's task definition with every
 * address pointing at a port nothing listens on: it can be given a bad environment (or a Redis that is
 * not there) and judged by how it starts or refuses to, and a worker that wrongly starts reaches no
 * queue, Pimcore or Redis of anyone's.
 */
export async function ingestWorkerEnvironment(
  templatePath: string,
  changes: { readonly redisUrl?: string } = {},
): Promise<Record<string, string>> {
  const model = loadStackTemplate(templatePath);
  const container = model.taskDefinitions
    .flatMap((task) => task.containers)
    .find(
      (candidate) =>
        candidate.name === WORKER_CONTAINER && candidate.environment.WORKER_CONSUMERS === 'product-ingest',
    );
  if (!container) throw new Error('the template has no worker container draining product-ingest');
  const nowhere = `127.0.0.1:${await freePort()}`;
  const redisUrl = changes.redisUrl ?? `redis://${nowhere}`;
  return containerEnvironment(
    'ingest',
    container,
    {
      sdk: sdkEnvironment({
        endpoint: `http://${nowhere}`,
        s3Endpoint: `http://${nowhere}`,
        region: model.environment.region,
      }),
      redisUrl,
      downstream: {
        PIMCORE_BASE_URL: `http://${nowhere}`,
        MEDUSA_BASE_URL: `http://${nowhere}`,
        MEDUSA_SALES_CHANNEL_ID: 'sc_probe',
      },
      secrets: {
        PIMCORE_API_KEY: 'probe-pimcore-api-key',
        MEDUSA_SECRET_API_KEY: 'sk_probe',
        PIMCORE_WEBHOOK_SECRETS: randomBytes(32).toString('hex'),
        PIMCORE_WEBHOOK_TOKENS: randomBytes(32).toString('hex'),
        REDIS_URL: redisUrl,
      },
    },
    await freePort(),
  );
}

/** A worker start: the running worker, or how it ended and what it printed. */
export type WorkerStart =
  | { readonly started: WorkerChild; readonly output: () => string }
  | { readonly started?: undefined; readonly exit: string; readonly output: () => string };

/**
 * Starts the worker with `env` (on `port`, else a free one) and waits until it serves /health or exits;
 * its stdout (pino JSON) and stderr go to `logFile`.
 */
export async function startWorker(
  env: Readonly<Record<string, string>>,
  logFile: string,
  port?: number,
): Promise<WorkerStart> {
  const output = () => readFileSync(logFile, 'utf8');
  try {
    const started = await WorkerChild.start({
      env,
      logFile,
      startTimeoutMs: 45_000,
      ...(port ? { port } : {}),
    });
    return { started, output };
  } catch (error) {
    // WorkerChild's message: "the worker exited at start (exit code 1; log: …)".
    const exit = /exited at start \((exit code \d+|signal \w+)/.exec((error as Error).message)?.[1];
    return { exit: exit ?? (error as Error).message.split('\n')[0]!, output };
  }
}
