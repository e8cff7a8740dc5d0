import { EventBridgeClient, type PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanonicalProduct } from '../../contracts/canonical-product';
import { DETAIL_TYPES } from '../../contracts/events';
import { LOCAL_CREDENTIALS } from '../../local/s3/s3-emulator';
import { productIngestedEntry } from '../../lambdas/publishing/product-ingested-entry';
import { putEventsReliably } from '../../lambdas/publishing/put-events';
import { ProductEventPublisher } from '../../nest-worker/src/webhook/product-event-publisher';
import { withWholePipeline } from '../whole-pipeline/run-stack';
import { eventSizes, type EventSizes } from './event-sizes';

/** What one worker service wrote and did per product, from its processes' pino logs. */
export interface ServiceSample {
  /**
   * Log lines about a message (`messageId`) or logged during an HTTP request (`reqId`); start-up and
   * shutdown lines are per task, not per product.
   */
  readonly logEvents: number;
  readonly logBytes: number;
  /** Deliveries handled (each one received from the queue once). */
  readonly deliveries: number;
  /** Deliveries handed back to the queue for a later retry (a ChangeMessageVisibility each). */
  readonly handedBack: number;
  /** Webhook requests served (one line with an `outcome` each), and the events they put on the bus. */
  readonly webhookRequests: number;
  readonly eventsPut: number;
}

export interface WorkerSample {
  readonly products: number;
  /** Per product. */
  readonly ingest: ServiceSample;
  readonly relay: ServiceSample;
  readonly productPublished: EventSizes;
}

interface LogLine {
  readonly msg?: string;
  readonly context?: string;
  readonly messageId?: string;
  /** The HTTP request a line was logged during (pino-http's id; the worker binds nothing else of it). */
  readonly reqId?: unknown;
  readonly outcome?: string;
  readonly pimcoreId?: number;
  readonly deliveryId?: string;
  readonly externalId?: string;
  readonly detailType?: string;
}

/**
 * The whole local pipeline (npm run demo's) with the worker's ECS services as their task definitions
 * start them, fed by putting these products' ProductIngested events on the bus with Publish's own code
 * (so this measures the worker whatever state the ingestion workflow is in). Waits until every product
 * is in Medusa, then reads what each service's processes logged and did.
 */
export async function measureWorker(
  templatePath: string,
  products: readonly CanonicalProduct[],
  timeoutMs: number,
): Promise<WorkerSample> {
  const runDir = await mkdtemp(join(tmpdir(), 'cost-worker-'));
  try {
    const code = await withWholePipeline({ templatePath, runDir, log: () => undefined }, async (stack) => {
      const env = stack.pipeline.env;
      const client = new EventBridgeClient({
        region: env.AWS_REGION,
        endpoint: stack.pipeline.endpoint,
        credentials: LOCAL_CREDENTIALS,
      });
      const ingestedAt = new Date().toISOString();
      const ingestion = {
        ingestionId: 'cost-sample',
        sourceBucket: env.INGEST_BUCKET,
        sourceKey: 'incoming/cost.json',
        ingestedAt,
      };
      const items = products.map((product, index) => ({ product, index }));
      await putEventsReliably(
        client,
        items,
        ({ product, index }) =>
          productIngestedEntry(env.PRODUCTS_EVENT_BUS_NAME, { ...ingestion, index }, product),
        { backoff: { baseMs: 200, capMs: 2000, maxAttempts: 4 } },
      );
      client.destroy();
      const state = await stack.settle(products, { timeoutMs });
      return state.missing.length === 0 ? 0 : 1;
    });
    if (code !== 0)
      throw new Error(`the worker did not bring every sample product to Medusa within ${timeoutMs / 1000} s`);
    const ingest = await serviceLines(runDir, 'ingest');
    const relay = await serviceLines(runDir, 'relay');
    return {
      products: products.length,
      ingest: perProduct(ingest, products.length),
      relay: perProduct(relay, products.length),
      productPublished: await productPublishedSizes(relay),
    };
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}

async function serviceLines(runDir: string, service: string): Promise<{ text: string; line: LogLine }[]> {
  const files = (await readdir(runDir)).filter(
    (name) => name.startsWith(`${service}-`) && name.endsWith('.log'),
  );
  const texts = await Promise.all(files.map((name) => readFile(join(runDir, name), 'utf8')));
  return texts
    .flatMap((text) => text.split('\n'))
    .filter((text) => text.startsWith('{'))
    .map((text) => ({ text, line: JSON.parse(text) as LogLine }))
    .filter(({ line }) => line.messageId !== undefined || line.reqId !== undefined);
}

function perProduct(lines: readonly { text: string; line: LogLine }[], products: number): ServiceSample {
  const count = (test: (line: LogLine) => boolean) =>
    lines.filter(({ line }) => test(line)).length / products;
  return {
    logEvents: lines.length / products,
    logBytes: lines.reduce((sum, { text }) => sum + Buffer.byteLength(text), 0) / products,
    deliveries: count((line) => line.messageId !== undefined && line.outcome !== 'retrying'),
    handedBack: count((line) => line.outcome === 'retry-later'),
    // The webhook gets no access line; its controller or service logs one line per request with the outcome.
    webhookRequests: count((line) => line.context === 'PimcoreWebhook' && line.outcome !== undefined),
    eventsPut: count((line) => line.msg === 'webhook accepted'),
  };
}

/** The ProductPublished entries the worker's own publisher builds for the accepted webhooks. */
async function productPublishedSizes(lines: readonly { line: LogLine }[]): Promise<EventSizes> {
  const entries: NonNullable<PutEventsCommand['input']['Entries']> = [];
  const capture = {
    send: async (command: PutEventsCommand) => {
      entries.push(...(command.input.Entries ?? []));
      return { FailedEntryCount: 0, Entries: [{ EventId: 'captured' }] };
    },
  } as unknown as EventBridgeClient;
  const publisher = new ProductEventPublisher(capture, 'products-dev');
  const externalIds = new Map(
    lines
      .filter(({ line }) => line.externalId && line.pimcoreId)
      .map(({ line }) => [String(line.pimcoreId), line.externalId]),
  );
  for (const { line } of lines.filter(({ line }) => line.msg === 'webhook accepted')) {
    await publisher.publish(
      line.detailType === DETAIL_TYPES.productUnpublished ? 'ProductUnpublished' : 'ProductPublished',
      {
        pimcoreId: Number(line.pimcoreId),
        externalId: externalIds.get(String(line.pimcoreId)),
        deliveryId: String(line.deliveryId),
        receivedAt: new Date().toISOString(),
      },
    );
  }
  return eventSizes(entries);
}
