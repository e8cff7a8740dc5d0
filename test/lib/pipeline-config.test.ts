import { parsePipelineConfig, PipelineConfigError } from '../../lib/config/pipeline-config';

describe('parsePipelineConfig', () => {
  it('applies defaults and the dev stage settings', () => {
    expect(parsePipelineConfig({ stage: 'dev' })).toEqual({
      stage: 'dev',
      retainData: false,
      workerHandlerTimeoutSeconds: 60,
      maxReceiveCount: 5,
      queueRetentionDays: 4,
      oldestMessageAgeAlarmSeconds: 900,
      mapMaxConcurrency: 4,
      stagingBatchSize: 250,
      maxObjectMegabytes: 2048,
      executionTimeoutMinutes: 120,
      stagingExpirationDays: 7,
      reportExpirationDays: 90,
      logRetentionDays: 30,
      archiveRetentionDays: 30,
    });
  });

  it('retains data and keeps logs a year in prod', () => {
    expect(parsePipelineConfig({ stage: 'prod' })).toMatchObject({
      retainData: true,
      logRetentionDays: 365,
      archiveRetentionDays: 365,
    });
  });

  it('coerces numbers given on the command line (-c key=value arrives as a string)', () => {
    expect(parsePipelineConfig({ stage: 'dev', maxReceiveCount: '9', logRetentionDays: '90' })).toMatchObject(
      {
        maxReceiveCount: 9,
        logRetentionDays: 90,
      },
    );
  });

  it('ignores context keys that are not the pipeline’s (CDK feature flags)', () => {
    expect(() =>
      parsePipelineConfig({ stage: 'dev', '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true }),
    ).not.toThrow();
  });

  it.each([
    [{}, 'context "stage"'],
    [{ stage: 'qa' }, 'context "stage"'],
    [{ stage: 'dev', alarmEmail: 'not-an-email' }, 'context "alarmEmail"'],
    [{ stage: 'dev', maxReceiveCount: 0 }, 'context "maxReceiveCount"'],
    [{ stage: 'dev', maxReceiveCount: 'five' }, 'context "maxReceiveCount"'],
    [{ stage: 'dev', mapMaxConcurrency: 41 }, 'context "mapMaxConcurrency"'],
    [{ stage: 'dev', queueRetentionDays: 14 }, 'context "queueRetentionDays"'],
    [{ stage: 'dev', logRetentionDays: 31 }, 'must be one of 1, 3, 5'],
  ])('rejects %j naming the key (%s)', (context, expected) => {
    expect(() => parsePipelineConfig(context)).toThrow(PipelineConfigError);
    expect(() => parsePipelineConfig(context)).toThrow(expected);
  });

  it('accepts a transform config as an object (cdk.json) or JSON (-c) and passes it on as JSON', () => {
    const transformConfig = { targetCurrencies: ['AED'], categoryMap: { '1734': '/Women/Sweaters' } };
    const fromObject = parsePipelineConfig({ stage: 'dev', transformConfig });
    const fromString = parsePipelineConfig({
      stage: 'dev',
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
});
