import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startLocalAws, type LocalAws } from '../../local/local-aws';
import { LOCAL_CREDENTIALS } from '../../local/s3/s3-emulator';

export interface LocalAwsClients {
  readonly pipeline: LocalAws;
  readonly s3: S3Client;
  readonly sfn: SFNClient;
  readonly sqs: SQSClient;
}

/**
 * The local AWS runtime of a template for one test file, with SDK clients on its endpoints: started
 * before its tests (the Lambdas silent), stopped after them. Lines the runtime logs at start go to
 * `startupLog`.
 */
export function useLocalAws(templatePath: () => string, startupLog: string[] = []): () => LocalAwsClients {
  let started: LocalAwsClients | undefined;
  beforeAll(async () => {
    const pipeline = await startLocalAws({
      templatePath: templatePath(),
      lambdaEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
      log: (line) => startupLog.push(line),
    });
    const config = { region: pipeline.env.AWS_REGION, credentials: LOCAL_CREDENTIALS };
    started = {
      pipeline,
      s3: new S3Client({ ...config, endpoint: pipeline.s3Endpoint, forcePathStyle: true }),
      sfn: new SFNClient({ ...config, endpoint: pipeline.endpoint }),
      sqs: new SQSClient({ ...config, endpoint: pipeline.endpoint }),
    };
  });
  afterAll(async () => {
    if (!started) return;
    [started.s3, started.sfn, started.sqs].forEach((client) => client.destroy());
    await started.pipeline.stop();
  });
  return () => {
    if (!started) throw new Error('the local AWS runtime has not started');
    return started;
  };
}
