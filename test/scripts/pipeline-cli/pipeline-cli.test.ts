import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import {
  GetQueueAttributesCommand,
  SendMessageCommand,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { redriveSelected } from '../../../scripts/pipeline/dlq/redrive-selected';
import { DEAD_LETTER_ATTRIBUTES } from '../../../nest-worker/src/queue/dead-letter-message';
import { drainEnvelopes } from '../../local/event-queue';
import { synthesizeTemplate } from '../../local/synthesized-template';
import { useLocalAws } from '../../local/use-local-aws';
import { ROOT, temporaryFolder } from '../run-script';
import { runCli, writeEnvFile } from './run-cli';

const runtime = useLocalAws(() => synthesizeTemplate());
let envFile: string;
beforeAll(() => {
  envFile = writeEnvFile(temporaryFolder('pipeline-cli-'), runtime().pipeline.env);
});

const env = () => runtime().pipeline.env;
const queueUrl = (name: string) => env().PRODUCT_INGEST_QUEUE_URL.replace(/[^/]+$/, name);
const cli = (...args: string[]) => runCli([...args, '--env-file', envFile]);
const json = <T>(stdout: string) => JSON.parse(stdout) as T;

async function depth(url: string): Promise<number> {
  const { Attributes = {} } = await runtime().sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

/** A ProductIngested message the worker gave up on, with the attributes its dead-letter send sets. */
async function poisonMessage(externalId: string, reason: string): Promise<string> {
  const body = JSON.stringify({
    version: '0',
    id: `event-${externalId}`,
    'detail-type': 'ProductIngested',
    source: 'product-pipeline.ingestion',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: { product: { externalId } },
  });
  const { MessageId } = await runtime().sqs.send(
    new SendMessageCommand({
      QueueUrl: env().PRODUCT_INGEST_DLQ_URL,
      MessageBody: body,
      MessageAttributes: {
        [DEAD_LETTER_ATTRIBUTES.reason]: text(reason),
        [DEAD_LETTER_ATTRIBUTES.detail]: text(`${reason}: product.variants[0].sku is missing`),
        [DEAD_LETTER_ATTRIBUTES.sourceQueue]: text('product-ingest'),
        [DEAD_LETTER_ATTRIBUTES.sourceMessageId]: text(`original-${externalId}`),
        [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: 'Number', StringValue: '1' },
        'carried.attribute': text('kept'),
      },
    }),
  );
  return MessageId!;
}

interface ListedLetter {
  messageId: string;
  reason: string;
  detail?: string;
  ageMs?: number;
  summary: string;
  attributes: Record<string, string>;
}

describe('npx pipeline against the local stack', () => {
  describe('status', () => {
    let ingestionId: string;

    beforeAll(async () => {
      const { s3, sfn } = runtime();
      await s3.send(
        new PutObjectCommand({
          Bucket: env().INGEST_BUCKET,
          Key: 'incoming/shein_products.example.json',
          Body: readFileSync(path.join(ROOT, 'samples', 'shein_products.example.json')),
        }),
      );
      const deadline = Date.now() + 30_000;
      for (;;) {
        const { executions = [] } = await sfn.send(
          new ListExecutionsCommand({ stateMachineArn: env().STATE_MACHINE_ARN }),
        );
        const ended = executions.find((execution) => execution.status !== 'RUNNING');
        if (ended) {
          ingestionId = ended.name!;
          break;
        }
        if (Date.now() > deadline) throw new Error('the ingestion did not end');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const { status } = await sfn.send(
        new DescribeExecutionCommand({
          executionArn: `${env().STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${ingestionId}`,
        }),
      );
      expect(status).toBe('SUCCEEDED');
    });

    it('shows the ingestion SUCCEEDED with its counts, the queue depths and empty DLQs (--json)', async () => {
      const run = await cli('status', '--json');
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const report = json<Record<string, unknown>>(run.stdout);
      expect(report).toMatchObject({
        ingestions: [
          {
            ingestionId,
            status: 'SUCCEEDED',
            sourceKey: 'incoming/shein_products.example.json',
            counts: { total: 4, valid: 4, rejected: 0, published: 4, failed: 0 },
          },
        ],
        queues: [
          {
            name: 'product-ingest',
            visible: 4,
            inFlight: 0,
            oldestMessageAge: expect.stringMatching(/^n\/a/),
          },
          { name: 'medusa-sync', visible: 0 },
        ],
        problems: [],
      });
      expect(report).not.toHaveProperty('worker');
      const dlqs = report.deadLetterQueues as { name: string; visible: number }[];
      expect(dlqs.map((queue) => queue.name)).toEqual([
        'product-ingest-dlq',
        'product-ingest-target-dlq',
        'medusa-sync-dlq',
        'medusa-sync-target-dlq',
        'ingestion-trigger-dlq',
        'ingestion-failures-dlq',
        'ingestion-report-failure-dlq',
      ]);
      expect(dlqs.every((queue) => queue.visible === 0)).toBe(true);
    });

    it('prints the same as tables, without colour when not on a terminal', async () => {
      const run = await cli('status');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(ingestionId);
      expect(run.stdout).toMatch(/SUCCEEDED .*incoming\/shein_products\.example\.json .* 4 .* 0 .* 4 .* 0 /);
      expect(run.stdout).toMatch(/product-ingest +│ 4 /);
      expect(run.stdout).toContain('No problems found.');
      expect(run.stdout).not.toContain('\u001b[');
    });

    it('shows one ingestion with its report keys', async () => {
      const run = await cli('status', ingestionId, '--json');
      expect(run.code).toBe(0);
      const { ingestion } = json<{
        ingestion: { reports: Record<string, string>; reportObjects: { key: string }[] };
      }>(run.stdout);
      expect(ingestion).toMatchObject({
        ingestionId,
        status: 'SUCCEEDED',
        reports: {
          summary: `reports/${ingestionId}/summary.json`,
          rejects: `reports/${ingestionId}/rejects.json`,
          failedBatches: `reports/${ingestionId}/failed-batches.json`,
          failure: `reports/${ingestionId}/failure.json`,
        },
      });
      expect(ingestion.reportObjects.map((object) => object.key).sort()).toEqual([
        `reports/${ingestionId}/rejects.json`,
        `reports/${ingestionId}/summary.json`,
      ]);
      const table = await cli('status', ingestionId);
      expect(table.stdout).toContain(`summary         reports/${ingestionId}/summary.json\n`);
      expect(table.stdout).toContain(`failure         reports/${ingestionId}/failure.json (not written)`);
    });

    it('names an unknown ingestion and exits 1', async () => {
      const run = await cli('status', 'no-such-ingestion', '--json');
      expect(run.code).toBe(1);
      expect(json<{ problems: string[] }>(run.stdout).problems).toEqual(['no ingestion no-such-ingestion']);
    });

    it("asks the worker's /ready only when given its URL, and exits 1 when it is not ready", async () => {
      const server: Server = createServer((_request, response) => {
        response.writeHead(503).end('redis: down');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const run = await cli('status', '--json', '--worker-url', `http://127.0.0.1:${port}`);
        expect(run.code).toBe(1);
        expect(json(run.stdout)).toMatchObject({
          worker: { url: `http://127.0.0.1:${port}/ready`, ready: false, status: 503, detail: 'redis: down' },
          problems: [`worker not ready (http://127.0.0.1:${port}/ready)`],
        });
      } finally {
        server.close();
      }
    });

    afterAll(async () => {
      await drainEnvelopes(runtime().sqs, env().PRODUCT_INGEST_QUEUE_URL);
    });
  });

  describe('dlq', () => {
    afterEach(async () => {
      for (const url of [env().PRODUCT_INGEST_DLQ_URL, env().PRODUCT_INGEST_QUEUE_URL]) {
        await drainEnvelopes(runtime().sqs, url);
      }
    });

    it('lists a poison message with its reason and age, and leaves it in the DLQ (table and --json)', async () => {
      const id = await poisonMessage('shein:1001', 'InvalidDetail');
      const listed = await cli('dlq', 'list', 'product-ingest-dlq', '--json');
      expect(listed).toMatchObject({ code: 0, stderr: '' });
      const { messages } = json<{ messages: ListedLetter[] }>(listed.stdout);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({
        messageId: id,
        reason: 'InvalidDetail',
        detail: 'InvalidDetail: product.variants[0].sku is missing',
        summary: 'ProductIngested shein:1001',
        attributes: { 'pipeline.source-queue': 'product-ingest', 'carried.attribute': 'kept' },
      });
      expect(messages[0].ageMs).toBeGreaterThanOrEqual(0);

      const table = await cli('dlq', 'list', 'product-ingest-dev-dlq');
      expect(table.code).toBe(0);
      expect(table.stdout).toContain('product-ingest-dlq (product-ingest-dev-dlq): 1 message(s)');
      expect(table.stdout).toMatch(new RegExp(`${id} .*│ InvalidDetail .*ProductIngested shein:1001`));
      expect(await depth(env().PRODUCT_INGEST_DLQ_URL)).toBe(1);

      const shown = await cli('dlq', 'show', 'product-ingest-dlq', id, '--json');
      expect(json(shown.stdout)).toMatchObject({ message: { messageId: id, reason: 'InvalidDetail' } });
      expect(await depth(env().PRODUCT_INGEST_DLQ_URL)).toBe(1);
    });

    it('redrives the whole DLQ back to product-ingest-dev with a move task, leaving the DLQ empty', async () => {
      await poisonMessage('shein:2001', 'InvalidDetail');
      await poisonMessage('shein:2002', 'PimcoreRejected');
      const run = await cli('dlq', 'redrive', 'product-ingest-dlq', '--json');
      expect(run.code).toBe(0);
      expect(json(run.stdout)).toMatchObject({
        method: 'StartMessageMoveTask',
        status: 'COMPLETED',
        moved: 2,
      });
      expect(await depth(env().PRODUCT_INGEST_DLQ_URL)).toBe(0);
      const back = await drainEnvelopes(runtime().sqs, env().PRODUCT_INGEST_QUEUE_URL);
      expect(
        back
          .map((envelope) => (envelope.detail as { product: { externalId: string } }).product.externalId)
          .sort(),
      ).toEqual(['shein:2001', 'shein:2002']);
    });

    it('redrives only the messages that match a filter, sending before deleting', async () => {
      await poisonMessage('shein:3001', 'InvalidDetail');
      const kept = await poisonMessage('shein:3002', 'PimcoreRejected');
      const run = await cli('dlq', 'redrive', 'product-ingest-dlq', '--reason', 'InvalidDetail');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        'product-ingest-dlq → product-ingest: moved 1, left 1 not matching, 0 failed',
      );
      const back = await runCli(['dlq', 'list', 'product-ingest-dlq', '--json', '--env-file', envFile]);
      expect(
        json<{ messages: ListedLetter[] }>(back.stdout).messages.map((letter) => letter.messageId),
      ).toEqual([kept]);
      const [moved, ...others] = await drainEnvelopes(runtime().sqs, env().PRODUCT_INGEST_QUEUE_URL);
      expect(others).toEqual([]);
      expect(moved.detail).toEqual({ product: { externalId: 'shein:3001' } });

      const byAttribute = await cli(
        'dlq',
        'redrive',
        'product-ingest-dlq',
        '--filter',
        'pipeline.source-message-id=original-shein:3002',
        '--json',
      );
      expect(json(byAttribute.stdout)).toMatchObject({
        method: 'SendMessage',
        moved: 1,
        skipped: 0,
        failed: [],
      });
      expect(await depth(env().PRODUCT_INGEST_DLQ_URL)).toBe(0);
    });

    it('re-puts a target-DLQ event on the bus, where its rule delivers it to product-ingest-dev', async () => {
      const targetDlq = queueUrl('product-ingest-dev-target-dlq');
      const event = {
        version: '0',
        id: 'undelivered-1',
        'detail-type': 'ProductIngested',
        source: 'product-pipeline.ingestion',
        account: '000000000000',
        time: new Date().toISOString(),
        region: 'us-east-1',
        resources: [],
        detail: { product: { externalId: 'shein:4001' } },
      };
      await runtime().sqs.send(
        new SendMessageCommand({
          QueueUrl: targetDlq,
          MessageBody: JSON.stringify(event),
          MessageAttributes: {
            ERROR_CODE: text('SQSError'),
            ERROR_MESSAGE: text('KMS key not accessible'),
            RETRY_ATTEMPTS: { DataType: 'Number', StringValue: '185' },
          },
        }),
      );
      const listed = await cli('dlq', 'list', 'product-ingest-target-dlq', '--json');
      expect(json<{ messages: ListedLetter[] }>(listed.stdout).messages).toMatchObject([
        { reason: 'SQSError', detail: 'KMS key not accessible', summary: 'ProductIngested shein:4001' },
      ]);

      const run = await cli('dlq', 'redrive', 'product-ingest-target-dlq', '--json');
      expect(run.code).toBe(0);
      expect(json(run.stdout)).toMatchObject({
        method: 'PutEvents',
        destination: 'bus products-dev',
        moved: 1,
      });
      expect(await depth(targetDlq)).toBe(0);
      const [delivered, ...others] = await drainEnvelopes(runtime().sqs, env().PRODUCT_INGEST_QUEUE_URL);
      expect(others).toEqual([]);
      expect(delivered).toMatchObject({
        source: 'product-pipeline.ingestion',
        'detail-type': 'ProductIngested',
        detail: { product: { externalId: 'shein:4001' } },
      });
      expect(delivered.id).not.toBe('undelivered-1');
    });

    it('takes only what was in the DLQ at the start: a message that fails again at once is left, not sent round', async () => {
      await poisonMessage('shein:6001', 'InvalidDetail');
      const { sqs } = runtime();
      const dlq = {
        name: 'product-ingest-dlq',
        queueName: 'product-ingest-dev-dlq',
        url: env().PRODUCT_INGEST_DLQ_URL,
        kind: 'work' as const,
      };
      let sends = 0;
      // As a worker still refusing it would: the message is back in the DLQ, under a new id, at once.
      const failsAgain = async (message: Message) => {
        sends += 1;
        await sqs.send(new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: message.Body! }));
      };
      const silent = { update: () => undefined, stop: () => undefined };
      await expect(redriveSelected(sqs, dlq, failsAgain, undefined, silent)).resolves.toEqual({
        moved: 1,
        failed: [],
        skipped: 0,
        arrived: 1,
      });
      expect(sends).toBe(1);
      expect(await depth(dlq.url)).toBe(1);
    });

    it("redrives the trigger DLQ's upload events into executions of the state machine, and leaves the failure DLQs to the Lambda", async () => {
      const { s3, sfn, sqs } = runtime();
      const key = 'incoming/redriven-upload.json';
      await s3.send(
        new PutObjectCommand({
          Bucket: env().INGEST_BUCKET,
          Key: key,
          Body: readFileSync(path.join(ROOT, 'samples', 'shein_products.example.json')),
        }),
      );
      // The upload event the trigger rule could not deliver, as EventBridge parks it in the rule's DLQ.
      const event = {
        version: '0',
        id: 'redriven-upload-event',
        'detail-type': 'Object Created',
        source: 'aws.s3',
        account: '000000000000',
        time: new Date().toISOString(),
        region: 'us-east-1',
        resources: [`arn:aws:s3:::${env().INGEST_BUCKET}`],
        detail: { bucket: { name: env().INGEST_BUCKET }, object: { key, size: 1 } },
      };
      const dlqUrl = queueUrl('product-ingestion-trigger-dev-dlq');
      const { MessageId } = await sqs.send(
        new SendMessageCommand({
          QueueUrl: dlqUrl,
          MessageBody: JSON.stringify(event),
          MessageAttributes: { ERROR_CODE: text('SDK_CLIENT_ERROR') },
        }),
      );

      const run = await cli('dlq', 'redrive', 'ingestion-trigger-dlq', '--json');
      expect(run.code).toBe(0);
      expect(json(run.stdout)).toMatchObject({
        destination: 'state machine ProductIngestion-dev',
        method: 'StartExecution',
        moved: 1,
        failed: [],
      });
      expect(await depth(dlqUrl)).toBe(0);
      const executionArn = `${env().STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:redrive-${MessageId}`;
      const deadline = Date.now() + 30_000;
      let status: string | undefined = 'RUNNING';
      while (status === 'RUNNING' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        ({ status } = await sfn.send(new DescribeExecutionCommand({ executionArn })));
      }
      expect(status).toBe('SUCCEEDED');
      await drainEnvelopes(sqs, env().PRODUCT_INGEST_QUEUE_URL);

      const refused = await cli('dlq', 'redrive', 'ingestion-failures-dlq');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('ReportFailure');
    });

    it('refuses an unknown queue and a malformed filter with exit 2', async () => {
      const unknown = await cli('dlq', 'list', 'no-such-dlq');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('no dead-letter queue "no-such-dlq"');
      const filter = await cli('dlq', 'redrive', 'product-ingest-dlq', '--filter', 'no-equals-sign');
      expect(filter.code).toBe(2);
      expect((await runCli(['dlq', 'list'])).code).toBe(2);
    });
  });

  it('runs as `npx pipeline` through bin/pipeline.cjs (a child process: execFile, asynchronous)', async () => {
    await poisonMessage('shein:5001', 'InvalidDetail');
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        path.join(ROOT, 'bin', 'pipeline.cjs'),
        ['dlq', 'list', 'product-ingest-dlq', '--json', '--env-file', envFile],
        { cwd: ROOT },
        (error, out) => resolve({ code: error ? Number(error.code) : 0, stdout: out }),
      );
    });
    expect(code).toBe(0);
    expect(json<{ messages: ListedLetter[] }>(stdout).messages).toMatchObject([{ reason: 'InvalidDetail' }]);
    await drainEnvelopes(runtime().sqs, env().PRODUCT_INGEST_DLQ_URL);
  });
});
