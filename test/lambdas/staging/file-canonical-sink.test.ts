import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TRANSFORM_CONFIG, type TransformConfig } from '../../../lambdas/domain/transform-config';
import { FileCanonicalSink } from '../../../lambdas/staging/file-canonical-sink';
import { exampleProduct, GOLDEN, GOLDEN_CONFIG, stageOrFail } from '../fixtures';

const folder = mkdtempSync(join(tmpdir(), 'file-canonical-sink-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function sinkInto(name: string, config: TransformConfig) {
  const files = { canonicalFile: join(folder, `${name}.ndjson`), rejectsFile: join(folder, `${name}.json`) };
  const sink = await FileCanonicalSink.create(files, config);
  return {
    sink,
    canonical: () => readFileSync(files.canonicalFile, 'utf8'),
    rejects: () => JSON.parse(readFileSync(files.rejectsFile, 'utf8')) as unknown[],
  };
}

const staged = [0, 1, 2, 3].map((index) => stageOrFail(exampleProduct(index), index, GOLDEN_CONFIG));

describe('FileCanonicalSink', () => {
  it('appends each batch as canonical NDJSON in file order and streams rejects into a JSON array', async () => {
    const { sink, canonical, rejects } = await sinkInto('golden', GOLDEN_CONFIG);
    await sink.writeBatch(1, staged.slice(0, 3));
    await sink.writeRejects([{ index: 9, reason: 'missing_id', message: 'goods_id: is required' }]);
    await sink.writeBatch(2, staged.slice(3));
    await sink.close();
    expect(canonical()).toBe(GOLDEN.map((product) => `${JSON.stringify(product)}\n`).join(''));
    expect(rejects()).toEqual([{ index: 9, reason: 'missing_id', message: 'goods_id: is required' }]);
    expect(sink.counts).toEqual({
      valid: 4,
      rejected: 1,
      variants: GOLDEN.reduce((sum, product) => sum + product.variants.length, 0),
      rejectReasons: { missing_id: 1 },
    });
  });

  it('reports products the transform refuses as transform_failed, like the Transform Lambda', async () => {
    const noSar = {
      ...DEFAULT_TRANSFORM_CONFIG,
      exchangeRates: { base: 'USD', rates: { EUR: '0.92' } },
      targetCurrencies: ['EUR'],
    };
    const { sink, canonical, rejects } = await sinkInto('no-sar', noSar);
    await sink.writeBatch(1, staged.slice(0, 1));
    await sink.close();
    expect(canonical()).toBe('');
    expect(rejects()).toEqual([
      {
        index: 0,
        id: '50010001',
        reason: 'transform_failed',
        message: expect.stringContaining('no exchange rate for SAR'),
      },
    ]);
    expect(sink.counts).toMatchObject({ valid: 0, rejected: 1, rejectReasons: { transform_failed: 1 } });
  });

  it('writes an empty report when nothing was rejected', async () => {
    const { sink, rejects } = await sinkInto('empty', DEFAULT_TRANSFORM_CONFIG);
    await sink.close();
    expect(rejects()).toEqual([]);
  });

  it('fails before reading anything when a file cannot be created', async () => {
    const files = { canonicalFile: join(folder, 'missing', 'c.ndjson'), rejectsFile: join(folder, 'r.json') };
    await expect(FileCanonicalSink.create(files, DEFAULT_TRANSFORM_CONFIG)).rejects.toThrow(/ENOENT/);
  });
});
