import { loadWorkerConfig } from '../../../nest-worker/src/config/worker-config';
import { configProblems } from './config-problems';

const base = {
  PRODUCT_INGEST_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/product-ingest',
  PRODUCT_INGEST_DLQ_URL: 'http://127.0.0.1:4566/000000000000/product-ingest-dlq',
  MEDUSA_SYNC_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/medusa-sync',
  MEDUSA_SYNC_DLQ_URL: 'http://127.0.0.1:4566/000000000000/medusa-sync-dlq',
  PIMCORE_BASE_URL: 'http://127.0.0.1:8080',
  PIMCORE_API_KEY: 'an-api-key-of-16-chars',
  PIMCORE_DATAHUB_ENDPOINT: 'products',
  PIMCORE_WEBHOOK_SECRETS: 'a'.repeat(32),
  PRODUCTS_EVENT_BUS_NAME: 'products-dev',
  MEDUSA_BASE_URL: 'https://shop.example.com/',
  MEDUSA_SECRET_API_KEY: 'sk_0123456789',
  MEDUSA_SALES_CHANNEL_ID: 'sc_01HDEFAULT',
};

const problems = configProblems;

describe('the worker configuration of the Medusa relay', () => {
  it('runs both consumers by default, with the Medusa settings', () => {
    const config = loadWorkerConfig({
      ...base,
      MEDUSA_CURRENCIES: ' SAR, usd ',
      MEDUSA_STOCK_LOCATION_ID: 'sloc_1',
    });
    expect(config.productIngest?.queueUrl).toBe(base.PRODUCT_INGEST_QUEUE_URL);
    expect(config.medusaSync).toEqual({
      queueUrl: base.MEDUSA_SYNC_QUEUE_URL,
      deadLetterQueueUrl: base.MEDUSA_SYNC_DLQ_URL,
      medusa: {
        baseUrl: 'https://shop.example.com',
        credentials: { kind: 'secret-api-key', secretApiKey: 'sk_0123456789' },
        salesChannelId: 'sc_01HDEFAULT',
        currencies: ['sar', 'usd'],
        stockLocationId: 'sloc_1',
        timeoutMs: 10_000,
      },
    });
  });

  it('needs only the chosen consumer’s settings', () => {
    const ingestOnly = {
      ...base,
      WORKER_CONSUMERS: 'product-ingest',
      MEDUSA_BASE_URL: undefined,
      MEDUSA_SYNC_QUEUE_URL: undefined,
    };
    expect(loadWorkerConfig(ingestOnly).medusaSync).toBeUndefined();
    const relayOnly = { ...base, WORKER_CONSUMERS: 'medusa-sync', PRODUCT_INGEST_QUEUE_URL: undefined };
    expect(loadWorkerConfig(relayOnly).productIngest).toBeUndefined();
    expect(problems({ ...base, WORKER_CONSUMERS: 'medusa,pimcore' })).toEqual([
      '  - WORKER_CONSUMERS.0: expected product-ingest and/or medusa-sync',
      '  - WORKER_CONSUMERS.1: expected product-ingest and/or medusa-sync',
    ]);
    // Which queues were meant is unknown: no lines about the queues or Medusa of a consumer never chosen.
    const ingestSettingsOnly = {
      ...base,
      MEDUSA_BASE_URL: undefined,
      MEDUSA_SYNC_QUEUE_URL: undefined,
      MEDUSA_SYNC_DLQ_URL: undefined,
    };
    expect(problems({ ...ingestSettingsOnly, WORKER_CONSUMERS: 'everything' })).toEqual([
      '  - WORKER_CONSUMERS.0: expected product-ingest and/or medusa-sync',
    ]);
  });

  it('takes an admin user instead of a secret key, but not both', () => {
    const user = {
      ...base,
      MEDUSA_SECRET_API_KEY: undefined,
      MEDUSA_ADMIN_EMAIL: 'ops@example.com',
      MEDUSA_ADMIN_PASSWORD: 'pw',
    };
    expect(loadWorkerConfig(user).medusaSync?.medusa.credentials).toEqual({
      kind: 'email-password',
      email: 'ops@example.com',
      password: 'pw',
    });
    const both = { ...user, MEDUSA_SECRET_API_KEY: 'sk_1' };
    const neither = { ...base, MEDUSA_SECRET_API_KEY: undefined };
    const half = { ...user, MEDUSA_ADMIN_PASSWORD: undefined };
    for (const env of [both, neither, half]) {
      expect(problems(env)).toEqual([
        '  - MEDUSA_SECRET_API_KEY: set either MEDUSA_SECRET_API_KEY, or MEDUSA_ADMIN_EMAIL and MEDUSA_ADMIN_PASSWORD (not both ways)',
      ]);
    }
  });

  it('names every missing or wrong variable, and never repeats a secret', () => {
    const found = problems({
      ...base,
      MEDUSA_SYNC_DLQ_URL: undefined,
      MEDUSA_BASE_URL: 'ftp://shop',
      MEDUSA_SALES_CHANNEL_ID: undefined,
      MEDUSA_CURRENCIES: 'sar,dollars',
      MEDUSA_SECRET_API_KEY: 'sk_secret_value',
      MEDUSA_ADMIN_EMAIL: 'not-an-email',
      REDIS_KEY_NAMESPACE: 'has spaces',
    });
    expect(found).toEqual([
      '  - REDIS_KEY_NAMESPACE: expected letters, digits, _ or - (at most 64), e.g. the stage name',
      '  - MEDUSA_SYNC_DLQ_URL: required: a queue URL (stack output MedusaSyncDlqUrl)',
      expect.stringMatching(/^ {2}- MEDUSA_BASE_URL: /),
      expect.stringMatching(/^ {2}- MEDUSA_ADMIN_EMAIL: /),
      '  - MEDUSA_SALES_CHANNEL_ID: required: the sales channel products are published in (sc_…)',
      '  - MEDUSA_CURRENCIES.1: expected ISO 4217 codes such as sar,usd',
    ]);
    expect(found.join('\n')).not.toContain('sk_secret_value');
  });
});
