import { computeContentHash } from '../../../contracts/canonical-product';
import { PimcoreSimulator } from '../../../local/pimcore-simulator';
import {
  PimcoreAuthenticationError,
  PimcorePermanentError,
  PimcoreTransientError,
  type PimcoreClient,
} from '../../../nest-worker/src/pimcore';
import { canonicalProduct, clientFor, useSimulator, type Adapter } from './fixtures';

/** The behaviour both adapters promise the worker, checked over real HTTP against the simulator. */
describe.each<Adapter>(['datahub', 'rest'])('%s adapter', (adapter) => {
  const { simulator, track } = useSimulator();
  let client: PimcoreClient;
  beforeAll(() => {
    client = track(clientFor(simulator(), adapter));
  });

  describe('upsert', () => {
    it('creates the object once, then updates the same one', async () => {
      const first = await client.upsertProduct(canonicalProduct());
      const changed = canonicalProduct('10001', { brand: 'SHEIN Curve' });
      const second = await client.upsertProduct(changed);

      expect(first).toEqual({ pimcoreId: expect.any(Number), created: true, skippedLocales: [] });
      expect(second).toEqual({ pimcoreId: first.pimcoreId, created: false, skippedLocales: [] });
      expect(simulator().count()).toBe(1);
      const stored = simulator().object(first.pimcoreId);
      expect(stored).toMatchObject({ fullPath: '/Products/Shein/shein-10001', published: false });
      expect(stored?.values).toMatchObject({ brand: 'SHEIN Curve', contentHash: changed.contentHash });
    });

    it('leaves exactly one object when ten upserts of one product race', async () => {
      simulator().setLatency(20);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => client.upsertProduct(canonicalProduct())),
      );

      expect(simulator().count()).toBe(1);
      expect(new Set(results.map((result) => result.pimcoreId)).size).toBe(1);
      expect(results.filter((result) => result.created)).toHaveLength(1);
    });

    it('keeps distinct products apart under concurrency', async () => {
      const ids = ['20001', '20002', '20003', '20004'];
      await Promise.all(
        ids.flatMap((id) => [
          client.upsertProduct(canonicalProduct(id)),
          client.upsertProduct(canonicalProduct(id)),
        ]),
      );

      expect(
        simulator()
          .objects()
          .map((object) => object.key)
          .sort(),
      ).toEqual(ids.map((id) => `shein-${id}`));
    });

    it('creates unpublished, or published with auto-publish, and never touches `published` on update', async () => {
      const autoPublishing = track(clientFor(simulator(), adapter, { autoPublish: true }));
      const draft = await client.upsertProduct(canonicalProduct('30001'));
      const live = await autoPublishing.upsertProduct(canonicalProduct('30002'));
      expect(simulator().object(live.pimcoreId)?.published).toBe(true);
      simulator().unpublish(live.pimcoreId);
      await autoPublishing.upsertProduct(canonicalProduct('30002', { brand: 'Other' }));

      expect(simulator().object(draft.pimcoreId)?.published).toBe(false);
      expect(simulator().object(live.pimcoreId)?.published).toBe(false);
    });

    it('reports locales Pimcore has no language for', async () => {
      const french = canonicalProduct('10001', { title: { en: 'Dress', fr: 'Robe' } });
      await expect(client.upsertProduct(french)).resolves.toMatchObject({ skippedLocales: ['fr'] });
    });
  });

  describe('reads', () => {
    it('reads the product back as it was written, with Pimcore’s state', async () => {
      const product = canonicalProduct();
      const { pimcoreId } = await client.upsertProduct(product);
      const read = await client.getProduct(pimcoreId);

      expect(read).toMatchObject({
        pimcoreId,
        key: 'shein-10001',
        fullPath: '/Products/Shein/shein-10001',
        published: false,
        contentHash: product.contentHash,
        version: expect.any(Number),
        modificationDate: expect.any(Number),
      });
      expect({ schemaVersion: 1, ...read?.product, contentHash: read?.contentHash }).toEqual(product);
      expect(computeContentHash({ schemaVersion: 1, ...read!.product })).toBe(product.contentHash);
      await expect(client.findByExternalId('shein:10001')).resolves.toEqual(read);
    });

    it('sees a publication as a new version', async () => {
      const { pimcoreId } = await client.upsertProduct(canonicalProduct());
      const before = await client.getProduct(pimcoreId);
      simulator().publish(pimcoreId);
      const after = await client.getProduct(pimcoreId);

      expect(after?.published).toBe(true);
      expect(after!.version!).toBeGreaterThan(before!.version!);
    });

    it('answers null for an unknown id or externalId', async () => {
      await expect(client.getProduct(999)).resolves.toBeNull();
      await expect(client.findByExternalId('shein:404')).resolves.toBeNull();
    });
  });

  describe('failure classification', () => {
    const product = canonicalProduct();

    it('names a rejected API key as an authentication (configuration) error', async () => {
      const wrongKey = track(clientFor(simulator(), adapter, { apiKey: 'not-the-right-key-at-all' }));
      const failure = wrongKey.upsertProduct(product);
      await expect(failure).rejects.toBeInstanceOf(PimcoreAuthenticationError);
      await expect(failure).rejects.toMatchObject({
        reason: 'authentication',
        status: adapter === 'datahub' ? 403 : 401,
        message: expect.stringContaining('PIMCORE_API_KEY'),
      });
    });

    it.each([500, 502, 503])('treats %i as transient', async (status) => {
      simulator().failNext(1, { status });
      await expect(client.upsertProduct(product)).rejects.toMatchObject({
        name: 'PimcoreTransientError',
        reason: 'server-error',
        status,
      });
    });

    it('passes on Retry-After of a 429 (seconds) and a 503 (HTTP-date)', async () => {
      simulator().failNext(1, { status: 429, retryAfter: '7' });
      await expect(client.upsertProduct(product)).rejects.toMatchObject({
        reason: 'rate-limited',
        retryAfterMs: 7000,
      });

      simulator().failNext(1, { status: 503, retryAfter: new Date(Date.now() + 60_000).toUTCString() });
      const error: unknown = await client.upsertProduct(product).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PimcoreTransientError);
      expect((error as PimcoreTransientError).retryAfterMs).toBeGreaterThan(55_000);
    });

    it('treats 400 as permanent, with Pimcore’s message', async () => {
      simulator().failNext(1, { status: 400, body: '{"message":"malformed request"}' });
      await expect(client.upsertProduct(product)).rejects.toMatchObject({
        name: 'PimcorePermanentError',
        reason: 'rejected',
        status: 400,
        pimcoreMessage: 'malformed request',
      });
    });

    it('times out a hanging Pimcore as transient', async () => {
      const impatient = track(clientFor(simulator(), adapter, { timeoutMs: 200 }));
      simulator().hangNext(1);
      await expect(impatient.upsertProduct(product)).rejects.toMatchObject({
        name: 'PimcoreTransientError',
        reason: 'timeout',
      });
    });

    it('stops when the caller aborts', async () => {
      simulator().hangNext(1);
      const controller = new AbortController();
      const pending = client.getProduct(1, { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(pending).rejects.toMatchObject({ reason: 'aborted' });
    });

    it('treats a refused connection as transient', async () => {
      const gone = await PimcoreSimulator.start();
      const unreachable = track(clientFor(gone, adapter));
      await gone.stop();
      await expect(unreachable.getProduct(1)).rejects.toMatchObject({ reason: 'network' });
    });

    it('refuses an answer that is not JSON', async () => {
      simulator().failNext(1, { status: 200, body: '<html>maintenance</html>' });
      await expect(client.findByExternalId('shein:1')).rejects.toMatchObject({
        reason: 'unexpected-response',
      });
    });

    it('is a permanent error class the consumer can test for', async () => {
      simulator().failNext(1, { status: 422 });
      await expect(client.getProduct(1)).rejects.toBeInstanceOf(PimcorePermanentError);
    });
  });
});
