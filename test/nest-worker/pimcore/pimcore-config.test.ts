import { z } from 'zod';
import { createPimcoreClient, pimcoreEnvSchema, type PimcoreConfig } from '../../../nest-worker/src/pimcore';
import { DatahubPimcoreClient } from '../../../nest-worker/src/pimcore/datahub/datahub-client';
import { RestPimcoreClient } from '../../../nest-worker/src/pimcore/rest/rest-client';
import { parseRetryAfterMs } from '../../../nest-worker/src/downstream/retry-after';

const datahubEnv = {
  PIMCORE_BASE_URL: 'https://pim.example.com',
  PIMCORE_API_KEY: 'a-key-of-sixteen-chars',
  PIMCORE_DATAHUB_ENDPOINT: 'products',
};

/** One "VARIABLE: message" per problem, as the worker's start-up check prints them. */
function problems(env: Record<string, string | undefined>): string[] {
  const parsed = pimcoreEnvSchema.safeParse(env);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('PIMCORE_* configuration', () => {
  it('fills the defaults around the required variables', () => {
    expect(pimcoreEnvSchema.parse(datahubEnv)).toEqual({
      adapter: 'datahub',
      datahubEndpoint: 'products',
      baseUrl: 'https://pim.example.com',
      apiKey: 'a-key-of-sixteen-chars',
      parentPath: '/Products/Shein',
      autoPublish: false,
      timeoutMs: 10_000,
      languages: ['en', 'ar'],
    } satisfies PimcoreConfig);
  });

  it('reads the rest adapter and every optional variable', () => {
    const config = pimcoreEnvSchema.parse({
      PIMCORE_ADAPTER: 'rest',
      PIMCORE_BASE_URL: 'http://127.0.0.1:8080',
      PIMCORE_API_KEY: 'k',
      PIMCORE_REST_AUTH_HEADER: 'Authorization-Token',
      PIMCORE_PARENT_PATH: '/Catalog/Imports',
      PIMCORE_AUTO_PUBLISH: 'true',
      PIMCORE_TIMEOUT_MS: '2500',
      PIMCORE_LANGUAGES: 'en, ar, de_AT',
    });
    expect(config).toEqual({
      adapter: 'rest',
      authHeader: 'Authorization-Token',
      baseUrl: 'http://127.0.0.1:8080',
      apiKey: 'k',
      parentPath: '/Catalog/Imports',
      autoPublish: true,
      timeoutMs: 2500,
      languages: ['en', 'ar', 'de_AT'],
    });
  });

  it('names every wrong or missing variable', () => {
    expect(problems({})).toEqual([
      expect.stringMatching(/^PIMCORE_BASE_URL: /),
      expect.stringMatching(/^PIMCORE_API_KEY: /),
    ]);
    expect(problems({ ...datahubEnv, PIMCORE_DATAHUB_ENDPOINT: undefined })).toEqual([
      'PIMCORE_DATAHUB_ENDPOINT: required when PIMCORE_ADAPTER is datahub',
    ]);
    expect(
      problems({
        ...datahubEnv,
        PIMCORE_BASE_URL: 'ftp://pim',
        PIMCORE_AUTO_PUBLISH: 'yes',
        PIMCORE_TIMEOUT_MS: 'soon',
        PIMCORE_PARENT_PATH: 'Products',
        PIMCORE_LANGUAGES: 'ar,fr',
      }).map((problem) => problem.split(':')[0]),
    ).toEqual([
      'PIMCORE_BASE_URL',
      'PIMCORE_PARENT_PATH',
      'PIMCORE_AUTO_PUBLISH',
      'PIMCORE_TIMEOUT_MS',
      'PIMCORE_LANGUAGES',
    ]);
  });

  it('composes into the worker’s own configuration schema', () => {
    const workerEnv = z.object({ REDIS_URL: z.string() }).and(pimcoreEnvSchema);
    expect(workerEnv.parse({ REDIS_URL: 'redis://127.0.0.1:6379', ...datahubEnv })).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6379',
      adapter: 'datahub',
    });
  });
});

describe('createPimcoreClient', () => {
  it('builds the adapter the configuration names', async () => {
    const datahub = createPimcoreClient(pimcoreEnvSchema.parse(datahubEnv));
    const rest = createPimcoreClient(pimcoreEnvSchema.parse({ ...datahubEnv, PIMCORE_ADAPTER: 'rest' }));
    expect(datahub).toBeInstanceOf(DatahubPimcoreClient);
    expect(rest).toBeInstanceOf(RestPimcoreClient);
    await Promise.all([datahub.close(), rest.close()]);
  });

  it('refuses a configuration built in code that is not valid', () => {
    const config = { ...pimcoreEnvSchema.parse(datahubEnv), timeoutMs: 0 };
    expect(() => createPimcoreClient(config)).toThrow(/timeoutMs/);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delay-seconds and HTTP-dates, and ignores the unreadable', () => {
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });
});
