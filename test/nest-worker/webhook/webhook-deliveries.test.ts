import { REDIS_MODES } from '../../../nest-worker/src/idempotency/redis-connection';
import { WebhookDeliveries } from '../../../nest-worker/src/webhook/webhook-deliveries';
import { useRedisCluster } from '../redis-cluster';
import { useRedisInMode } from '../redis-helpers';
import { waitUntil } from '../worker-harness';

const cluster = useRedisCluster();

describe.each(REDIS_MODES)('WebhookDeliveries: the webhook’s dedupe (real Redis, %s)', (mode) => {
  const connection = useRedisInMode(mode, cluster);
  // A claim held for a minute: far longer than any test takes, however loaded the machine. Only the
  // expiry test holds one briefly, and waits for it to lapse rather than sleeping a fixed time.
  const deliveries = (scope: string, pendingTtlMs = 60_000) =>
    new WebhookDeliveries(connection.redis, { scope, doneTtlSeconds: 60, pendingTtlMs });

  it('lets one request have a delivery id, remembers it done with its event id, and frees it on failure', async () => {
    const scope = connection.scope('webhook');
    const webhook = deliveries(scope);

    const first = await webhook.claim('d-1');
    expect(first).toEqual({ state: 'claimed', owner: expect.stringMatching(/^pending:/) });
    expect(await webhook.claim('d-1')).toEqual({ state: 'in-progress' });
    if (first.state !== 'claimed') throw new Error('not claimed');
    await webhook.complete('d-1', 'another owner', 'event-0');
    expect(await webhook.claim('d-1')).toEqual({ state: 'in-progress' });
    await webhook.complete('d-1', first.owner, 'event-1');
    expect(await webhook.claim('d-1')).toEqual({ state: 'done', eventId: 'event-1' });
    expect(await connection.redis.get(`pipeline:{${scope}:d-1}:delivery`)).toBe('done:event-1');

    const failed = await webhook.claim('d-2');
    if (failed.state !== 'claimed') throw new Error('not claimed');
    await webhook.release('d-2', failed.owner);
    expect((await webhook.claim('d-2')).state).toBe('claimed');
  });

  it('lets a claim of a crashed request expire', async () => {
    const webhook = deliveries(connection.scope('webhook'), 400);
    expect((await webhook.claim('d-3')).state).toBe('claimed');
    // Nobody completes or releases it: once its hold lapses, the sender's retry can claim it again.
    await waitUntil(
      'the crashed request’s claim has expired',
      async () => (await webhook.claim('d-3')).state === 'claimed',
    );
  });

  it('keeps the delivery ids of two namespaces apart', async () => {
    const [one, other] = [deliveries(connection.scope('webhook')), deliveries(connection.scope('webhook'))];
    const claim = await one.claim('d-4');
    if (claim.state !== 'claimed') throw new Error('not claimed');
    await one.complete('d-4', claim.owner, 'event-4');
    expect((await other.claim('d-4')).state).toBe('claimed');
    expect(await one.claim('d-4')).toEqual({ state: 'done', eventId: 'event-4' });
  });
});
