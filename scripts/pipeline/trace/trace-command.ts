import type { CanonicalProduct } from '../../../contracts/canonical-product';
import type { AppliedRecord } from '../../../nest-worker/src/idempotency/idempotency-ledger';
import { REDIS_MODES, type RedisMode } from '../../../nest-worker/src/idempotency/redis-connection';
import { MedusaAdminClient } from '../../../nest-worker/src/medusa/medusa-admin-client';
import type { MedusaProduct } from '../../../nest-worker/src/medusa/medusa-api-types';
import { createPimcoreClient, type PimcoreProduct } from '../../../nest-worker/src/pimcore';
import { pimcoreRevisionOf } from '../../../nest-worker/src/medusa/medusa-product-body';
import {
  loadReconcileConfig,
  type ReconcileConfig,
} from '../../../nest-worker/src/reconcile/reconcile-config';
import { EXIT_OK, EXIT_PROBLEM, paint, table, writeJson, writeLine, type CliIo } from '../cli-io';
import { letterOf, type Letter } from '../dlq/letter';
import { peekMessages } from '../dlq/peek';
import { recentExecutions } from '../status/ingestions';
import type { AwsClients } from '../target/aws-clients';
import type { PipelineTarget } from '../target/pipeline-target';
import { carryingIngestions, type CarryingIngestion } from './carrying-ingestions';
import { readLedgerState, type LedgerState } from './ledger-state';

/** One part of the journey: what it read, or why it could not. */
type Part<T> = { readonly value: T } | { readonly error: string };

export interface TraceReport {
  readonly externalId: string;
  readonly ingestions: Part<{ searched: number; batchesRead: number; found: CarryingIngestion[] }>;
  readonly pimcore: Part<PimcoreView | null>;
  readonly ledger: Part<LedgerState>;
  readonly medusa: Part<MedusaView | null>;
  readonly deadLetters: Part<(Letter & { queue: string })[]>;
}

interface PimcoreView {
  readonly pimcoreId: number;
  readonly fullPath: string;
  readonly published: boolean;
  readonly revision: number;
  readonly contentHash: string | null;
  readonly handle: string;
}

interface MedusaView {
  readonly medusaId: string;
  readonly status: string;
  readonly handle: string;
  readonly externalId: string | null;
  readonly revision: unknown;
  readonly variants: { sku: string; prices: string }[];
}

async function part<T>(read: () => Promise<T>): Promise<Part<T>> {
  try {
    return { value: await read() };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

const pimcoreView = (product: PimcoreProduct): PimcoreView => ({
  pimcoreId: product.pimcoreId,
  fullPath: product.fullPath,
  published: product.published,
  revision: pimcoreRevisionOf(product),
  contentHash: product.contentHash,
  handle: product.product.handle,
});

const medusaView = (product: MedusaProduct): MedusaView => ({
  medusaId: product.id,
  status: product.status,
  handle: product.handle,
  externalId: product.external_id ?? null,
  revision: product.metadata?.pimcore_revision,
  variants: (product.variants ?? []).map((variant) => ({
    sku: variant.sku ?? '-',
    prices: (variant.prices ?? [])
      .map((price) => `${price.amount} ${price.currency_code.toUpperCase()}`)
      .join(', '),
  })),
});

/** Does a DLQ message name the product (its externalId, or its Pimcore object in a relay event)? */
const names = (body: string, externalId: string, pimcoreId: number | undefined) =>
  body.includes(JSON.stringify(externalId)) ||
  (pimcoreId !== undefined && new RegExp(`"pimcoreId":\\s*${pimcoreId}[,}]`).test(body));

/**
 * `trace <externalId | goods_id>`: the product's journey, each part read on its own so one that cannot
 * be reached (Redis inside a VPC) leaves the others shown. Exit 1 when a dead letter names it, it is
 * nowhere, or a part could not be read.
 */
export async function traceCommand(
  io: CliIo,
  target: PipelineTarget,
  clients: AwsClients,
  downstream: Readonly<Record<string, string>>,
  options: { readonly externalId: string; readonly ingestions: number; readonly json: boolean },
): Promise<number> {
  const { externalId } = options;
  const { bucket, stateMachineArn, busName } = target.outputs;
  const config: Part<ReconcileConfig> = await part(async () =>
    loadReconcileConfig({ ...downstream, PRODUCTS_EVENT_BUS_NAME: busName }),
  );
  const ingestions = await part(async () => {
    // Names and statuses are enough here: no ingestion's reports are read.
    const recent = await recentExecutions({ sfn: clients.sfn, stateMachineArn }, options.ingestions);
    return carryingIngestions(clients.s3, bucket, recent, externalId);
  });
  const pimcore = await part(async () => {
    if ('error' in config) throw new Error(config.error);
    const client = createPimcoreClient(config.value.pimcore);
    try {
      const product = await client.findByExternalId(externalId);
      return product === null ? null : pimcoreView(product);
    } finally {
      await client.close();
    }
  });
  const pimcoreId = 'value' in pimcore ? pimcore.value?.pimcoreId : undefined;
  const ledger = await part(async () => {
    const url = downstream.REDIS_URL;
    if (url === undefined) throw new Error('REDIS_URL is not set for the relay');
    const mode = (REDIS_MODES as readonly string[]).includes(downstream.REDIS_MODE ?? '')
      ? (downstream.REDIS_MODE as RedisMode)
      : 'standalone';
    return readLedgerState({ url, mode, namespace: downstream.REDIS_KEY_NAMESPACE }, externalId, pimcoreId);
  });
  const carried: CanonicalProduct | undefined =
    'value' in ingestions ? ingestions.value.found[0]?.product : undefined;
  const handle = ('value' in pimcore ? pimcore.value?.handle : undefined) ?? carried?.handle;
  const medusa = await part(async () => {
    if ('error' in config) throw new Error(config.error);
    if (handle === undefined) return null;
    const client = new MedusaAdminClient(config.value.medusa);
    try {
      const product = await client.findProductByHandle(handle);
      return product === null ? null : medusaView(product);
    } finally {
      await client.close();
    }
  });
  const deadLetters = await part(async () => {
    const letters: (Letter & { queue: string })[] = [];
    for (const queue of target.deadLetterQueues) {
      const messages = await peekMessages(clients.sqs, queue.url, { max: 1000 });
      for (const message of messages) {
        if (names(message.Body ?? '', externalId, pimcoreId)) {
          letters.push({ ...letterOf(message, queue.kind), queue: queue.name });
        }
      }
    }
    return letters;
  });
  const report: TraceReport = { externalId, ingestions, pimcore, ledger, medusa, deadLetters };
  if (options.json) writeJson(io, report);
  else render(io, report);
  const parts = [ingestions, pimcore, ledger, medusa, deadLetters];
  const unread = parts.some((entry) => 'error' in entry);
  const lettered = 'value' in deadLetters && deadLetters.value.length > 0;
  const nowhere =
    !('value' in pimcore && pimcore.value !== null) &&
    !('value' in ingestions && ingestions.value.found.length > 0);
  return unread || lettered || nowhere ? EXIT_PROBLEM : EXIT_OK;
}

function render(io: CliIo, report: TraceReport): void {
  const heading = (title: string) => writeLine(io, `\n${paint(io, 'bold', title)}`);
  const failed = (entry: { error: string }) =>
    writeLine(io, paint(io, 'red', `  could not read: ${entry.error}`));
  writeLine(io, paint(io, 'bold', `Trace of ${report.externalId}`));

  heading('1. Ingestions (recent ones that carried it; its ProductIngested event)');
  if ('error' in report.ingestions) failed(report.ingestions);
  else {
    const { found, searched, batchesRead } = report.ingestions.value;
    if (found.length === 0)
      writeLine(io, `  not in the ${searched} most recent ingestion(s) (${batchesRead} batches read)`);
    for (const hit of found) {
      writeLine(
        io,
        `  ${hit.ingestionId} (${hit.status}, ${hit.startedAt}): product #${hit.index} of ${hit.canonicalKey}, ` +
          `contentHash ${hit.product.contentHash.slice(0, 12)}…, ${hit.product.variants.length} variant(s)`,
      );
    }
  }

  heading('2. Pimcore');
  if ('error' in report.pimcore) failed(report.pimcore);
  else if (report.pimcore.value === null) writeLine(io, '  no Product object has this externalId');
  else {
    const object = report.pimcore.value;
    writeLine(
      io,
      `  object ${object.pimcoreId} ${object.fullPath}, ${object.published ? paint(io, 'green', 'published') : paint(io, 'yellow', 'not published')}, ` +
        `revision ${object.revision}, contentHash ${object.contentHash?.slice(0, 12) ?? 'none'}…`,
    );
  }

  heading('3. Idempotency ledger (Redis)');
  if ('error' in report.ledger) failed(report.ledger);
  else {
    const { pimcore, medusa, relayPending } = report.ledger.value;
    const describe = (record: AppliedRecord | null) =>
      record === null
        ? 'nothing recorded'
        : `version ${record.version}, applied as ${record.appliedAs || '-'}, content ${record.contentHash.slice(0, 12)}…`;
    writeLine(io, `  → Pimcore: ${describe(pimcore)}`);
    writeLine(io, `  → Medusa:  ${describe(medusa)}${relayPending ? ' (a relay event is on its way)' : ''}`);
  }

  heading('4. Medusa');
  if ('error' in report.medusa) failed(report.medusa);
  else if (report.medusa.value === null) writeLine(io, '  no product with its handle');
  else {
    const product = report.medusa.value;
    writeLine(
      io,
      `  ${product.medusaId} (${product.handle}), ${product.status === 'published' ? paint(io, 'green', 'published') : paint(io, 'yellow', product.status)}, ` +
        `Pimcore revision ${String(product.revision ?? '-')}`,
    );
    if (product.variants.length > 0) {
      writeLine(
        io,
        table(
          io,
          ['variant sku', 'prices'],
          product.variants.map((variant) => [variant.sku, variant.prices]),
        ),
      );
    }
  }

  heading('5. Dead letters naming it');
  if ('error' in report.deadLetters) failed(report.deadLetters);
  else if (report.deadLetters.value.length === 0) writeLine(io, '  none');
  else {
    for (const letter of report.deadLetters.value) {
      writeLine(
        io,
        paint(
          io,
          'red',
          `  ${letter.queue} ${letter.messageId}: ${letter.reason} ${letter.detail ?? ''}`.trimEnd(),
        ),
      );
    }
  }
}
