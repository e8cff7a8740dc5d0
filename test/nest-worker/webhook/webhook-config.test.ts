import { loadWorkerConfig } from '../../../nest-worker/src/config/worker-config';
import { configProblems } from '../medusa/config-problems';

const base = {
  WORKER_CONSUMERS: 'product-ingest',
  PRODUCT_INGEST_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/product-ingest',
  PRODUCT_INGEST_DLQ_URL: 'http://127.0.0.1:4566/000000000000/product-ingest-dlq',
  PIMCORE_BASE_URL: 'http://127.0.0.1:8080',
  PIMCORE_API_KEY: 'an-api-key-of-16-chars',
  PIMCORE_DATAHUB_ENDPOINT: 'products',
  PRODUCTS_EVENT_BUS_NAME: 'products-dev',
};
const secretA = 'a'.repeat(32);
const secretB = 'b'.repeat(40);

const problems = configProblems;

describe('the webhook configuration', () => {
  it('reads one or two secrets (rotation) and the bus name', () => {
    const config = loadWorkerConfig({ ...base, PIMCORE_WEBHOOK_SECRETS: ` ${secretA} , ${secretB} ` });
    expect(config.webhook).toEqual({
      secrets: [secretA, secretB],
      tokens: [],
      tokenMaxAgeSeconds: 3600,
      relayCoalesceSeconds: 900,
      eventBusName: 'products-dev',
    });
    expect(loadWorkerConfig({ ...base, PIMCORE_WEBHOOK_SECRETS: secretA }).webhook.secrets).toEqual([
      secretA,
    ]);
  });

  it('names each problem without repeating a secret', () => {
    expect(problems({ ...base, PRODUCTS_EVENT_BUS_NAME: undefined })).toEqual([
      expect.stringMatching(/PIMCORE_WEBHOOK_SECRETS: required/),
      expect.stringMatching(/PRODUCTS_EVENT_BUS_NAME: required/),
    ]);
    const short = 'short-secret';
    const tooShort = problems({ ...base, PIMCORE_WEBHOOK_SECRETS: `${secretA},${short}` });
    expect(tooShort).toEqual(['  - PIMCORE_WEBHOOK_SECRETS.1: each secret must be at least 32 characters']);
    expect(problems({ ...base, PIMCORE_WEBHOOK_SECRETS: `${secretA},${secretB},${secretA}` })).toEqual([
      '  - PIMCORE_WEBHOOK_SECRETS: at most 2 secrets (the new one and the one being retired)',
    ]);
    expect(problems({ ...base, PIMCORE_WEBHOOK_SECRETS: ' , ' })).toEqual([
      '  - PIMCORE_WEBHOOK_SECRETS: expected 1 or 2 comma-separated secrets',
    ]);
  });

  it('turns token mode (Datahub Webhooks) on with one or two tokens and a replay window of at most a day', () => {
    const config = loadWorkerConfig({
      ...base,
      PIMCORE_WEBHOOK_SECRETS: secretA,
      PIMCORE_WEBHOOK_TOKENS: `${secretB},${secretA}`,
      PIMCORE_WEBHOOK_TOKEN_MAX_AGE_SECONDS: '900',
    });
    expect(config.webhook).toMatchObject({ tokens: [secretB, secretA], tokenMaxAgeSeconds: 900 });
    const withTokens = (tokens: string, maxAge = '3600') =>
      problems({
        ...base,
        PIMCORE_WEBHOOK_SECRETS: secretA,
        PIMCORE_WEBHOOK_TOKENS: tokens,
        PIMCORE_WEBHOOK_TOKEN_MAX_AGE_SECONDS: maxAge,
      });
    expect(withTokens('short-token')).toEqual([
      '  - PIMCORE_WEBHOOK_TOKENS.0: each token must be at least 32 characters',
    ]);
    // Longer than a delivery is remembered, a replay of a captured request would no longer be a duplicate.
    expect(withTokens(secretB, '86401')).toEqual([
      expect.stringMatching(/^ {2}- PIMCORE_WEBHOOK_TOKEN_MAX_AGE_SECONDS: .*86400/),
    ]);
  });

  it('coalesces relay events for 900 s unless WORKER_RELAY_COALESCE_SECONDS says otherwise (0: off)', () => {
    const withSecret = { ...base, PIMCORE_WEBHOOK_SECRETS: secretA };
    const coalesce = (value: string) =>
      loadWorkerConfig({ ...withSecret, WORKER_RELAY_COALESCE_SECONDS: value }).webhook.relayCoalesceSeconds;
    expect(coalesce('0')).toBe(0);
    expect(coalesce('60')).toBe(60);
    for (const wrong of ['', '-1', '1e3', '0x10', '86401']) {
      expect(problems({ ...withSecret, WORKER_RELAY_COALESCE_SECONDS: wrong })).toEqual([
        expect.stringMatching(/^ {2}- WORKER_RELAY_COALESCE_SECONDS: /),
      ]);
    }
  });
});
