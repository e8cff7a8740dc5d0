import { loadWorkerConfig } from '../../../nest-worker/src/config/worker-config';
import { configProblems } from '../medusa/config-problems';

const base = {
  WORKER_CONSUMERS: 'product-ingest',
  PRODUCT_INGEST_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/product-ingest',
  PRODUCT_INGEST_DLQ_URL: 'http://127.0.0.1:4566/000000000000/product-ingest-dlq',
  PIMCORE_BASE_URL: 'http://127.0.0.1:8080',
  PIMCORE_API_KEY: 'an-api-key-of-16-chars',
  PIMCORE_DATAHUB_ENDPOINT: 'products',
  PIMCORE_WEBHOOK_SECRETS: 'a'.repeat(32),
  PRODUCTS_EVENT_BUS_NAME: 'products-dev',
};

describe('the Redis configuration', () => {
  it('connects to a standalone Redis on this machine unless told otherwise', () => {
    expect(loadWorkerConfig(base).redis).toEqual({ url: 'redis://127.0.0.1:6379', mode: 'standalone' });
  });

  it('reads cluster mode, as the stack sets it for ElastiCache Serverless', () => {
    const env = { ...base, REDIS_URL: 'rediss://cache.example.com:6379', REDIS_MODE: 'cluster' };
    expect(loadWorkerConfig(env).redis).toEqual({ url: 'rediss://cache.example.com:6379', mode: 'cluster' });
  });

  it('names a mode it does not know, and a URL that is not Redis’s', () => {
    expect(configProblems({ ...base, REDIS_MODE: 'sentinel', REDIS_URL: 'http://cache:6379' })).toEqual([
      expect.stringMatching(/^ {2}- REDIS_URL: /),
      '  - REDIS_MODE: expected standalone or cluster',
    ]);
  });
});
