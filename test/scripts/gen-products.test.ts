import { createReadStream, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Reject } from '../../lambdas/domain/reject';
import type { StagedProduct } from '../../lambdas/domain/staged-product';
import { transformBatch } from '../../lambdas/domain/transform-batch';
import { DEFAULT_TRANSFORM_CONFIG } from '../../lambdas/domain/transform-config';
import { readProductItems, validateItems } from '../../lambdas/ingestion';
import {
  generateProducts,
  invalidOrdinal,
  type GenerateOptions,
} from '../../scripts/generate/generate-products';
import { INVALID_REASONS } from '../../scripts/generate/invalid-items';
import { writeJsonItems } from '../../scripts/generate/write-json-items';
import { runScript, temporaryFolder } from './run-script';

const folder = temporaryFolder('gen-products-');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const options = (overrides: Partial<GenerateOptions> = {}): GenerateOptions => ({
  count: 60,
  shape: 'mixed',
  invalidRatio: 0,
  seed: 42,
  ...overrides,
});
const generate = (overrides: Partial<GenerateOptions> = {}) => [...generateProducts(options(overrides))];

/** Runs a written file through the Validate Lambda's reader and validation, then the transform. */
async function ingest(file: string) {
  const staged: StagedProduct[] = [];
  const rejects: Reject[] = [];
  const summary = await validateItems(
    readProductItems(createReadStream(file), { maxBytes: 1 << 30 }),
    { batchSize: 25 },
    {
      writeBatch: async (_, products) => void staged.push(...products),
      writeRejects: async (found) => void rejects.push(...found),
    },
  );
  return { summary, staged, rejects, transformed: transformBatch(staged, DEFAULT_TRANSFORM_CONFIG) };
}

describe('generateProducts', () => {
  it('gives the same products for the same seed and other products for another seed', () => {
    expect(JSON.stringify(generate())).toBe(JSON.stringify(generate()));
    expect(JSON.stringify(generate({ seed: 7 }))).not.toBe(JSON.stringify(generate()));
  });

  it('makes the requested number of products, in the requested shape', () => {
    expect(generate({ count: 0 })).toEqual([]);
    const app = generate({ count: 30, shape: 'app' });
    expect(app).toHaveLength(30);
    expect(app.every((item) => 'info' in item)).toBe(true);
    expect(generate({ count: 30, shape: 'listing' }).every((item) => 'goods_id' in item)).toBe(true);
    const mixed = generate({ count: 200 });
    const appCount = mixed.filter((item) => 'info' in item).length;
    expect(appCount).toBeGreaterThan(40);
    expect(appCount).toBeLessThan(160);
  });

  it('weighs app-detail responses tens of KB each, like real ones', () => {
    const sizes = generate({ count: 40, shape: 'app' }).map((item) => JSON.stringify(item).length);
    const average = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(average).toBeGreaterThan(20_000);
    expect(Math.max(...sizes)).toBeLessThan(200_000);
  });

  it('spreads exactly ⌊N·ratio⌋ invalid products evenly', () => {
    const flags = Array.from({ length: 1000 }, (_, index) => invalidOrdinal(index, 0.05));
    expect(flags.filter((ordinal) => ordinal !== undefined)).toEqual(Array.from({ length: 50 }, (_, k) => k));
    expect(Array.from({ length: 10 }, (_, index) => invalidOrdinal(index, 1))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(
      Array.from({ length: 10 }, (_, index) => invalidOrdinal(index, 0)).every((o) => o === undefined),
    ).toBe(true);
  });
});

describe('generated files through the ingestion', () => {
  it.each(['array', 'ndjson'] as const)(
    'every product of a valid %s file is valid and transforms',
    async (format) => {
      const file = join(folder, `valid.${format}`);
      const written = await writeJsonItems(generateProducts(options({ count: 80 })), file, format);
      expect(written).toEqual({ count: 80, bytes: readFileSync(file).length });
      const { summary, transformed } = await ingest(file);
      expect(summary).toMatchObject({ total: 80, valid: 80, rejected: 0 });
      expect(transformed.rejects).toEqual([]);
      expect(new Set(transformed.products.map(({ product }) => product.externalId)).size).toBe(80);
    },
  );

  it.each(['app', 'listing', 'mixed'] as const)(
    'invalid %s products are rejected for the reasons they were made with',
    async (shape) => {
      const count = 240;
      const file = join(folder, `invalid-${shape}.json`);
      await writeJsonItems(generateProducts(options({ count, shape, invalidRatio: 0.1 })), file, 'array');
      const { summary, rejects } = await ingest(file);
      expect(summary).toMatchObject({ total: count, rejected: 24, valid: count - 24 });
      const expected = Array.from({ length: 24 }, (_, k) => INVALID_REASONS[k % INVALID_REASONS.length]);
      expect(rejects.map((reject) => reject.reason)).toEqual(expected);
    },
  );

  it('writes a JSON array and NDJSON that parse to the same products', async () => {
    const products = generate({ count: 12 });
    await writeJsonItems(products, join(folder, 'same.json'), 'array');
    await writeJsonItems(products, join(folder, 'same.ndjson'), 'ndjson');
    expect(JSON.parse(readFileSync(join(folder, 'same.json'), 'utf8'))).toEqual(products);
    const lines = readFileSync(join(folder, 'same.ndjson'), 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(products);
  });
});

describe('npm run gen:products', () => {
  it('writes the same bytes twice for one seed, NDJSON by the file extension', async () => {
    const args = (name: string) => ['--count', '25', '--out', name, '--invalid-ratio', '0.2', '--seed', '9'];
    const first = await runScript('gen-products', args('first.ndjson'), folder);
    const second = await runScript('gen-products', args('second.ndjson'), folder);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.json()).toMatchObject({
      file: join(folder, 'first.ndjson'),
      products: 25,
      format: 'ndjson',
    });
    const text = readFileSync(join(folder, 'first.ndjson'), 'utf8');
    expect(text).toBe(readFileSync(join(folder, 'second.ndjson'), 'utf8'));
    expect(text.trimEnd().split('\n')).toHaveLength(25);
  });

  it.each([
    ['without --count', ['--out', 'x.json']],
    ['with a ratio above 1', ['--count', '5', '--out', 'x.json', '--invalid-ratio', '1.5']],
    ['with an unknown shape', ['--count', '5', '--out', 'x.json', '--shape', 'catalogue']],
  ])('refuses a command line %s (exit 2)', async (_, args) => {
    const run = await runScript('gen-products', args, folder);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: npm run gen:products');
  });
});
