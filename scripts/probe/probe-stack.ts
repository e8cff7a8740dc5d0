import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { CanonicalProduct } from '../../contracts/canonical-product';
import { DETAIL_TYPES } from '../../contracts/events';
import { ingestionKeys } from '../../contracts/workflow';
import type { FailureReport } from '../../lambdas/shared/workflow-step';
import { LOCAL_CREDENTIALS } from '../../local/s3/s3-emulator';
import type { CfnTemplate } from '../../local/template/cfn-template';
import type { IngestionOutcome } from '../../local/whole-pipeline/ingestion';
import { reconcile, type Reconciliation } from '../../local/whole-pipeline/reconcile';
import { waitFor } from '../../local/whole-pipeline/wait';
import type { WholePipeline } from '../../local/whole-pipeline/whole-pipeline';
import type { WorkerChild } from '../../local/whole-pipeline/worker';
import { BusTap, type TappedEvent } from './bus-tap';
import { DeadLetterReader } from './dead-letter-reader';

/**
 * The limit on an upload (and on what it decompresses to) in the probe's stack: a deployment with
 * `-c maxObjectMegabytes=8`, so "over the size limit" and the gzip bomb need megabytes, not the
 * default's 2 GiB.
 */
export const PROBE_MAX_OBJECT_BYTES = 8 * 1024 * 1024;

/**
 * What the probe's stack is started with, as `npm run local` reads it from the environment: a Pimcore
 * webhook secret without PIMCORE_BASE_URL, which the start must name as ignored (and the flow must still
 * reach Medusa). No REDIS_URL: the stack's own redis-server, which a kind restarts.
 */
export const PROBE_STACK_ENV = {
  PIMCORE_WEBHOOK_SECRETS: 'probe-secret-given-without-its-pimcore-0123456789',
} as const;

/**
 * The dev template with the Validate function's MAX_OBJECT_BYTES lowered to PROBE_MAX_OBJECT_BYTES, as
 * a synth with that context writes it, in a folder of its own (with the tree.json the local runtime
 * reads construct paths from).
 */
export function probeTemplate(devTemplatePath: string): string {
  const template = JSON.parse(readFileSync(devTemplatePath, 'utf8')) as CfnTemplate;
  for (const resource of Object.values(template.Resources)) {
    const variables = (
      resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined
    )?.Variables;
    if (resource.Type === 'AWS::Lambda::Function' && variables?.MAX_OBJECT_BYTES !== undefined) {
      variables.MAX_OBJECT_BYTES = String(PROBE_MAX_OBJECT_BYTES);
    }
  }
  const folder = mkdtempSync(path.join(tmpdir(), 'probe-template-'));
  const templatePath = path.join(folder, path.basename(devTemplatePath));
  writeFileSync(templatePath, JSON.stringify(template));
  copyFileSync(path.join(path.dirname(devTemplatePath), 'tree.json'), path.join(folder, 'tree.json'));
  return templatePath;
}

/** An upload's ingestion, with what it let out (events) and left behind (its failure report). */
export interface ProbedIngestion {
  readonly outcome: IngestionOutcome;
  /** The workflow's events about this upload (IngestionCompleted / Failed / Skipped), in order. */
  readonly events: readonly TappedEvent[];
  /** reports/<id>/failure.json, when the ingestion failed and it was written. */
  readonly failureReport?: FailureReport;
}

/** What the workflow puts on the bus about an upload. */
const WORKFLOW_EVENTS = [
  DETAIL_TYPES.ingestionCompleted,
  DETAIL_TYPES.ingestionFailed,
  DETAIL_TYPES.ingestionSkipped,
];

type ProductKey = Pick<CanonicalProduct, 'externalId' | 'contentHash' | 'handle'>;

/**
 * The running local stack as the probe uses it: uploads followed to their outcome and events, the work
 * queue's DLQ read with every attribute, the webhook's address and the secrets the stack gave the
 * worker, and where products stand in Pimcore and Medusa.
 */
export class ProbeStack {
  readonly bus: BusTap;
  readonly ingestDeadLetters: DeadLetterReader;
  private readonly s3: S3Client;
  private uploads = 0;

  constructor(
    readonly pipeline: WholePipeline,
    /** What the stack's start logged (what is not emulated, variables ignored). */
    readonly startLog: readonly string[],
  ) {
    this.bus = new BusTap(pipeline.pipeline.eventBridge);
    this.ingestDeadLetters = new DeadLetterReader(pipeline.sqs, this.env.PRODUCT_INGEST_DLQ_URL);
    this.s3 = new S3Client({
      region: this.env.AWS_REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoint: pipeline.pipeline.s3Endpoint,
      forcePathStyle: true,
    });
  }

  get env(): Readonly<Record<string, string>> {
    return this.pipeline.pipeline.env;
  }

  /** The first process of the service that drains `product-ingest` / takes the webhook (`relay`). */
  worker(service: 'ingest' | 'relay'): WorkerChild {
    const found = this.pipeline.services.find((candidate) => candidate.name === service);
    if (!found) throw new Error(`the stack runs no service named ${service}`);
    return found.replicas[0]!;
  }

  /** The relay's webhook, straight to its first process (as the load balancer forwards it). */
  get webhookUrl(): string {
    return this.worker('relay').webhookUrl;
  }

  /** The webhook secret and token the stack gave the worker (and signs / authenticates Pimcore's with). */
  get webhookCredentials(): { readonly secret: string; readonly token: string } {
    const { PIMCORE_WEBHOOK_SECRETS, PIMCORE_WEBHOOK_TOKENS } = this.pipeline.pimcore.secrets;
    if (!PIMCORE_WEBHOOK_SECRETS || !PIMCORE_WEBHOOK_TOKENS)
      throw new Error('the stack gave no webhook secret');
    return { secret: PIMCORE_WEBHOOK_SECRETS, token: PIMCORE_WEBHOOK_TOKENS };
  }

  /** Uploads `bytes` as `key` (under incoming/ to start an ingestion) and follows its ingestion to the end. */
  async ingest(key: string, bytes: Buffer | string): Promise<ProbedIngestion> {
    const folder = path.join(this.pipeline.runDir, 'probe-uploads', String((this.uploads += 1)));
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, path.basename(key));
    writeFileSync(file, bytes);
    const outcome = await this.pipeline.ingestion(await this.pipeline.upload(file, key), 60_000);
    const about = (detail: Readonly<Record<string, unknown>>) =>
      detail.ingestionId === outcome.ingestionId || detail.sourceKey === key;
    const events = WORKFLOW_EVENTS.flatMap((type) => this.bus.of(type, about));
    const failureReport =
      outcome.status === 'FAILED'
        ? await this.json<FailureReport>(ingestionKeys.failureReport(outcome.ingestionId))
        : undefined;
    return { outcome, events, ...(failureReport ? { failureReport } : {}) };
  }

  /** Sends a message straight to the product-ingest queue; SQS's id for it. */
  async sendToIngestQueue(
    body: string,
    attributes: Record<string, MessageAttributeValue> = {},
  ): Promise<string> {
    const sent = await this.pipeline.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.env.PRODUCT_INGEST_QUEUE_URL,
        MessageBody: body,
        ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
      }),
    );
    return sent.MessageId!;
  }

  /** Where these products stand in Pimcore and Medusa (the DLQs are the queue kinds' to read). */
  async reconcile(products: readonly ProductKey[]): Promise<Reconciliation> {
    const [pimcore, medusa] = await Promise.all([
      this.pipeline.pimcore.holdings(products.map((product) => product.externalId)),
      this.pipeline.medusa.holdings(products),
    ]);
    return reconcile(products, { pimcore, medusa, deadLetters: [] });
  }

  /** Waits until `condition` holds of where the products stand; where they stand then, either way. */
  async waitFor(
    products: readonly ProductKey[],
    condition: (state: Reconciliation) => boolean,
    timeoutMs: number,
  ): Promise<Reconciliation> {
    let state = await this.reconcile(products);
    await waitFor(
      'the products settle',
      async () => condition((state = await this.reconcile(products))),
      timeoutMs,
      250,
    ).catch(() => undefined);
    return state;
  }

  destroy(): void {
    this.s3.destroy();
  }

  private async json<T>(key: string): Promise<T | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.pipeline.bucket, Key: key }));
      return JSON.parse(await object.Body!.transformToString('utf8')) as T;
    } catch {
      return undefined;
    }
  }
}
