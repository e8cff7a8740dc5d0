import { loadWorkerConfig, WorkerConfigError } from '../../../nest-worker/src/config/worker-config';
import { configProblems } from '../medusa/config-problems';

/** Both consumers, every required variable set: a valid configuration. */
const base: Readonly<Record<string, string>> = {
  PRODUCT_INGEST_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/product-ingest',
  PRODUCT_INGEST_DLQ_URL: 'http://127.0.0.1:4566/000000000000/product-ingest-dlq',
  MEDUSA_SYNC_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/medusa-sync',
  MEDUSA_SYNC_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/medusa-sync-dlq',
  PIMCORE_BASE_URL: 'http://127.0.0.1:8080',
  PIMCORE_API_KEY: 'pimcore-api-key-value',
  PIMCORE_DATAHUB_ENDPOINT: 'products',
  PIMCORE_WEBHOOK_SECRETS: 'webhook-secret-value-0123456789abcdef',
  PRODUCTS_EVENT_BUS_NAME: 'products-dev',
  MEDUSA_BASE_URL: 'https://shop.example.com',
  MEDUSA_SECRET_API_KEY: 'sk_medusa_secret_value',
  MEDUSA_SALES_CHANNEL_ID: 'sc_01HDEFAULT',
};

/** Every variable the worker reads, with its default (or what it means when unset). */
const EVERY_VARIABLE = [
  'WORKER_CONSUMERS',
  'PRODUCT_INGEST_QUEUE_URL',
  'PRODUCT_INGEST_DLQ_URL',
  'MEDUSA_SYNC_QUEUE_URL',
  'MEDUSA_SYNC_DLQ_URL',
  'REDIS_URL',
  'REDIS_MODE',
  'REDIS_KEY_NAMESPACE',
  'WORKER_MAX_IN_FLIGHT',
  'WORKER_PREFETCH',
  'WORKER_HANDLER_TIMEOUT_SECONDS',
  'WORKER_SHUTDOWN_DEADLINE_SECONDS',
  'WORKER_RETRY_MAX_ATTEMPTS',
  'WORKER_RETRY_BASE_MS',
  'WORKER_RETRY_CAP_MS',
  'WORKER_WAIT_TIME_SECONDS',
  'PORT',
  'LOG_LEVEL',
  'PIMCORE_WEBHOOK_SECRETS',
  'PIMCORE_WEBHOOK_TOKENS',
  'PIMCORE_WEBHOOK_TOKEN_MAX_AGE_SECONDS',
  'PRODUCTS_EVENT_BUS_NAME',
  'PIMCORE_ADAPTER',
  'PIMCORE_BASE_URL',
  'PIMCORE_API_KEY',
  'PIMCORE_DATAHUB_ENDPOINT',
  'PIMCORE_PARENT_PATH',
  'PIMCORE_AUTO_PUBLISH',
  'PIMCORE_TIMEOUT_MS',
  'PIMCORE_LANGUAGES',
  'PIMCORE_REST_AUTH_HEADER',
  'MEDUSA_BASE_URL',
  'MEDUSA_SECRET_API_KEY',
  'MEDUSA_ADMIN_EMAIL',
  'MEDUSA_ADMIN_PASSWORD',
  'MEDUSA_SALES_CHANNEL_ID',
  'MEDUSA_CURRENCIES',
  'MEDUSA_STOCK_LOCATION_ID',
  'MEDUSA_TIMEOUT_MS',
] as const;

/** The whole-number variables and their ranges, as docs/worker.md, pimcore.md and relay.md give them. */
const WHOLE_NUMBERS: Readonly<Record<string, readonly [number, number]>> = {
  WORKER_MAX_IN_FLIGHT: [1, 1000],
  WORKER_PREFETCH: [0, 100],
  WORKER_HANDLER_TIMEOUT_SECONDS: [1, 3600],
  WORKER_SHUTDOWN_DEADLINE_SECONDS: [1, 600],
  WORKER_RETRY_MAX_ATTEMPTS: [1, 20],
  WORKER_RETRY_BASE_MS: [1, 60_000],
  WORKER_RETRY_CAP_MS: [1, 600_000],
  WORKER_WAIT_TIME_SECONDS: [0, 20],
  PORT: [1, 65_535],
  PIMCORE_WEBHOOK_TOKEN_MAX_AGE_SECONDS: [60, 86_400],
  PIMCORE_TIMEOUT_MS: [100, 300_000],
  MEDUSA_TIMEOUT_MS: [100, 300_000],
};

describe('the worker configuration’s values', () => {
  it('starts from the base environment used here', () => {
    expect(configProblems(base)).toEqual([]);
  });

  it('refuses a number variable set to the empty string, naming it and its default, instead of taking 0', () => {
    expect(configProblems({ ...base, WORKER_PREFETCH: '', WORKER_WAIT_TIME_SECONDS: '' })).toEqual([
      '  - WORKER_PREFETCH: empty — unset it for the default (10) or give a whole number from 0 to 100',
      '  - WORKER_WAIT_TIME_SECONDS: empty — unset it for the default (20) or give a whole number from 0 to 20',
    ]);
  });

  it.each(EVERY_VARIABLE)('refuses %s set to the empty string, naming it, with one line', (name) => {
    expect(configProblems({ ...base, [name]: '' })).toEqual([
      expect.stringMatching(new RegExp(`^ {2}- ${name}: empty — (unset it .+ or give|give) .+`)),
    ]);
  });

  it('tells what unsetting an optional variable without a default means', () => {
    expect(configProblems({ ...base, PIMCORE_WEBHOOK_TOKENS: '' })).toEqual([
      '  - PIMCORE_WEBHOOK_TOKENS: empty — unset it (token mode off) or give 1 or 2 comma-separated tokens of at least 32 characters',
    ]);
    expect(configProblems({ ...base, PRODUCT_INGEST_QUEUE_URL: '' })).toEqual([
      '  - PRODUCT_INGEST_QUEUE_URL: empty — give a queue URL (stack output ProductIngestQueueUrl)',
    ]);
  });

  it.each(['0x10', '1e3', ' 12 ', '+5', '12.0', '-1', '1_000', '١٢', 'Infinity', '16 ', '\t16'])(
    'takes numbers in plain decimal digits only: refuses %j',
    (value) => {
      for (const [name, [min, max]] of Object.entries(WHOLE_NUMBERS)) {
        expect(configProblems({ ...base, [name]: value })).toEqual([
          `  - ${name}: expected a whole number from ${min} to ${max} (decimal digits only)`,
        ]);
      }
    },
  );

  it('takes every number within its range, and names the range of one outside it', () => {
    for (const [name, [min, max]] of Object.entries(WHOLE_NUMBERS)) {
      expect(configProblems({ ...base, [name]: String(min) })).toEqual([]);
      expect(configProblems({ ...base, [name]: String(max) })).toEqual([]);
      for (const outside of [min - 1, max + 1, 10 ** 20]) {
        expect(configProblems({ ...base, [name]: String(outside) })).toEqual([
          `  - ${name}: expected a whole number from ${min} to ${max} (decimal digits only)`,
        ]);
      }
    }
    const config = loadWorkerConfig({
      ...base,
      WORKER_MAX_IN_FLIGHT: '32',
      WORKER_PREFETCH: '0',
      WORKER_WAIT_TIME_SECONDS: '0',
      PORT: '8080',
      PIMCORE_TIMEOUT_MS: '2500',
      MEDUSA_TIMEOUT_MS: '300000',
    });
    expect(config).toMatchObject({ maxInFlight: 32, prefetch: 0, waitTimeSeconds: 0, port: 8080 });
    expect(config.pimcore.timeoutMs).toBe(2500);
    expect(config.medusaSync?.medusa.timeoutMs).toBe(300_000);
  });

  it('refuses a named value a variable does not know, listing the ones it does', () => {
    expect(
      configProblems({
        ...base,
        LOG_LEVEL: 'verbose',
        PIMCORE_ADAPTER: 'graphql',
        REDIS_MODE: 'Cluster',
        PIMCORE_AUTO_PUBLISH: 'yes',
      }),
    ).toEqual([
      '  - REDIS_MODE: expected standalone or cluster',
      '  - LOG_LEVEL: expected fatal, error, warn, info, debug, trace or silent',
      '  - PIMCORE_ADAPTER: expected datahub or rest',
      '  - PIMCORE_AUTO_PUBLISH: expected true or false',
    ]);
  });

  describe('URLs', () => {
    const QUEUE_URLS = {
      PRODUCT_INGEST_QUEUE_URL: 'ProductIngestQueueUrl',
      PRODUCT_INGEST_DLQ_URL: 'ProductIngestDlqUrl',
      MEDUSA_SYNC_QUEUE_URL: 'MedusaSyncQueueUrl',
      MEDUSA_SYNC_DLQ_URL: 'MedusaSyncDlqUrl',
    } as const;

    it.each(Object.entries(QUEUE_URLS))(
      'says %s is required only when it is absent, and what is wrong otherwise',
      (name, output) => {
        const what = `a queue URL (stack output ${output})`;
        expect(configProblems({ ...base, [name]: undefined })).toEqual([`  - ${name}: required: ${what}`]);
        for (const value of [
          'not-a-url',
          'sqs/product-ingest',
          'https://',
          'http://exa mple.com/q',
          'http:sqs.example.com/q',
          ' http://sqs.example.com/q',
        ]) {
          expect(configProblems({ ...base, [name]: value })).toEqual([
            `  - ${name}: not a URL: expected ${what}`,
          ]);
        }
        for (const value of ['ftp://sqs.example.com/q', 'file:///etc/passwd', 'redis://127.0.0.1:6379/q']) {
          expect(configProblems({ ...base, [name]: value })).toEqual([
            `  - ${name}: must be http or https: expected ${what}`,
          ]);
        }
      },
    );

    it('holds Pimcore’s and Medusa’s URLs to the same rules', () => {
      const found = (env: Record<string, string | undefined>) => configProblems({ ...base, ...env });
      expect(found({ PIMCORE_BASE_URL: undefined, MEDUSA_BASE_URL: undefined })).toEqual([
        '  - PIMCORE_BASE_URL: required: the Pimcore server URL (http or https)',
        '  - MEDUSA_BASE_URL: required: the Medusa server URL',
      ]);
      expect(found({ PIMCORE_BASE_URL: 'pim.example.com', MEDUSA_BASE_URL: 'not-a-url' })).toEqual([
        '  - PIMCORE_BASE_URL: not a URL: expected the Pimcore server URL (http or https)',
        '  - MEDUSA_BASE_URL: not a URL: expected the Medusa server URL',
      ]);
      expect(found({ PIMCORE_BASE_URL: 'file:///etc/passwd', MEDUSA_BASE_URL: 'ftp://shop' })).toEqual([
        '  - PIMCORE_BASE_URL: must be http or https: expected the Pimcore server URL (http or https)',
        '  - MEDUSA_BASE_URL: must be http or https: expected the Medusa server URL',
      ]);
    });

    it('takes only a redis:// or rediss:// REDIS_URL', () => {
      expect(configProblems({ ...base, REDIS_URL: 'http://cache:6379' })).toEqual([
        '  - REDIS_URL: must be redis or rediss: expected a redis:// or rediss:// URL',
      ]);
      for (const value of ['cache:6379', 'redis://', 'redis:cache:6379']) {
        expect(configProblems({ ...base, REDIS_URL: value })).toEqual([
          '  - REDIS_URL: not a URL: expected a redis:// or rediss:// URL',
        ]);
      }
      expect(loadWorkerConfig({ ...base, REDIS_URL: 'rediss://user:pw@cache:6379' }).redis.url).toBe(
        'rediss://user:pw@cache:6379',
      );
    });
  });

  it('never repeats a value it refuses, so no secret ends up in a log', () => {
    const secret = 'hunter2-secret-value';
    const wrong = {
      ...base,
      REDIS_URL: `http://:${secret}@cache:6379`,
      PRODUCT_INGEST_QUEUE_URL: `ftp://user:${secret}@sqs/q`,
      PIMCORE_BASE_URL: secret,
      MEDUSA_BASE_URL: `${secret}:not-http`,
      PIMCORE_API_KEY: '',
      MEDUSA_ADMIN_PASSWORD: secret,
      PIMCORE_WEBHOOK_SECRETS: `${secret}`,
      WORKER_MAX_IN_FLIGHT: secret,
      LOG_LEVEL: secret,
    };
    let message = '';
    try {
      loadWorkerConfig(wrong);
    } catch (error) {
      expect(error).toBeInstanceOf(WorkerConfigError);
      message = (error as Error).message;
    }
    expect(message.split('\n').map((line) => line.split(':')[0])).toEqual([
      'Invalid worker configuration',
      '  - REDIS_URL',
      '  - WORKER_MAX_IN_FLIGHT',
      '  - LOG_LEVEL',
      '  - PIMCORE_WEBHOOK_SECRETS.0',
      '  - PIMCORE_BASE_URL',
      '  - PIMCORE_API_KEY',
      '  - PRODUCT_INGEST_QUEUE_URL',
      '  - MEDUSA_BASE_URL',
    ]);
    expect(message).not.toContain(secret);
    expect(message).not.toContain('hunter2');
  });
});
