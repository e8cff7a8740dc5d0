import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { productIngestedDetailSchema } from '../../../contracts/product-ingested';
import {
  publishOutputSchema,
  summarizeOutputSchema,
  transformOutputSchema,
  validateOutputSchema,
  type ValidateOutput,
} from '../../../contracts/workflow';
import { transformProduct } from '../../../lambdas/domain/transform';
import { DEFAULT_TRANSFORM_CONFIG } from '../../../lambdas/domain/transform-config';
import { handler as publish } from '../../../lambdas/handlers/publish';
import { handler as summarize } from '../../../lambdas/handlers/summarize';
import { handler as transform } from '../../../lambdas/handlers/transform';
import { handler as validate } from '../../../lambdas/handlers/validate';
import type { S3Emulator } from '../../../local/s3/s3-emulator';
import { canonicalBatchFileSchema } from '../../../lambdas/staging/canonical-batch';
import { stagedBatchFileSchema } from '../../../lambdas/staging/staged-batch';
import {
  getJson,
  getText,
  manifestLines,
  putMapRunResults,
  putText,
  startHandlerS3,
  TEST_BUCKET,
  validateInput,
} from './s3-test-env';

const SAMPLES = path.join(__dirname, '..', '..', '..', 'samples');
const sample = (name: string) => readFileSync(path.join(SAMPLES, name), 'utf8');
const ndjsonOf = (name: string) =>
  (JSON.parse(sample(name)) as unknown[]).map((item) => JSON.stringify(item)).join('\n');
const eventBridge = mockClient(EventBridgeClient);

let s3: S3Client;
let emulator: S3Emulator;

beforeAll(async () => {
  ({ s3, emulator } = await startHandlerS3());
  process.env.STAGING_BATCH_SIZE = '3';
  process.env.EVENT_BUS_NAME = 'products-test';
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(() => eventBridge.reset());

async function validateUpload(ingestionId: string, key: string, body: string): Promise<ValidateOutput> {
  const size = await putText(s3, key, body);
  return validateOutputSchema.parse(await validate(validateInput(ingestionId, key, size)));
}

describe('Validate → Transform → Publish → Summarize on the example export (real S3 protocol)', () => {
  const example = JSON.parse(sample('shein_products.example.json')) as unknown[];
  let validation: ValidateOutput;

  beforeAll(async () => {
    validation = await validateUpload(
      'exec-example',
      'incoming/example.json',
      sample('shein_products.example.json'),
    );
  });

  it('stages every valid product in batches of the configured size and reports no reject', async () => {
    expect(validation).toMatchObject({
      ingestionId: 'exec-example',
      source: { bucket: TEST_BUCKET, key: 'incoming/example.json' },
      counts: { total: example.length, valid: example.length, rejected: 0 },
      reportKey: 'reports/exec-example/rejects.json',
    });
    expect(validation.batches).toBe(2);
    expect(validation.manifest).toEqual({ bucket: TEST_BUCKET, key: 'staging/exec-example/batches.jsonl' });
    expect(await manifestLines(s3, validation.manifest.key)).toEqual([
      { key: 'staging/exec-example/batch-00001.json', count: 3 },
      { key: 'staging/exec-example/batch-00002.json', count: example.length - 3 },
    ]);
    const staged = stagedBatchFileSchema.parse(await getJson(s3, 'staging/exec-example/batch-00001.json'));
    expect(staged.products.map((product) => product.index)).toEqual([0, 1, 2]);
    expect(staged.source).toEqual({ bucket: TEST_BUCKET, key: 'incoming/example.json' });
    expect(await getJson(s3, validation.reportKey)).toEqual([]);
  });

  it('transforms a batch into canonical products, byte-identical on a retry', async () => {
    const input = {
      ingestionId: 'exec-example',
      batchKey: 'staging/exec-example/batch-00001.json',
      count: 3,
    };
    const output = transformOutputSchema.parse(await transform(input));
    expect(output).toEqual({
      ingestionId: 'exec-example',
      canonicalKey: 'staging/exec-example/canonical/batch-00001.json',
      count: 3,
      rejected: 0,
    });
    const first = await getText(s3, output.canonicalKey);
    await transform(input);
    expect(await getText(s3, output.canonicalKey)).toBe(first);

    const canonical = canonicalBatchFileSchema.parse(JSON.parse(first));
    const staged = stagedBatchFileSchema.parse(await getJson(s3, input.batchKey));
    expect(canonical.products.map((entry) => entry.product)).toEqual(
      staged.products.map((product) => transformProduct(product, DEFAULT_TRANSFORM_CONFIG)),
    );
  });

  it('publishes one ProductIngested event per product with its ingestion metadata', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_: unknown, index: number) => ({ EventId: `event-${index}` })),
    }));
    const canonicalKey = 'staging/exec-example/canonical/batch-00001.json';
    const output = publishOutputSchema.parse(
      await publish({ ingestionId: 'exec-example', canonicalKey, count: 3, rejected: 0 }),
    );
    expect(output).toEqual({ published: 3, failed: 0, rejected: 0 });

    const entries = eventBridge
      .commandCalls(PutEventsCommand)
      .flatMap((call) => call.args[0].input.Entries ?? []);
    expect(entries).toHaveLength(3);
    const canonical = canonicalBatchFileSchema.parse(await getJson(s3, canonicalKey));
    entries.forEach((entry, position) => {
      expect(entry).toMatchObject({
        EventBusName: 'products-test',
        Source: 'product-pipeline.ingestion',
        DetailType: 'ProductIngested',
      });
      const detail = productIngestedDetailSchema.parse(JSON.parse(entry.Detail!));
      expect(detail.ingestion).toMatchObject({
        ingestionId: 'exec-example',
        sourceBucket: TEST_BUCKET,
        sourceKey: 'incoming/example.json',
        index: position,
      });
      expect(detail.product).toEqual(canonical.products[position].product);
    });
  });

  it('reports the products EventBridge refused, with their reason, and counts them failed', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => ({
      FailedEntryCount: 1,
      Entries: input.Entries.map((_: unknown, index: number) =>
        index === 1
          ? { ErrorCode: 'MalformedDetail', ErrorMessage: 'rejected' }
          : { EventId: `event-${index}` },
      ),
    }));
    const canonicalKey = 'staging/exec-example/canonical/batch-00001.json';
    const output = await publish({ ingestionId: 'exec-example', canonicalKey, count: 3, rejected: 0 });
    expect(output).toEqual({ published: 2, failed: 1, rejected: 0 });
    const canonical = canonicalBatchFileSchema.parse(await getJson(s3, canonicalKey));
    expect(await getJson(s3, 'reports/exec-example/publish-failures/batch-00001.json')).toEqual([
      {
        index: 1,
        externalId: canonical.products[1].product.externalId,
        reason: 'MalformedDetail',
        message: 'rejected',
      },
    ]);
  });

  it("summarizes the ingestion from the Map Run's results in S3 and writes the summary report", async () => {
    const mapRun = await putMapRunResults(s3, 'staging/map-results', [
      { status: 'SUCCEEDED', input: {}, output: { published: 3, failed: 0, rejected: 0 } },
      { status: 'SUCCEEDED', input: {}, output: { published: example.length - 3, failed: 0, rejected: 0 } },
    ]);
    const output = summarizeOutputSchema.parse(await summarize({ validation, mapRun }));
    expect(output.counts).toEqual({
      total: example.length,
      valid: example.length,
      rejected: 0,
      published: example.length,
      failed: 0,
    });
    expect(await getJson(s3, output.reportKey)).toMatchObject({
      ingestionId: 'exec-example',
      counts: output.counts,
      rejectsReportKey: validation.reportKey,
      batches: 2,
      mapRunArn: mapRun.MapRunArn,
    });
  });

  it("counts a failed child workflow's products as failed and lists its batch in failed-batches.json", async () => {
    const second = {
      ingestionId: 'exec-example',
      batchKey: 'staging/exec-example/batch-00002.json',
      count: 2,
    };
    const mapRun = await putMapRunResults(s3, 'staging/map-results-failed', [
      { status: 'SUCCEEDED', input: {}, output: { published: 3, failed: 0, rejected: 0 } },
      {
        status: 'FAILED',
        input: second,
        error: 'Sandbox.Timedout',
        cause: 'Task timed out after 120.00 seconds',
      },
    ]);
    const output = summarizeOutputSchema.parse(
      await summarize({ validation: { ...validation, counts: { total: 5, valid: 5, rejected: 0 } }, mapRun }),
    );
    expect(output.counts).toEqual({ total: 5, valid: 5, rejected: 0, published: 3, failed: 2 });
    expect(await getJson(s3, 'reports/exec-example/failed-batches.json')).toEqual([
      {
        batchKey: second.batchKey,
        count: 2,
        status: 'FAILED',
        error: 'Sandbox.Timedout',
        cause: 'Task timed out after 120.00 seconds',
      },
    ]);
    expect(await getJson(s3, output.reportKey)).toMatchObject({
      failedBatches: 1,
      failedBatchesReportKey: 'reports/exec-example/failed-batches.json',
    });
  });

  it('fails with MissingBatchResults when the Map Run reports fewer batches than Validate staged', async () => {
    const mapRun = await putMapRunResults(s3, 'staging/map-results-short', [
      { status: 'SUCCEEDED', input: {}, output: { published: 3, failed: 0, rejected: 0 } },
    ]);
    await expect(summarize({ validation, mapRun })).rejects.toMatchObject({
      name: 'MissingBatchResults',
      message: 'the Map Run reported 1 batch results; Validate staged 2 batches',
    });
  });
});

describe('Validate on bad input', () => {
  it('reports each invalid product with its index, id and reason, and stages the rest', async () => {
    const items = JSON.parse(sample('shein_products.invalid.json')) as unknown[];
    const output = await validateUpload(
      'exec-invalid',
      'incoming/invalid.json',
      sample('shein_products.invalid.json'),
    );
    const rejects = await getJson<{ index: number; reason: string; message: string; id?: string }[]>(
      s3,
      output.reportKey,
    );
    expect(output.counts.total).toBe(items.length);
    expect(output.counts.rejected).toBe(rejects.length);
    expect(output.counts.valid).toBe(items.length - rejects.length);
    expect(rejects.length).toBeGreaterThan(5);
    for (const reject of rejects) {
      expect(reject.index).toBeGreaterThanOrEqual(0);
      expect(reject.reason).toMatch(/^[a-z_]+$/);
      expect(reject.message.length).toBeGreaterThan(5);
    }
  });

  it('accepts NDJSON', async () => {
    const ndjson = (JSON.parse(sample('shein_products.example.json')) as unknown[])
      .map((item) => JSON.stringify(item))
      .join('\n');
    const output = await validateUpload('exec-ndjson', 'incoming/example.jsonl', ndjson);
    expect(output.counts).toMatchObject({ rejected: 0 });
    expect(output.counts.valid).toBeGreaterThan(0);
  });

  it.each([
    ['NotJson', '[{"goods_id": 1,,}]'],
    ['EmptyFile', ''],
    ['NotArrayOrNdjson', '"just a string"'],
    ['NoValidProduct', '[{"hello": "world"}, 42]'],
  ])('fails with %s, and still writes the rejects report', async (errorName, body) => {
    const ingestionId = `exec-${errorName}`;
    const key = `incoming/${errorName}.json`;
    const size = await putText(s3, key, body);
    await expect(validate(validateInput(ingestionId, key, size))).rejects.toMatchObject({ name: errorName });
    expect(Array.isArray(await getJson(s3, `reports/${ingestionId}/rejects.json`))).toBe(true);
  });

  it('fails with ObjectTooLarge before reading an object above the configured limit', async () => {
    process.env.MAX_OBJECT_BYTES = '10';
    try {
      const size = await putText(s3, 'incoming/big.json', sample('shein_products.example.json'));
      await expect(validate(validateInput('exec-big', 'incoming/big.json', size))).rejects.toMatchObject({
        name: 'ObjectTooLarge',
        message: expect.stringContaining('incoming/big.json'),
      });
    } finally {
      delete process.env.MAX_OBJECT_BYTES;
    }
  });
});

describe('Validate on uploads that are not plain .json (issue 15, item 7)', () => {
  const keysUnder = async (prefix: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: prefix }))).Contents ?? []).map(
      (object) => object.Key,
    );

  it.each([
    ['incoming/notes.txt', 'unsupported file type .txt: upload .json, .jsonl, .ndjson (optionally .gz)'],
    [
      'incoming/export.json.bak',
      'unsupported file type .bak: upload .json, .jsonl, .ndjson (optionally .gz)',
    ],
    [
      'incoming/archive.tar.gz',
      'unsupported file type .tar.gz: upload .json, .jsonl, .ndjson (optionally .gz)',
    ],
    ['incoming/README', 'unsupported file type (none): upload .json, .jsonl, .ndjson (optionally .gz)'],
    ['incoming/', 'incoming/ is a folder, not a file: upload .json, .jsonl, .ndjson (optionally .gz)'],
  ])('skips %s, naming why, and stages nothing', async (key, reason) => {
    const ingestionId = `exec-skip-${key.length}`;
    const size = await putText(s3, key, sample('shein_products.example.json'));
    expect(await validate(validateInput(ingestionId, key, size))).toEqual({
      skipped: { ingestionId, sourceBucket: TEST_BUCKET, sourceKey: key, reason },
    });
    expect(await keysUnder(`staging/${ingestionId}/`)).toEqual([]);
    expect(await keysUnder(`reports/${ingestionId}/`)).toEqual([]);
  });

  it.each([
    ['an upper-case suffix', 'incoming/EXAMPLE.JSON', Buffer.from(sample('shein_products.example.json'))],
    ['gzip', 'incoming/example.json.gz', gzipSync(sample('shein_products.example.json'))],
    ['gzip in upper case', 'incoming/example.NDJSON.GZ', gzipSync(ndjsonOf('shein_products.example.json'))],
    [
      'gzip under a .json name (its bytes say gzip)',
      'incoming/zipped.json',
      gzipSync(sample('shein_products.example.json')),
    ],
  ])('reads %s', async (_, key, body) => {
    const size = await putText(s3, key, body);
    const output = validateOutputSchema.parse(await validate(validateInput(`exec-${key.length}`, key, size)));
    const total = (JSON.parse(sample('shein_products.example.json')) as unknown[]).length;
    expect(output.counts).toEqual({ total, valid: total, rejected: 0 });
  });

  it('fails a gzip bomb with DecompressedTooLarge, naming the limit', async () => {
    process.env.MAX_OBJECT_BYTES = String(1024 * 1024);
    try {
      const body = gzipSync(Buffer.concat([Buffer.from('['), Buffer.alloc(8 * 1024 * 1024, 0x20)]));
      const size = await putText(s3, 'incoming/bomb.json.gz', body);
      expect(size).toBeLessThan(64 * 1024);
      await expect(validate(validateInput('exec-bomb', 'incoming/bomb.json.gz', size))).rejects.toMatchObject(
        {
          name: 'DecompressedTooLarge',
          message: expect.stringContaining('limit of 1048576 bytes'),
        },
      );
    } finally {
      delete process.env.MAX_OBJECT_BYTES;
    }
  });
});

describe('a failed step (issue 15, item 12)', () => {
  it('throws its error without a stack, and writes reports/<ingestionId>/failure.json', async () => {
    const size = await putText(s3, 'incoming/cut.json', '[{"goods_id": 1,');
    const error = (await validate(validateInput('exec-cut', 'incoming/cut.json', size)).catch(
      (thrown: unknown) => thrown,
    )) as Error;
    expect(error.name).toBe('NotJson');
    expect(error.stack).toBe(`NotJson: ${error.message}`);
    expect(await getJson(s3, 'reports/exec-cut/failure.json')).toEqual({
      ingestionId: 'exec-cut',
      step: 'Validate',
      error: 'NotJson',
      cause: error.message,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(Array.isArray(await getJson(s3, 'reports/exec-cut/rejects.json'))).toBe(true);
  });

  it('says how many products were read before a file that breaks off (issue 15, item 13)', async () => {
    const [first, second] = JSON.parse(sample('shein_products.example.json')) as unknown[];
    const cut = `[${JSON.stringify(first)},${JSON.stringify(second)},{"goods_id": 1,`;
    const size = await putText(s3, 'incoming/cut-after-two.json', cut);
    const error = (await validate(validateInput('exec-cut-2', 'incoming/cut-after-two.json', size)).catch(
      (thrown: unknown) => thrown,
    )) as Error;
    expect(error).toMatchObject({
      name: 'NotJson',
      message: expect.stringMatching(/; read before it: 2 products \(2 valid, 0 rejected\)$/),
    });
    expect(await getJson(s3, 'reports/exec-cut-2/failure.json')).toMatchObject({ cause: error.message });
  });

  it('does the same for the other steps', async () => {
    const input = { ingestionId: 'exec-lost', batchKey: 'staging/exec-lost/batch-00001.json' };
    const error = (await transform(input).catch((thrown: unknown) => thrown)) as Error;
    expect(error.name).toBe('NoSuchKey');
    expect(error.stack).toBe(`NoSuchKey: ${error.message}`);
    expect(await getJson(s3, 'reports/exec-lost/failure.json')).toMatchObject({
      step: 'Transform',
      error: 'NoSuchKey',
    });
  });
});
