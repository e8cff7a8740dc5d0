import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const TEMPLATE = path.join(__dirname, '..', 'local', 'fixtures', 'MiniPipeline-test.template.json');

function runCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    [path.join(ROOT, 'scripts', 'local-aws.ts'), ...args],
    {
      cwd: ROOT,
    },
  );
}

function collect(stream: NodeJS.ReadableStream): { text: () => string } {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  return { text: () => text };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm run local:aws (local/cli/local-aws.ts)', () => {
  it('prints the KEY=value lines, writes them with --write-env, and stops cleanly on SIGTERM', async () => {
    const envFile = path.join(mkdtempSync(path.join(tmpdir(), 'local-aws-cli-')), 'local.env');
    const cli = runCli(['--template', TEMPLATE, '--write-env', envFile]);
    const stdout = collect(cli.stdout);
    const stderr = collect(cli.stderr);
    const exited = once(cli, 'exit');

    await until(
      () => stderr.text().includes('Stop with Ctrl-C') && stdout.text().includes('INGEST_BUCKET='),
      'the KEY=value lines and the start-up hint',
    );
    const env = Object.fromEntries(
      stdout
        .text()
        .trim()
        .split('\n')
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
    expect(env).toEqual({
      AWS_ENDPOINT_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      AWS_ENDPOINT_URL_S3: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
      PRODUCT_INGEST_QUEUE_URL: `${env.AWS_ENDPOINT_URL}/000000000000/mini-work`,
      PRODUCTS_EVENT_BUS_NAME: 'mini-bus',
      INGEST_BUCKET: 'minipipeline-test-uploads',
    });
    expect(readFileSync(envFile, 'utf8')).toBe(stdout.text());
    expect(stderr.text()).toMatch(/not emulated: Table \(AWS::DynamoDB::Table\)/);
    expect(stderr.text()).toContain(`s3://minipipeline-test-uploads/incoming/`);

    const queue = await fetch(env.AWS_ENDPOINT_URL, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonSQS.GetQueueUrl', 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ QueueName: 'mini-work' }),
    });
    expect(await queue.json()).toEqual({ QueueUrl: env.PRODUCT_INGEST_QUEUE_URL });

    cli.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(stderr.text()).toContain('SIGTERM: stopping the local AWS runtime');
    await expect(fetch(env.AWS_ENDPOINT_URL, { method: 'POST' })).rejects.toThrow();
  });

  it('refuses a wrong command line with its usage (exit 2)', async () => {
    const cli = runCli(['--port', 'eighty']);
    const stderr = collect(cli.stderr);
    const [code] = await once(cli, 'exit');
    expect(code).toBe(2);
    expect(stderr.text()).toMatch(/--port must be a whole number[\s\S]*Usage: npm run local:aws/);
  });
});
