import { randomUUID } from 'node:crypto';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { CanonicalProduct } from '../../contracts/canonical-product';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../contracts/events';
import { DEFAULT_TRANSFORM_CONFIG } from '../../lambdas/domain/transform-config';
import { transformProduct } from '../../lambdas/domain/transform';
import { validateRawProduct } from '../../lambdas/domain/validate-product';
import { productIngestedEntry } from '../../lambdas/publishing/product-ingested-entry';
import { checkEntry } from '../../local/eventbridge/event-entry';
import { waitFor } from '../../local/whole-pipeline/wait';
import {
  DEAD_LETTER_ATTRIBUTES,
  SQS_MAX_MESSAGE_BYTES,
} from '../../nest-worker/src/queue/dead-letter-message';
import type { Letter } from './dead-letter-reader';
import type { JsonObject } from '../generate/json';
import { listingItems } from './exports';
import { judged, type Kind, type Seen } from './kind';
import type { ProbeStack } from './probe-stack';

/**
 * Messages sent straight to the product-ingest queue, as a misrouted event, a broken producer or an
 * attacker with send rights would: the worker must dead-letter each with the reason in its attributes
 * (docs/worker.md, "What happens when something fails"), and apply a valid one.
 */

/** A poison message is dead-lettered at once; past this it is not being handled. */
const DEAD_LETTER_PATIENCE_MS = 40_000;

/** A canonical product, made by the Lambdas' own validation and transform from a generated item. */
function canonicalProduct(seed: number, item: JsonObject = listingItems(seed, 1)[0]!): CanonicalProduct {
  const validated = validateRawProduct(item, 0, DEFAULT_TRANSFORM_CONFIG);
  if (!validated.ok) throw new Error(`the generated product is invalid: ${validated.reject.message}`);
  return transformProduct(validated.product, DEFAULT_TRANSFORM_CONFIG);
}

/** An SQS message body as the products bus's rule delivers it: the event envelope EventBridge builds. */
function eventBody(
  stack: ProbeStack,
  entry: { Source?: string; DetailType?: string; Detail?: string },
): string {
  const { accountId, region } = stack.pipeline.pipeline.model.environment;
  const checked = checkEntry(
    {
      Source: entry.Source,
      DetailType: entry.DetailType,
      Detail: entry.Detail,
      EventBusName: stack.env.PRODUCTS_EVENT_BUS_NAME,
    },
    { accountId, region, now: Date.now(), trustedSource: false },
  );
  if (!checked.ok) throw new Error(`not an event: ${checked.errorMessage}`);
  return JSON.stringify(checked.envelope);
}

/** The ProductIngested event of `product`, as Publish puts it on the bus. */
function productIngestedBody(
  stack: ProbeStack,
  product: CanonicalProduct | Record<string, unknown>,
  ingestedAt = new Date(),
): string {
  const ingestion = {
    ingestionId: `probe-${randomUUID()}`,
    sourceBucket: stack.pipeline.bucket,
    sourceKey: 'incoming/probe-queue.json',
    index: 0,
    ingestedAt: ingestedAt.toISOString(),
  };
  return eventBody(
    stack,
    productIngestedEntry(stack.env.PRODUCTS_EVENT_BUS_NAME, ingestion, product as CanonicalProduct),
  );
}

const reasonOf = (letter: Letter | undefined) => letter?.attributes[DEAD_LETTER_ATTRIBUTES.reason];

function describedLetter(letter: Letter | undefined): string {
  if (!letter) return `not in the DLQ after ${DEAD_LETTER_PATIENCE_MS / 1000} s`;
  const detail = letter.attributes[DEAD_LETTER_ATTRIBUTES.detail];
  return `DLQ: reason ${reasonOf(letter) ?? '(none: moved by SQS after maxReceiveCount)'}${detail ? ` (${detail})` : ''}`;
}

/** Sends `body` and waits for its letter in the DLQ. */
async function deadLetterOf(
  stack: ProbeStack,
  body: string,
  attributes: Record<string, MessageAttributeValue> = {},
): Promise<{ readonly messageId: string; readonly letter: Letter | undefined }> {
  const messageId = await stack.sendToIngestQueue(body, attributes);
  let letter: Letter | undefined;
  await waitFor(
    `message ${messageId} is in the DLQ`,
    async () => (letter = (await stack.ingestDeadLetters.lettersOf(messageId))[0]) !== undefined,
    DEAD_LETTER_PATIENCE_MS,
    250,
  ).catch(() => undefined);
  return { messageId, letter };
}

/** A message the worker must dead-letter at once with `reason` (and a detail matching `detail`). */
function poisonKind(
  name: string,
  reason: string,
  body: (stack: ProbeStack) => string,
  detail?: RegExp,
): Kind {
  return queueKind(name, `DLQ with reason ${reason}${detail ? ' naming it' : ''}`, async (stack) => {
    const { letter } = await deadLetterOf(stack, body(stack));
    const given = letter?.attributes[DEAD_LETTER_ATTRIBUTES.detail] ?? '';
    return judged(
      describedLetter(letter),
      reasonOf(letter) === reason,
      detail === undefined || detail.test(given),
    );
  });
}

function queueKind(name: string, expected: string, run: (stack: ProbeStack) => Promise<Seen>): Kind {
  return { name, boundary: 'queue', expected, lane: 'stack', run: (context) => run(context.stack()) };
}

/**
 * A poison message the DLQ can take only with the worker's attributes fitted to what room it leaves:
 * it must arrive with its reason, and the worker must log a dead-lettering only when one happened.
 */
function fittedPoisonKind(name: string, bodyBytes: number, ownAttributes: number): Kind {
  return queueKind(
    name,
    "DLQ with reason InvalidJson; the worker's log claims exactly the dead-lettering that happened",
    async (stack) => {
      const attributes = Object.fromEntries(
        Array.from({ length: ownAttributes }, (_, index) => [
          `probe.attribute-${index}`,
          { DataType: 'String', StringValue: `value ${index}` },
        ]),
      );
      const { messageId, letter } = await deadLetterOf(stack, 'x'.repeat(bodyBytes), attributes);
      const letters = await stack.ingestDeadLetters.lettersOf(messageId);
      const sentByWorker = letters.filter((one) => reasonOf(one) !== undefined).length;
      const claims = () =>
        stack
          .worker('ingest')
          .logLines('message dead-lettered')
          .filter((line) => line.messageId === messageId).length;
      // The log line is written after the send it reports: give it a moment to reach the file.
      await waitFor('the worker logged its dead-lettering', () => claims() >= sentByWorker, 3000).catch(
        () => undefined,
      );
      const claimed = claims();
      return judged(
        `${describedLetter(letter)}; ${letter ? `${Object.keys(letter.attributes).length} attributes; ` : ''}` +
          `the worker logged "message dead-lettered" ${claimed}×, sent ${sentByWorker}`,
        reasonOf(letter) === 'InvalidJson',
        claimed === sentByWorker,
      );
    },
  );
}

export const QUEUE_KINDS: readonly Kind[] = [
  poisonKind('not JSON', 'InvalidJson', () => 'this is { not JSON'),
  poisonKind('JSON of the wrong shape', 'NotAnEvent', () => '{"hello":"world"}', /EventBridge/),
  poisonKind('unknown detail-type', 'UnexpectedEvent', (stack) =>
    eventBody(stack, {
      Source: EVENT_SOURCES.ingestion,
      DetailType: 'ProductDeleted',
      Detail: JSON.stringify({ externalId: 'shein:1' }),
    }),
  ),
  poisonKind(
    'ProductIngested breaking the schema',
    'InvalidDetail',
    (stack) => {
      const { title: _title, ...product } = canonicalProduct(1601);
      return productIngestedBody(stack, product);
    },
    /product\.title/,
  ),
  fittedPoisonKind('~1 MiB poison message', SQS_MAX_MESSAGE_BYTES - 1024, 0),
  fittedPoisonKind('poison message with 10 attributes', 2048, 10),
  queueKind(
    'valid message (control)',
    'the product in Pimcore, one object with its content',
    async (stack) => {
      const product = canonicalProduct(1602);
      await stack.sendToIngestQueue(productIngestedBody(stack, product));
      const state = await stack.waitFor([product], (now) => now.inPimcore === 1, 30_000);
      return judged(
        `in Pimcore ${state.inPimcore} (duplicated ${state.duplicatedInPimcore.length})`,
        state.inPimcore === 1,
        state.duplicatedInPimcore.length === 0,
      );
    },
  ),
  queueKind('the same product message 3 times', 'one Pimcore object', async (stack) => {
    const product = canonicalProduct(1603);
    const body = productIngestedBody(stack, product);
    await Promise.all([1, 2, 3].map(() => stack.sendToIngestQueue(body)));
    const state = await stack.waitFor([product], (now) => now.inPimcore === 1, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const settled = await stack.reconcile([product]);
    return judged(
      `in Pimcore ${settled.inPimcore} (duplicated ${settled.duplicatedInPimcore.length})`,
      state.inPimcore === 1 && settled.inPimcore === 1,
      settled.duplicatedInPimcore.length === 0,
    );
  }),
  queueKind(
    'older event replayed after a newer',
    'judged stale: Pimcore keeps the newer content',
    async (stack) => {
      const [item] = listingItems(1604, 1);
      const newer = canonicalProduct(1604, item);
      const older = canonicalProduct(1604, { ...item!, goods_name: `${String(item!.goods_name)} (old)` });
      await stack.sendToIngestQueue(productIngestedBody(stack, newer));
      const applied = await stack.waitFor([newer], (now) => now.inPimcore === 1, 30_000);
      const replayed = await stack.sendToIngestQueue(
        productIngestedBody(stack, older, new Date(Date.now() - 3600_000)),
      );
      let verdict: string | undefined;
      await waitFor(
        'the worker handled the older event',
        () =>
          (verdict = stack
            .worker('ingest')
            .logLines()
            .find((line) => line.messageId === replayed && typeof line.outcome === 'string')?.outcome as
            string | undefined) !== undefined,
        15_000,
        250,
      ).catch(() => undefined);
      const after = await stack.reconcile([newer]);
      return judged(
        `newer applied: ${applied.inPimcore === 1}; the older judged ${verdict ?? '(not handled in 15 s)'}; ` +
          `Pimcore holds the newer content: ${after.inPimcore === 1}`,
        applied.inPimcore === 1,
        verdict === 'stale',
        after.inPimcore === 1,
      );
    },
  ),
];

// The products bus's detail-types, for the unknown one above to stay unknown.
if ((Object.values(DETAIL_TYPES) as string[]).includes('ProductDeleted')) {
  throw new Error('ProductDeleted became a detail-type: the probe needs another unknown one');
}
