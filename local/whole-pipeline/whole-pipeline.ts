import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { CanonicalProduct } from '../../contracts/canonical-product';
import type { PimcoreWebhookSender } from '../pimcore-simulator';
import { startLocalAws, type LocalAws } from '../local-aws';
import { LOCAL_CREDENTIALS } from '../s3/s3-emulator';
import type { StackModel } from '../template/stack-model';
import type { LocalValues } from './container-environment';
import { DeadLetters } from './dead-letters';
import { awaitIngestion, uploadFile, type IngestionOutcome, type Upload } from './ingestion';
import { startMedusaPart, type MedusaPart } from './medusa-part';
import {
  startPimcorePart,
  type PimcorePart,
  type SimulatedWebhookAuth,
  type WebhookOptions,
} from './pimcore-part';
import { reconcile, type Reconciliation } from './reconcile';
import { forgetKeys, provideRedis, type StackRedis } from './redis';
import { startServices, webhookServiceOf, type ServiceProcesses } from './service-processes';
import { ignoredWithoutService } from './variables';

/** The variables that switch a simulated service to a real one. */
const SERVICE_SWITCHES = [
  ['PIMCORE_', 'Pimcore', 'PIMCORE_BASE_URL'],
  ['MEDUSA_', 'Medusa', 'MEDUSA_BASE_URL'],
] as const;

export interface WholePipelineOptions {
  /** The synthesized template the local AWS runtime runs. */
  readonly templatePath: string;
  /** Where REDIS_URL, PIMCORE_* and MEDUSA_* are read from (real services when set); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The Pimcore simulator publishes every object it creates, so the webhook fires (default true). */
  readonly autoPublish?: boolean;
  /** Logs and S3 data; default a new temporary folder. */
  readonly runDir?: string;
  /** Processes per ECS service (all on the same queues and Redis); default each one's desired count. */
  readonly replicas?: number;
  readonly webhooks?: WebhookOptions;
  /**
   * How the Pimcore simulator's webhooks authenticate: as the shipped listener (`signed`, the default) or
   * as Datahub Webhooks (`token`).
   */
  readonly webhookAuth?: SimulatedWebhookAuth;
  /** Where start-up notes go (what is not emulated, S3 refusals); default stderr. */
  readonly log?: (line: string) => void;
}

export interface SettleOptions {
  readonly timeoutMs: number;
  /** Between two looks at the parts (default 1 s; each reads every product's state). */
  readonly pollIntervalMs?: number;
  /** Called after every look. */
  readonly onProgress?: (state: Reconciliation) => void;
}

/**
 * The whole pipeline on this machine: the local AWS runtime (in this process), Redis, Pimcore and
 * Medusa (simulators unless configured), the template's ECS services as worker processes started from
 * their task definitions, and the webhook from Pimcore to the service behind the load balancer's rule.
 * `stop()` ends everything it started, in reverse order, even after a failed start.
 */
export class WholePipeline {
  private readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly deadLetters: DeadLetters;

  private constructor(
    readonly runDir: string,
    readonly pipeline: LocalAws,
    readonly redis: StackRedis,
    readonly pimcore: PimcorePart,
    readonly medusa: MedusaPart,
    /** The ECS services (ingest, relay), each as its processes. */
    readonly services: readonly ServiceProcesses[],
    readonly webhooks: PimcoreWebhookSender | undefined,
  ) {
    const config = { region: pipeline.env.AWS_REGION, credentials: LOCAL_CREDENTIALS };
    this.s3 = new S3Client({ ...config, endpoint: pipeline.s3Endpoint, forcePathStyle: true });
    this.sqs = new SQSClient({ ...config, endpoint: pipeline.endpoint });
    const dlqs = pipeline.model.queues.filter((queue) => queue.name.endsWith('-dlq'));
    this.deadLetters = new DeadLetters(this.sqs, dlqs);
  }

  static async start(options: WholePipelineOptions): Promise<WholePipeline> {
    const env = options.env ?? process.env;
    const runDir = options.runDir ?? mkdtempSync(join(tmpdir(), 'product-pipeline-'));
    const stops: (() => Promise<void> | void)[] = [];
    // Last to run: the logs go unless asked to keep them (a failed run's are worth reading).
    let keepLogs = false;
    stops.push(() => {
      rmSync(join(runDir, 's3'), { recursive: true, force: true });
      if (options.runDir === undefined && !keepLogs) rmSync(runDir, { recursive: true, force: true });
    });
    try {
      const log = options.log ?? ((line: string) => console.error(line));
      const pipeline = await startLocalAws({
        templatePath: options.templatePath,
        s3Directory: join(runDir, 's3'),
        lambdaEnvironment: { POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' },
        log,
      });
      stops.push(() => pipeline.stop());
      standInLines(pipeline.model).forEach(log);
      const redis = await provideRedis({ url: env.REDIS_URL, logDir: runDir });
      stops.push(() => redis.stop());
      // A shared Redis remembers earlier runs' products, which the fresh simulators do not hold:
      // this run's ledger keys get a namespace of their own, removed at the end.
      const namespace = redis.owned ? undefined : `local-${randomBytes(6).toString('hex')}`;
      if (namespace !== undefined) {
        stops.push(() =>
          forgetKeys(redis.url, [
            `pipeline:*:${namespace}:*`,
            `pipeline:webhook:pimcore:delivery:${namespace}-*`,
          ]),
        );
      }
      for (const [prefix, service, switchVariable] of SERVICE_SWITCHES) {
        const ignored = ignoredWithoutService(env, prefix, switchVariable);
        if (ignored.length > 0) {
          log(
            `${ignored.join(', ')} ignored: ${switchVariable} is not set, so the ${service} simulator runs ` +
              'with values of its own, shared with the worker',
          );
        }
      }
      const pimcore = await startPimcorePart({ env, autoPublish: options.autoPublish ?? true });
      stops.push(() => pimcore.stop());
      const medusa = await startMedusaPart({ env });
      stops.push(() => medusa.stop());
      const local: LocalValues = {
        sdk: pipeline.sdkEnv,
        redisUrl: redis.url,
        ...(namespace === undefined ? {} : { redisKeyNamespace: namespace }),
        downstream: { ...pimcore.env, ...medusa.env },
        // With -c redisUrlSecretArn the task definition takes REDIS_URL as a secret.
        secrets: { ...pimcore.secrets, ...medusa.secrets, REDIS_URL: redis.url },
      };
      const services = await startServices(pipeline.model, local, {
        replicas: options.replicas,
        logDir: runDir,
        webhookNeeded: pimcore.sendWebhooks !== undefined,
      });
      stops.push(async () => {
        await Promise.all(services.map((service) => service.stop()));
      });
      const relay = webhookServiceOf(services);
      const webhooks =
        relay &&
        pimcore.sendWebhooks?.(
          () => `${relay.nextUrl()}${relay.webhookPath}`,
          {
            ...(namespace === undefined ? {} : { deliveryIdPrefix: namespace }),
            ...options.webhooks,
          },
          options.webhookAuth ?? 'signed',
        );
      if (webhooks) stops.push(() => webhooks.stop());
      const stack = new WholePipeline(runDir, pipeline, redis, pimcore, medusa, services, webhooks);
      stops.push(() => stack.destroyClients());
      stack.stops = stops;
      stack.keepLogsOnStop = () => (keepLogs = true);
      return stack;
    } catch (error) {
      await runStops(stops);
      throw error;
    }
  }

  private stops: (() => Promise<void> | void)[] = [];
  private keepLogsOnStop = () => {};

  /** The service that takes Pimcore's webhook (the load balancer's rule forwards it there). */
  get webhookService(): ServiceProcesses | undefined {
    return webhookServiceOf(this.services);
  }

  /**
   * What an operator's tools need (npm run local writes it to .local-run/stack.env; npx pipeline
   * --env-file reads it): the SDK settings and stack outputs, and from the relay's own environment how
   * it reaches Pimcore, Medusa and Redis — the simulators' local keys, never a deployment's secrets.
   */
  get operatorEnvironment(): Record<string, string> {
    const relay = this.services.find((service) =>
      service.replicas[0]?.env.WORKER_CONSUMERS?.includes('medusa-sync'),
    );
    const relayEnv = relay?.replicas[0]?.env ?? {};
    const downstream = Object.entries(relayEnv).filter(
      ([name]) => /^(PIMCORE_|MEDUSA_|REDIS_)/.test(name) && !name.startsWith('PIMCORE_WEBHOOK_'),
    );
    return { ...this.pipeline.env, ...Object.fromEntries(downstream) };
  }

  get bucket(): string {
    return this.pipeline.env.INGEST_BUCKET;
  }

  /** Uploads a file under incoming/, which starts an ingestion. */
  upload(file: string, key?: string): Promise<Upload> {
    return uploadFile(this.s3, this.bucket, file, key);
  }

  /** Waits for the upload's ingestion to end and reads what it reported. */
  ingestion(upload: Upload, timeoutMs = 120_000): Promise<IngestionOutcome> {
    return awaitIngestion(
      this.pipeline.stepFunctions,
      this.pipeline.env.STATE_MACHINE_ARN,
      this.s3,
      upload,
      timeoutMs,
    );
  }

  /** Where each of these products stands now. */
  async state(
    expected: readonly Pick<CanonicalProduct, 'externalId' | 'contentHash' | 'handle'>[],
  ): Promise<Reconciliation> {
    const ids = expected.map((product) => product.externalId);
    const [pimcore, medusa, deadLetters] = await Promise.all([
      this.pimcore.holdings(ids),
      this.medusa.holdings(expected),
      this.deadLetters.all(),
    ]);
    return reconcile(expected, { pimcore, medusa, deadLetters });
  }

  /**
   * Waits until every product is in Medusa with its content or in a DLQ, and nothing is on its way
   * (work queues empty, no webhook pending); on timeout returns where things stand (the caller judges).
   */
  async settle(
    expected: readonly Pick<CanonicalProduct, 'externalId' | 'contentHash' | 'handle'>[],
    options: SettleOptions,
  ): Promise<Reconciliation> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const state = await this.state(expected);
      options.onProgress?.(state);
      const settled = state.missing.length === 0 && (await this.idle());
      if (settled || Date.now() > deadline) return state;
      await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 1000));
    }
  }

  /** Nothing in flight: the work queues are empty and no webhook waits to be delivered. */
  async idle(): Promise<boolean> {
    if ((this.webhooks?.pending ?? 0) > 0) return false;
    const urls = [this.pipeline.env.PRODUCT_INGEST_QUEUE_URL, this.pipeline.env.MEDUSA_SYNC_QUEUE_URL];
    for (const url of urls) {
      const { Attributes = {} } = await this.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      );
      if (Object.values(Attributes).some((count) => Number(count) > 0)) return false;
    }
    return true;
  }

  /**
   * Stops everything it started, the worker processes first, and removes its S3 data; the run folder (logs) too,
   * unless it was given or `keepLogs`. Safe to call twice.
   */
  async stop(options: { readonly keepLogs?: boolean } = {}): Promise<void> {
    if (options.keepLogs) this.keepLogsOnStop();
    await runStops(this.stops);
  }

  private destroyClients(): void {
    this.s3.destroy();
    this.sqs.destroy();
  }
}

/** One line per kind of what the worker has around it in AWS and the local stack does otherwise. */
function standInLines(model: StackModel): string[] {
  const counts = new Map<string, number>();
  for (const { reason } of model.standIns) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, count]) => `local stack: not emulated (${count}): ${reason}`);
}

/** In reverse order of start; a failing stop does not keep the others from running. */
async function runStops(stops: (() => Promise<void> | void)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const stop of stops.splice(0).reverse()) {
    try {
      await stop();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, 'stopping the local stack failed');
}
