import { randomUUID } from 'node:crypto';
import type { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PinoLogger } from 'nestjs-pino';
import type { WorkerConfig } from '../../../nest-worker/src/config/worker-config';
import { IdempotencyLedger } from '../../../nest-worker/src/idempotency/idempotency-ledger';
import { REDIS_MODES, type RedisConnection } from '../../../nest-worker/src/idempotency/redis-connection';
import { RelayPendingMarks } from '../../../nest-worker/src/idempotency/relay-pending-marks';
import type { MedusaProductSync } from '../../../nest-worker/src/medusa/medusa-product-sync';
import { MedusaSyncHandler } from '../../../nest-worker/src/medusa/medusa-sync-handler';
import type { PimcoreClient } from '../../../nest-worker/src/pimcore';
import type { ConsumedMessage, HandlerContext } from '../../../nest-worker/src/queue/consumed-message';
import { signPimcoreWebhook } from '../../../nest-worker/src/webhook/pimcore-signature';
import {
  PimcoreWebhookService,
  type WebhookReply,
} from '../../../nest-worker/src/webhook/pimcore-webhook.service';
import { deleteNamespace, publicationBody } from '../medusa/relay-fixture';
import { useRedisCluster } from '../redis-cluster';
import { useRedisInMode } from '../redis-helpers';
import { waitUntil } from '../worker-harness';

/**
 * Relay events coalesced per Pimcore object: the webhook puts no event for an object whose event the
 * relay has not read yet, and the relay deletes the object's mark before it reads Pimcore. The webhook
 * service and the relay's handler as the worker builds them, on a real Redis (standalone and a local
 * cluster); EventBridge, Pimcore and Medusa are stubs that record what they are asked.
 */

const SECRET = 'relay-coalescing-secret-0123456789abcdef';
const cluster = useRedisCluster();

/** One line per request, as PinoLogger takes them. */
interface LoggedLine {
  readonly fields: Record<string, unknown>;
  readonly msg: string;
}

function recordingLogger(lines: LoggedLine[]): PinoLogger {
  const log = (fields: Record<string, unknown>, msg: string) => lines.push({ fields, msg });
  return { setContext: () => undefined, info: log, warn: log, error: log } as unknown as PinoLogger;
}

/** PutEvents that takes every entry (or fails while `failing`), recording the entries' details. */
class RecordingBus {
  readonly details: Record<string, unknown>[] = [];
  failing = false;
  readonly client = {
    send: async (command: PutEventsCommand) => {
      if (this.failing) throw new Error('connect ECONNREFUSED');
      const entries = command.input.Entries ?? [];
      this.details.push(
        ...entries.map((entry) => JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>),
      );
      return { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) };
    },
  } as unknown as EventBridgeClient;
}

function webhookConfig(namespace: string, relayCoalesceSeconds: number): WorkerConfig {
  return {
    redisKeyNamespace: namespace,
    webhook: {
      secrets: [SECRET],
      tokens: [],
      tokenMaxAgeSeconds: 3600,
      relayCoalesceSeconds,
      eventBusName: 'products-test',
    },
  } as unknown as WorkerConfig;
}

/** A signed webhook for a Pimcore object, as the shipped listener sends it. */
function signed(pimcoreId: number, deliveryId: string, event = 'product.published') {
  const rawBody = Buffer.from(JSON.stringify({ event, id: pimcoreId }));
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    rawBody,
    headers: {
      'content-type': 'application/json',
      'x-pimcore-timestamp': timestamp,
      'x-pimcore-delivery': deliveryId,
      'x-pimcore-signature': signPimcoreWebhook(SECRET, { timestamp, deliveryId, rawBody }),
    },
  };
}

/** A handler context whose heartbeats nobody runs. */
const handlerContext = (): HandlerContext => ({
  signal: new AbortController().signal,
  onHeartbeat: () => undefined,
});

const message = (body: string): ConsumedMessage => ({
  messageId: randomUUID(),
  receiptHandle: randomUUID(),
  body,
  receiveCount: 1,
  messageAttributes: {},
});

describe.each(REDIS_MODES)('relay events coalesced per Pimcore object (real Redis, %s)', (mode) => {
  const connection = useRedisInMode(mode, cluster);
  let namespace: string;
  let bus: RecordingBus;
  let lines: LoggedLine[];
  const namespaces: string[] = [];
  afterAll(async () => {
    if (mode === 'standalone') for (const used of namespaces) await deleteNamespace(used);
  });

  /** A webhook service as the worker builds it, under this test's namespace; `coalesceSeconds` 0: off. */
  const webhook = (coalesceSeconds = 900) =>
    new PimcoreWebhookService(
      webhookConfig(namespace, coalesceSeconds),
      connection.redis,
      bus.client,
      recordingLogger(lines),
    );
  const markKey = (pimcoreId: number) =>
    `pipeline:{medusa:${namespace}:pimcore-object:${pimcoreId}}:relay-pending`;
  /** The relay consumer's delete, before it reads the object. */
  const relayReads = (pimcoreId: number) =>
    new RelayPendingMarks(connection.redis, namespace).clear(pimcoreId);
  const deliver = (service: PimcoreWebhookService, pimcoreId: number, deliveryId: string = randomUUID()) =>
    service.handle(signed(pimcoreId, deliveryId));
  const outcomes = (replies: readonly WebhookReply[]) => replies.map((reply) => reply.outcome);
  const putFor = () => bus.details.map((detail) => detail.pimcoreId);

  beforeEach(() => {
    namespace = `coalesce-${randomUUID().slice(0, 8)}`;
    namespaces.push(namespace);
    bus = new RecordingBus();
    lines = [];
  });

  it('puts one event for two webhooks of one object before the relay reads it; the second is coalesced', async () => {
    const service = webhook();
    const first = await deliver(service, 7, 'delivery-postAdd');
    const second = await deliver(service, 7, 'delivery-postUpdate');

    expect(first).toMatchObject({ status: 202, outcome: 'accepted', body: { accepted: true } });
    expect(second).toEqual({ status: 202, outcome: 'coalesced', body: { accepted: true, coalesced: true } });
    expect(bus.details).toEqual([expect.objectContaining({ pimcoreId: 7, deliveryId: 'delivery-postAdd' })]);
    expect(await connection.redis.get(markKey(7))).toBe('delivery-postAdd');
    // One line per request, each with its outcome and delivery id (what the WebhookAccepted filter reads).
    expect(lines.map(({ fields, msg }) => [fields.outcome, fields.deliveryId, msg])).toEqual([
      ['accepted', 'delivery-postAdd', 'webhook accepted'],
      ['coalesced', 'delivery-postUpdate', 'webhook coalesced'],
    ]);
  });

  it('keeps the mark per object, whatever the event type', async () => {
    const service = webhook();
    await deliver(service, 1);
    const unpublished = await service.handle(signed(1, randomUUID(), 'product.unpublished'));
    const other = await deliver(service, 2);

    expect(unpublished.outcome).toBe('coalesced');
    expect(other.outcome).toBe('accepted');
    expect(putFor()).toEqual([1, 2]);
  });

  it('puts a new event for a webhook after the relay deleted the mark', async () => {
    const service = webhook();
    await deliver(service, 8);
    expect(await connection.redis.exists(markKey(8))).toBe(1);
    await relayReads(8);
    const after = await deliver(service, 8);

    expect(after.outcome).toBe('accepted');
    expect(putFor()).toEqual([8, 8]);
  });

  it('releases the mark when PutEvents fails, so the sender’s retry puts the event', async () => {
    const service = webhook();
    bus.failing = true;
    const failed = await deliver(service, 9, 'delivery-9');
    expect(failed).toMatchObject({ status: 503, outcome: 'unavailable' });
    expect(await connection.redis.exists(markKey(9))).toBe(0);

    bus.failing = false;
    const retried = await deliver(service, 9, 'delivery-9');
    expect(retried.outcome).toBe('accepted');
    expect(bus.details).toEqual([expect.objectContaining({ pimcoreId: 9, deliveryId: 'delivery-9' })]);
    expect(await connection.redis.get(markKey(9))).toBe('delivery-9');
  });

  it('lets a delivery whose mark outlived its request (a crash before PutEvents) put its event on retry', async () => {
    const service = webhook();
    // As a worker leaves it when it dies between the mark and PutEvents, once the delivery's claim lapsed.
    await connection.redis.set(markKey(10), 'delivery-10', 'EX', 900);
    expect((await deliver(service, 10)).outcome).toBe('coalesced');
    expect((await deliver(service, 10, 'delivery-10')).outcome).toBe('accepted');
    expect(bus.details).toEqual([expect.objectContaining({ deliveryId: 'delivery-10' })]);
  });

  it('answers a retry of a coalesced delivery as a duplicate, without an event', async () => {
    const service = webhook();
    await deliver(service, 11);
    expect((await deliver(service, 11, 'delivery-11')).outcome).toBe('coalesced');
    await relayReads(11);

    const retried = await deliver(service, 11, 'delivery-11');
    expect(retried).toEqual({ status: 200, outcome: 'duplicate', body: { duplicate: true } });
    expect(putFor()).toEqual([11]);
  });

  it('puts a new event once the mark expired (its event never reached the relay)', async () => {
    const service = webhook(1);
    await deliver(service, 12);
    expect((await deliver(service, 12)).outcome).toBe('coalesced');
    await waitUntil('the mark has expired', async () => (await connection.redis.exists(markKey(12))) === 0);

    expect((await deliver(service, 12)).outcome).toBe('accepted');
    expect(putFor()).toEqual([12, 12]);
  });

  it('puts an event for every delivery with WORKER_RELAY_COALESCE_SECONDS=0', async () => {
    const service = webhook(0);
    const replies = [await deliver(service, 13), await deliver(service, 13), await deliver(service, 13)];

    expect(outcomes(replies)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(putFor()).toEqual([13, 13, 13]);
    expect(await connection.redis.exists(markKey(13))).toBe(0);
  });

  describe('the relay consumer', () => {
    /** A Pimcore that says the object is gone (the relay then only records it), noting what the mark was. */
    const pimcoreRecording = (seen: (string | null)[], pimcoreId: number, during?: () => Promise<void>) =>
      ({
        getProduct: async () => {
          seen.push(await connection.redis.get(markKey(pimcoreId)));
          await during?.();
          return null;
        },
      }) as unknown as PimcoreClient;
    const relay = (pimcore: PimcoreClient, redis: RedisConnection = connection.redis) =>
      new MedusaSyncHandler(
        new IdempotencyLedger(connection.redis, {
          scope: `medusa:${namespace}`,
          claimTtlMs: 60_000,
          appliedTtlSeconds: 60,
        }),
        new RelayPendingMarks(redis, namespace),
        pimcore,
        {} as MedusaProductSync,
        {
          mapping: { salesChannelId: 'sc_test', currencies: undefined, manageInventory: false },
          retry: { maxAttempts: 1, baseMs: 1, capMs: 1 },
          busyRetryDelaySeconds: 5,
        },
      );

    it('deletes the mark before it reads Pimcore; a webhook during the read puts a new event', async () => {
      const service = webhook();
      await deliver(service, 20);
      expect((await deliver(service, 20)).outcome).toBe('coalesced');
      const seen: (string | null)[] = [];
      const during: WebhookReply[] = [];
      const handler = relay(
        pimcoreRecording(seen, 20, async () => {
          during.push(await deliver(service, 20));
        }),
      );

      const outcome = await handler.handle(message(publicationBody(20)), handlerContext());
      expect(outcome).toMatchObject({ kind: 'done' });
      expect(seen).toEqual([null]);
      expect(outcomes(during)).toEqual(['accepted']);
      expect(putFor()).toEqual([20, 20]);
    });

    it('deletes the mark also when another worker holds the object and the message is handed back', async () => {
      await deliver(webhook(), 21);
      expect(await connection.redis.exists(markKey(21))).toBe(1);
      await connection.redis.set(`pipeline:{medusa:${namespace}:pimcore-object:21}:claim`, 'another worker');
      const seen: (string | null)[] = [];

      const outcome = await relay(pimcoreRecording(seen, 21)).handle(
        message(publicationBody(21)),
        handlerContext(),
      );
      expect(outcome).toMatchObject({ kind: 'retry-later', reason: 'ProductBusy' });
      expect(seen).toEqual([]);
      expect(await connection.redis.exists(markKey(21))).toBe(0);
      // Its hand-back reads later; meanwhile a new webhook puts an event of its own.
      expect((await deliver(webhook(), 21)).outcome).toBe('accepted');
    });

    it('hands the message back, without reading, when Redis cannot delete the mark', async () => {
      await deliver(webhook(), 22);
      const lost = {
        del: () => Promise.reject(new Error('Connection is closed.')),
      } as unknown as RedisConnection;
      const seen: (string | null)[] = [];

      await expect(
        relay(pimcoreRecording(seen, 22), lost).handle(message(publicationBody(22)), handlerContext()),
      ).rejects.toMatchObject({ name: 'RedisUnavailable' });
      expect(seen).toEqual([]);
      expect(await connection.redis.exists(markKey(22))).toBe(1);
    });
  });
});
