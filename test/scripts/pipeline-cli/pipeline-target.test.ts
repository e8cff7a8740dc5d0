import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { UsageError } from '../../../scripts/cli/command-line';
import { targetOfEnvFile } from '../../../scripts/pipeline/target/env-file-target';
import { StackNotUsable, targetOfStack } from '../../../scripts/pipeline/target/stack-target';
import { temporaryFolder } from '../run-script';

const QUEUES = 'https://sqs.eu-west-1.amazonaws.com/123456789012';
const OUTPUTS = {
  IngestBucketName: 'productpipeline-prod-ingestbucket',
  EventBusName: 'products-prod',
  StateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:ProductIngestion-prod',
  ProductIngestQueueUrl: `${QUEUES}/product-ingest-prod`,
  ProductIngestDlqUrl: `${QUEUES}/product-ingest-prod-dlq`,
  MedusaSyncQueueUrl: `${QUEUES}/medusa-sync-prod`,
  MedusaSyncDlqUrl: `${QUEUES}/medusa-sync-prod-dlq`,
  AlarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alarms',
};

describe('where the CLI points', () => {
  describe('a deployed stack (--stage)', () => {
    const cloudFormation = mockClient(CloudFormationClient);
    afterEach(() => cloudFormation.reset());
    const client = () => new CloudFormationClient({ region: 'eu-west-1' });

    it("reads ProductPipeline-<stage>'s outputs, with the SDK's region and credentials", async () => {
      cloudFormation.on(DescribeStacksCommand, { StackName: 'ProductPipeline-prod' }).resolves({
        Stacks: [
          {
            StackName: 'ProductPipeline-prod',
            CreationTime: new Date(),
            StackStatus: 'UPDATE_COMPLETE',
            Outputs: Object.entries(OUTPUTS).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
          },
        ],
      });
      await expect(targetOfStack('prod', client())).resolves.toEqual({
        description: 'stack ProductPipeline-prod (eu-west-1)',
        stage: 'prod',
        connection: { region: 'eu-west-1', s3ForcePathStyle: false },
        outputs: {
          bucket: OUTPUTS.IngestBucketName,
          busName: 'products-prod',
          stateMachineArn: OUTPUTS.StateMachineArn,
          productIngestQueueUrl: OUTPUTS.ProductIngestQueueUrl,
          productIngestDlqUrl: OUTPUTS.ProductIngestDlqUrl,
          medusaSyncQueueUrl: OUTPUTS.MedusaSyncQueueUrl,
          medusaSyncDlqUrl: OUTPUTS.MedusaSyncDlqUrl,
        },
      });
    });

    it('names the outputs a stack lacks', async () => {
      cloudFormation.on(DescribeStacksCommand).resolves({
        Stacks: [
          {
            StackName: 'ProductPipeline-dev',
            CreationTime: new Date(),
            StackStatus: 'CREATE_COMPLETE',
            Outputs: [{ OutputKey: 'EventBusName', OutputValue: 'products-dev' }],
          },
        ],
      });
      const failure = targetOfStack('dev', client());
      await expect(failure).rejects.toBeInstanceOf(StackNotUsable);
      await expect(failure).rejects.toThrow(
        /has no output IngestBucketName, StateMachineArn, ProductIngestQueueUrl/,
      );
    });
  });

  describe("the local stack's env file (--env-file)", () => {
    const file = (text: string) => {
      const path = join(temporaryFolder('pipeline-target-'), 'stack.env');
      writeFileSync(path, text);
      return path;
    };
    const local = [
      'AWS_ENDPOINT_URL=http://127.0.0.1:4566',
      'AWS_ENDPOINT_URL_S3=http://127.0.0.1:4567',
      'AWS_REGION=us-east-1',
      'AWS_ACCESS_KEY_ID=S3RVER',
      'AWS_SECRET_ACCESS_KEY=S3RVER',
      'S3_FORCE_PATH_STYLE=true',
      'PRODUCT_INGEST_QUEUE_URL=http://127.0.0.1:4566/000000000000/product-ingest-dev',
      'PRODUCT_INGEST_DLQ_URL=http://127.0.0.1:4566/000000000000/product-ingest-dev-dlq',
      'MEDUSA_SYNC_QUEUE_URL=http://127.0.0.1:4566/000000000000/medusa-sync-dev',
      'MEDUSA_SYNC_DLQ_URL=http://127.0.0.1:4566/000000000000/medusa-sync-dev-dlq',
      'PRODUCTS_EVENT_BUS_NAME=products-dev',
      'INGEST_BUCKET=productpipeline-dev-ingestbucket',
      'STATE_MACHINE_ARN=arn:aws:states:us-east-1:000000000000:stateMachine:ProductIngestion-dev',
    ];

    it('takes the endpoints, credentials and outputs from the file, and the stage from the state machine', () => {
      expect(targetOfEnvFile(file(local.join('\n')))).toMatchObject({
        stage: 'dev',
        connection: {
          region: 'us-east-1',
          endpoint: 'http://127.0.0.1:4566',
          s3Endpoint: 'http://127.0.0.1:4567',
          s3ForcePathStyle: true,
          credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        },
        outputs: { busName: 'products-dev', bucket: 'productpipeline-dev-ingestbucket' },
      });
    });

    it('is a usage error when the file is missing or lacks a variable', () => {
      expect(() => targetOfEnvFile('/no/such/stack.env')).toThrow(UsageError);
      const partial = file(local.filter((line) => !line.startsWith('INGEST_BUCKET')).join('\n'));
      expect(() => targetOfEnvFile(partial)).toThrow(/lacks INGEST_BUCKET/);
    });
  });
});
