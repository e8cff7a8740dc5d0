import {
  containerEnvironment,
  ContainerEnvironmentError,
  type LocalValues,
} from '../../../local/whole-pipeline/container-environment';
import type { ContainerModel } from '../../../local/template/stack-model';

const SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:000000000000:secret:product-pipeline/dev/pimcore-api-key-local0';

/** A task definition's container as the template model gives it (an ingest service's, trimmed). */
const container: ContainerModel = {
  name: 'worker',
  environment: {
    WORKER_CONSUMERS: 'product-ingest',
    PRODUCT_INGEST_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/product-ingest-dev',
    PIMCORE_BASE_URL: 'http://pimcore.localhost',
    PIMCORE_DATAHUB_ENDPOINT: 'products',
    REDIS_URL: 'rediss://product-pipeline-dev.serverless.local:6379',
    REDIS_MODE: 'cluster',
    LOG_LEVEL: 'debug',
    PORT: '3000',
  },
  unresolved: {},
  secrets: { PIMCORE_API_KEY: SECRET_ARN },
};

const local: LocalValues = {
  sdk: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ACCESS_KEY_ID: 'S3RVER' },
  redisUrl: 'redis://127.0.0.1:6380',
  downstream: { PIMCORE_BASE_URL: 'http://127.0.0.1:9100' },
  secrets: { PIMCORE_API_KEY: 'simulator-api-key', PIMCORE_WEBHOOK_SECRETS: undefined },
};

describe("a worker container's environment on this machine", () => {
  it("is the task definition's, with only the local substitutions and the secrets' local values", () => {
    expect(containerEnvironment('ingest', container, local, 41000)).toEqual({
      ...container.environment,
      ...local.sdk,
      PIMCORE_BASE_URL: 'http://127.0.0.1:9100',
      PIMCORE_API_KEY: 'simulator-api-key',
      REDIS_URL: 'redis://127.0.0.1:6380',
      REDIS_MODE: 'standalone',
      PORT: '41000',
    });
  });

  it("keeps a shared Redis's keys apart with the run's namespace", () => {
    const env = containerEnvironment('ingest', container, { ...local, redisKeyNamespace: 'local-ab12' }, 1);
    expect(env.REDIS_KEY_NAMESPACE).toBe('local-ab12');
  });

  it('stops the start naming every secret and variable it has no local value for', () => {
    const asking: ContainerModel = {
      ...container,
      unresolved: { SHARED_SETTING: 'Fn::ImportValue is not supported by the local runtime' },
      secrets: { ...container.secrets, PIMCORE_WEBHOOK_SECRETS: `${SECRET_ARN}-webhook`, OTHER_KEY: 'arn:x' },
    };
    const start = () => containerEnvironment('relay', asking, local, 1);
    expect(start).toThrow(ContainerEnvironmentError);
    expect(start).toThrow(
      [
        'The local stack cannot start service relay (container worker):',
        '  - variable SHARED_SETTING has no local value (Fn::ImportValue is not supported by the local runtime)',
        `  - secret PIMCORE_WEBHOOK_SECRETS (valueFrom ${SECRET_ARN}-webhook) has no local value`,
        '  - secret OTHER_KEY (valueFrom arn:x) has no local value',
        'Secrets it can give: PIMCORE_API_KEY; a configured Pimcore or Medusa gives its own in its variables.',
      ].join('\n'),
    );
  });

  it('lets a variable without a local value pass when the local stack replaces it anyway', () => {
    const unresolvedRedis = {
      ...container,
      unresolved: { REDIS_URL: 'Fn::GetAtt Cache.Endpoint has no local value' },
    };
    expect(containerEnvironment('ingest', unresolvedRedis, local, 1).REDIS_URL).toBe(
      'redis://127.0.0.1:6380',
    );
  });
});
