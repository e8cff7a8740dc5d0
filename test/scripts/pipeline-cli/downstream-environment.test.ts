import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { downstreamEnvironment } from '../../../scripts/pipeline/target/downstream-environment';
import { StackNotUsable } from '../../../scripts/pipeline/target/stack-target';
import { temporaryFolder } from '../run-script';

const CLUSTER = 'ProductPipeline-prod-WorkerCluster';
const SERVICE = 'ProductPipeline-prod-WorkerRelayService';
const TASK_DEFINITION = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/ProductPipelineprodWorkerRelay:7';
const secretArn = (name: string) =>
  `arn:aws:secretsmanager:eu-west-1:123456789012:secret:product-pipeline/prod/${name}-AbCdEf`;

/** Each secret's ARN and value, as Secrets Manager holds them. */
const SECRETS = {
  PIMCORE_API_KEY: { arn: secretArn('pimcore-api-key'), value: 'pimcore-key-123' },
  MEDUSA_SECRET_API_KEY: { arn: secretArn('medusa-api-key'), value: 'sk_live_456' },
  PIMCORE_WEBHOOK_SECRETS: { arn: secretArn('webhook-secrets'), value: 'do-not-read-me' },
  REDIS_URL: { arn: secretArn('redis-url'), value: 'rediss://user:pw@redis.internal:6379' },
} as const;

describe('downstreamEnvironment: the relay’s settings for Pimcore, Medusa and Redis', () => {
  describe('a deployed stack (--stage)', () => {
    const cloudFormation = mockClient(CloudFormationClient);
    const ecs = mockClient(ECSClient);
    const secrets = mockClient(SecretsManagerClient);
    afterEach(() => {
      cloudFormation.reset();
      ecs.reset();
      secrets.reset();
    });
    const clients = () => ({
      cloudFormation: new CloudFormationClient({ region: 'eu-west-1' }),
      ecs: new ECSClient({ region: 'eu-west-1' }),
      secrets: new SecretsManagerClient({ region: 'eu-west-1' }),
    });
    const stack = (outputs: Record<string, string>) => ({
      Stacks: [
        {
          StackName: 'ProductPipeline-prod',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE' as const,
          Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });

    it("reads the relay service's task definition and only the secrets it needs", async () => {
      cloudFormation.on(DescribeStacksCommand, { StackName: 'ProductPipeline-prod' }).resolves(
        stack({
          EventBusName: 'products-prod',
          WorkerClusterName: CLUSTER,
          WorkerRelayServiceName: SERVICE,
        }),
      );
      ecs
        .on(DescribeServicesCommand, { cluster: CLUSTER, services: [SERVICE] })
        .resolves({ services: [{ serviceName: SERVICE, taskDefinition: TASK_DEFINITION }] });
      ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: TASK_DEFINITION }).resolves({
        taskDefinition: {
          containerDefinitions: [
            {
              name: 'log-router',
              environment: [{ name: 'PIMCORE_BASE_URL', value: 'https://wrong-container.example.com' }],
            },
            {
              name: 'worker',
              environment: [
                { name: 'PIMCORE_BASE_URL', value: 'https://pimcore.example.com' },
                { name: 'PIMCORE_DATAHUB_ENDPOINT', value: 'products' },
                { name: 'MEDUSA_BASE_URL', value: 'https://medusa.example.com' },
                { name: 'MEDUSA_SALES_CHANNEL_ID', value: 'sc_01' },
                { name: 'REDIS_KEY_NAMESPACE', value: 'prod' },
                { name: 'WORKER_CONSUMERS', value: 'medusa-sync' },
                { name: 'MEDUSA_SYNC_QUEUE_URL', value: 'https://sqs.eu-west-1.amazonaws.com/1/medusa-sync' },
                { name: 'PIMCORE_WEBHOOK_TOKEN_MAX_AGE_SECONDS', value: '300' },
                { name: 'AWS_REGION', value: 'eu-west-1' },
                { name: 'LOG_LEVEL', value: 'info' },
              ],
              secrets: Object.entries(SECRETS).map(([name, { arn }]) => ({ name, valueFrom: arn })),
            },
          ],
        },
      });
      for (const { arn, value } of Object.values(SECRETS)) {
        secrets.on(GetSecretValueCommand, { SecretId: arn }).resolves({ ARN: arn, SecretString: value });
      }

      await expect(downstreamEnvironment({ stage: 'prod' }, clients())).resolves.toEqual({
        PIMCORE_BASE_URL: 'https://pimcore.example.com',
        PIMCORE_DATAHUB_ENDPOINT: 'products',
        MEDUSA_BASE_URL: 'https://medusa.example.com',
        MEDUSA_SALES_CHANNEL_ID: 'sc_01',
        MEDUSA_SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/medusa-sync',
        REDIS_KEY_NAMESPACE: 'prod',
        PIMCORE_API_KEY: 'pimcore-key-123',
        MEDUSA_SECRET_API_KEY: 'sk_live_456',
        REDIS_URL: 'rediss://user:pw@redis.internal:6379',
      });
      const read = secrets.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input.SecretId);
      expect(read.sort()).toEqual(
        [SECRETS.PIMCORE_API_KEY.arn, SECRETS.MEDUSA_SECRET_API_KEY.arn, SECRETS.REDIS_URL.arn].sort(),
      );
      expect(read).not.toContain(SECRETS.PIMCORE_WEBHOOK_SECRETS.arn);
      expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    });

    it('refuses a stack without the worker (worker=external), asking for --env-file', async () => {
      cloudFormation
        .on(DescribeStacksCommand)
        .resolves(stack({ EventBusName: 'products-prod', MedusaSyncQueueUrl: 'https://sqs/medusa-sync' }));
      const failure = downstreamEnvironment({ stage: 'prod' }, clients());
      await expect(failure).rejects.toBeInstanceOf(StackNotUsable);
      await expect(failure).rejects.toThrow(/ProductPipeline-prod.*worker=external.*--env-file/);
      expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(0);
      expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    });
  });

  describe("the local stack's env file (--env-file)", () => {
    it('returns only the PIMCORE_*, MEDUSA_* and REDIS_* variables, without the webhook’s', async () => {
      const path = join(temporaryFolder('downstream-environment-'), 'stack.env');
      writeFileSync(
        path,
        [
          '# written by npm run local',
          'AWS_ENDPOINT_URL=http://127.0.0.1:4566',
          'AWS_REGION=us-east-1',
          'WORKER_CONSUMERS=product-ingest,medusa-sync',
          'PIMCORE_BASE_URL=http://127.0.0.1:8081',
          'PIMCORE_API_KEY=local-pimcore-key',
          'PIMCORE_WEBHOOK_SECRETS=local-webhook-secret',
          'PIMCORE_WEBHOOK_TOKEN_MAX_AGE_SECONDS=300',
          'MEDUSA_BASE_URL=http://127.0.0.1:9000',
          'MEDUSA_SECRET_API_KEY=sk_local',
          'REDIS_URL=redis://127.0.0.1:6379',
          'REDIS_KEY_NAMESPACE=local',
          'MEDUSA_SYNC_QUEUE_URL=http://127.0.0.1:4566/000000000000/medusa-sync-dev',
          'PRODUCTS_EVENT_BUS_NAME=products-dev',
        ].join('\n'),
      );
      const cloudFormation = { send: jest.fn() } as unknown as CloudFormationClient;

      await expect(
        downstreamEnvironment({ envFile: path, stage: 'prod' }, { cloudFormation }),
      ).resolves.toEqual({
        PIMCORE_BASE_URL: 'http://127.0.0.1:8081',
        PIMCORE_API_KEY: 'local-pimcore-key',
        MEDUSA_BASE_URL: 'http://127.0.0.1:9000',
        MEDUSA_SECRET_API_KEY: 'sk_local',
        MEDUSA_SYNC_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/medusa-sync-dev',
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_KEY_NAMESPACE: 'local',
      });
      // The file wins over the stage: no stack is read.
      expect(cloudFormation.send).not.toHaveBeenCalled();
    });
  });
});
