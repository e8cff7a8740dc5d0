import { parsePipelineConfig, PipelineConfigError } from '../../lib/config/pipeline-config';
import { CERTIFICATE_ARN, WORKER_CONTEXT } from './synth-helpers';

const DEV = { stage: 'dev', ...WORKER_CONTEXT };
const PROD = { stage: 'prod', ...WORKER_CONTEXT, webhookCertificateArn: CERTIFICATE_ARN };

describe('parsePipelineConfig', () => {
  it('applies defaults and the dev stage settings', () => {
    expect(parsePipelineConfig(DEV)).toEqual({
      stage: 'dev',
      retainData: false,
      workerHandlerTimeoutSeconds: 60,
      maxReceiveCount: 5,
      queueRetentionDays: 4,
      oldestMessageAgeAlarmSeconds: 900,
      mapMaxConcurrency: 40,
      mapToleratedFailurePercent: 10,
      stagingBatchSize: 250,
      maxObjectMegabytes: 2048,
      executionTimeoutMinutes: 120,
      stagingExpirationDays: 7,
      reportExpirationDays: 90,
      logRetentionDays: 30,
      archiveRetentionDays: 30,
      worker: {
        minTasks: 1,
        maxTasks: 4,
        backlogPerTask: 500,
        cpu: 512,
        memoryMiB: 1024,
        environment: {
          PIMCORE_BASE_URL: WORKER_CONTEXT.pimcoreBaseUrl,
          PIMCORE_DATAHUB_ENDPOINT: 'products',
          MEDUSA_BASE_URL: WORKER_CONTEXT.medusaBaseUrl,
          MEDUSA_SALES_CHANNEL_ID: WORKER_CONTEXT.medusaSalesChannelId,
        },
        secretArns: {},
        webhook: { acceptTokens: false, rateLimit: 1000 },
        reconcile: { schedule: 'cron(0 3 * * ? *)', fix: true },
      },
    });
  });

  it('retains data and keeps logs a year in prod', () => {
    expect(parsePipelineConfig(PROD)).toMatchObject({
      retainData: true,
      logRetentionDays: 365,
      archiveRetentionDays: 365,
    });
  });

  it('coerces numbers given on the command line (-c key=value arrives as a string)', () => {
    expect(parsePipelineConfig({ ...DEV, maxReceiveCount: '9', logRetentionDays: '90' })).toMatchObject({
      maxReceiveCount: 9,
      logRetentionDays: 90,
    });
  });

  it('ignores context keys that are not the pipeline’s (CDK feature flags)', () => {
    expect(() =>
      parsePipelineConfig({ ...DEV, '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true }),
    ).not.toThrow();
  });

  it.each([
    [{}, 'context "stage"'],
    [{ stage: 'qa' }, 'context "stage"'],
    [{ stage: 'dev', alarmEmail: 'not-an-email' }, 'context "alarmEmail"'],
    [{ stage: 'dev', maxReceiveCount: 0 }, 'context "maxReceiveCount"'],
    [{ stage: 'dev', maxReceiveCount: 'five' }, 'context "maxReceiveCount"'],
    [{ stage: 'dev', mapMaxConcurrency: 10_001 }, 'context "mapMaxConcurrency"'],
    [{ stage: 'dev', mapToleratedFailurePercent: 101 }, 'context "mapToleratedFailurePercent"'],
    [{ stage: 'dev', queueRetentionDays: 14 }, 'context "queueRetentionDays"'],
    [{ stage: 'dev', logRetentionDays: 31 }, 'must be one of 1, 3, 5'],
  ])('rejects %j naming the key (%s)', (context, expected) => {
    expect(() => parsePipelineConfig(context)).toThrow(PipelineConfigError);
    expect(() => parsePipelineConfig(context)).toThrow(expected);
  });

  it('accepts a transform config as an object (cdk.json) or JSON (-c) and passes it on as JSON', () => {
    const transformConfig = { targetCurrencies: ['AED'], categoryMap: { '1734': '/Women/Sweaters' } };
    const fromObject = parsePipelineConfig({ ...DEV, transformConfig });
    const fromString = parsePipelineConfig({
      ...DEV,
      transformConfig: JSON.stringify(transformConfig),
    });
    expect(JSON.parse(fromObject.transformConfig!)).toEqual(transformConfig);
    expect(fromString.transformConfig).toEqual(fromObject.transformConfig);
  });

  it('rejects a wrong transform config at synth time, naming the bad key', () => {
    expect(() =>
      parsePipelineConfig({ stage: 'dev', transformConfig: { targetCurrencies: ['EUR'] } }),
    ).toThrow(/context "transformConfig".*targetCurrencies\[0\]: no exchange rate for EUR/);
    expect(() => parsePipelineConfig({ stage: 'dev', transformConfig: '{not json' })).toThrow(
      /context "transformConfig": transform config is not JSON/,
    );
  });

  it('refuses a transform config too large for a Lambda environment', () => {
    const categoryMap = Object.fromEntries(
      Array.from({ length: 200 }, (_, index) => [String(1000 + index), `/Category/Number-${index}`]),
    );
    expect(() => parsePipelineConfig({ stage: 'dev', transformConfig: { categoryMap } })).toThrow(/4 KB/);
  });

  it('reports every wrong key at once', () => {
    expect(() => parsePipelineConfig({ stage: 'dev', maxReceiveCount: -1, stagingBatchSize: 0 })).toThrow(
      /maxReceiveCount[\s\S]*stagingBatchSize/,
    );
  });

  describe('the worker on ECS', () => {
    it('needs where Pimcore and Medusa are, unless the worker runs elsewhere', () => {
      expect(() => parsePipelineConfig({ stage: 'dev' })).toThrow(
        /context "pimcoreBaseUrl": required while worker=ecs[\s\S]*context "medusaBaseUrl"[\s\S]*context "medusaSalesChannelId"/,
      );
      expect(parsePipelineConfig({ stage: 'dev', worker: 'external' }).worker).toBeUndefined();
    });

    it('refuses prod without an HTTPS certificate for the webhook', () => {
      expect(() => parsePipelineConfig({ ...PROD, webhookCertificateArn: undefined })).toThrow(
        /context "webhookCertificateArn": required for stage=prod/,
      );
    });

    it('takes the allow-list as a comma-separated string (-c) or an array (cdk.json)', () => {
      const fromString = parsePipelineConfig({
        ...PROD,
        webhookAllowedCidrs: '203.0.113.0/24, 2001:db8::/32',
      });
      const fromArray = parsePipelineConfig({
        ...PROD,
        webhookAllowedCidrs: ['203.0.113.0/24', '2001:db8::/32'],
      });
      expect(fromString.worker?.webhook.allowedCidrs).toEqual(['203.0.113.0/24', '2001:db8::/32']);
      expect(fromArray.worker?.webhook).toEqual(fromString.worker?.webhook);
    });

    it("passes plain settings on and keeps the stack's own values", () => {
      const config = parsePipelineConfig({
        ...DEV,
        workerEnvironment: { PIMCORE_PARENT_PATH: '/Products/Shein', WORKER_MAX_IN_FLIGHT: 32 },
      });
      expect(config.worker?.environment).toMatchObject({
        PIMCORE_PARENT_PATH: '/Products/Shein',
        WORKER_MAX_IN_FLIGHT: '32',
        PIMCORE_BASE_URL: WORKER_CONTEXT.pimcoreBaseUrl,
      });
    });

    it('takes workerEnvironment as JSON from -c, as an object from cdk.json', () => {
      const fromJson = parsePipelineConfig({ ...DEV, workerEnvironment: '{"WORKER_MAX_IN_FLIGHT":32}' });
      expect(fromJson.worker?.environment.WORKER_MAX_IN_FLIGHT).toBe('32');
      expect(() => parsePipelineConfig({ ...DEV, workerEnvironment: '{WORKER' })).toThrow(
        /context "workerEnvironment": is not JSON/,
      );
    });

    it.each([
      [{ workerEnvironment: { PIMCORE_API_KEY: 'k' } }, 'PIMCORE_API_KEY is a secret'],
      [{ workerEnvironment: { MEDUSA_ADMIN_PASSWORD: 'p' } }, 'MEDUSA_ADMIN_PASSWORD is a secret'],
      [{ workerEnvironment: { REDIS_URL: 'redis://x' } }, 'REDIS_URL is a secret'],
      [{ workerEnvironment: { PRODUCT_INGEST_QUEUE_URL: 'u' } }, 'set by the stack'],
      [{ workerEnvironment: { NODE_OPTIONS: '--inspect' } }, 'NODE_OPTIONS is not a worker setting'],
      [{ workerMinTasks: 5, workerMaxTasks: 2 }, 'context "workerMinTasks": 5 is above workerMaxTasks (2)'],
      [{ workerCpu: 300 }, 'context "workerCpu": must be one of 256, 512'],
      [{ workerImage: 'worker' }, 'context "workerImage": must be an image reference with a tag or digest'],
      [{ pimcoreBaseUrl: 'ftp://pim' }, 'context "pimcoreBaseUrl"'],
      [
        { pimcoreApiKeySecretArn: 'my-secret' },
        'context "pimcoreApiKeySecretArn": must be a Secrets Manager secret ARN',
      ],
      [{ webhookCertificateArn: 'cert' }, 'context "webhookCertificateArn": must be an ACM certificate ARN'],
      [{ webhookAllowedCidrs: '10.0.0.0' }, 'context "webhookAllowedCidrs'],
      [{ webhookAllowedCidrs: '203.0.113.0/24' }, 'only applies with webhookCertificateArn'],
      [{ vpcId: 'main' }, 'context "vpcId": must be a VPC id'],
      [{ workerEnvironment: { PIMCORE_WEBHOOK_TOKENS: 't' } }, 'PIMCORE_WEBHOOK_TOKENS is a secret'],
      [{ webhookAuth: 'token' }, 'context "webhookAuth"'],
      [
        { webhookTokenSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:tokens-AbCdEf' },
        'only applies with webhookAuth=signed-and-token',
      ],
    ])('rejects %j (%s)', (context, expected) => {
      expect(() => parsePipelineConfig({ ...DEV, ...context })).toThrow(expected);
    });
  });

  describe('the nightly reconciliation', () => {
    it.each([
      ['cron(0 3 * * ? *)', 'cron(0 3 * * ? *)'],
      ['cron(30 1 ? * MON-FRI *)', 'cron(30 1 ? * MON-FRI *)'],
      ['cron(0 */6 1,15 * ? 2027)', 'cron(0 */6 1,15 * ? 2027)'],
      ['rate(12 hours)', 'rate(12 hours)'],
      ['rate(1 day)', 'rate(1 day)'],
      [' rate(30 minutes) ', 'rate(30 minutes)'],
    ])('runs on the Scheduler expression %j', (reconcileSchedule, schedule) => {
      expect(parsePipelineConfig({ ...DEV, reconcileSchedule }).worker?.reconcile).toEqual({
        schedule,
        fix: true,
      });
    });

    it.each([
      [true, true],
      ['true', true],
      [false, false],
      ['false', false],
    ])('takes reconcileFix=%j from cdk.json or -c', (reconcileFix, fix) => {
      expect(parsePipelineConfig({ ...DEV, reconcileFix }).worker?.reconcile?.fix).toBe(fix);
    });

    it('is left out with reconcileSchedule=off, and with worker=external', () => {
      expect(parsePipelineConfig({ ...DEV, reconcileSchedule: 'off' }).worker?.reconcile).toBeUndefined();
      expect(
        parsePipelineConfig({ stage: 'dev', worker: 'external', reconcileSchedule: 'rate(1 day)' }).worker,
      ).toBeUndefined();
    });

    it.each([
      'cron(0 3 * * * *)',
      'cron(0 3 ? * ? *)',
      'cron(0 3 * * ?)',
      'cron(0 3 * * ? * 1)',
      'cron(0 3 * * ? *',
      '0 3 * * *',
      'rate(0 hours)',
      'rate(1 hours)',
      'rate(2 hour)',
      'rate(2 weeks)',
      'at(2027-01-01T03:00:00)',
      'nightly',
      '',
    ])('refuses the schedule %j, saying what a Scheduler expression looks like', (reconcileSchedule) => {
      expect(() => parsePipelineConfig({ ...DEV, reconcileSchedule })).toThrow(
        /context "reconcileSchedule": must be an EventBridge Scheduler expression, evaluated in UTC: cron\(minutes hours day-of-month month day-of-week year\) with "\?" in one day field, e\.g\. cron\(0 3 \* \* \? \*\), or rate\(N hours\|days\) .*; or off/,
      );
    });

    it.each(['yes', 1, 'TRUE'])('refuses reconcileFix=%j', (reconcileFix) => {
      expect(() => parsePipelineConfig({ ...DEV, reconcileFix })).toThrow(
        'context "reconcileFix": must be true or false',
      );
    });
  });
});
