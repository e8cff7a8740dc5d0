import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REJECT_REASONS } from '../../lambdas/domain/reject';
import {
  exampleListing,
  GOLDEN,
  hasRealSample,
  productWithSizes,
  REAL_SAMPLE,
  SAMPLES,
  sample,
} from '../lambdas/fixtures';
import { runScript, temporaryFolder } from './run-script';

interface Summary {
  file: string;
  total: number;
  valid: number;
  rejected: number;
  variants: number;
  rejectReasons: Record<string, number>;
  canonicalFile: string;
  rejectsFile: string;
  error?: { name: string; message: string; offset?: number; line?: number };
}

const folder = temporaryFolder('ingest-cli-');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const ingest = (...args: string[]) => runScript('ingest', args, folder);
const linesOf = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);
const readRejects = (file: string) =>
  JSON.parse(readFileSync(file, 'utf8')) as Array<{ index: number; id?: string; reason: string }>;

function write(name: string, text: string | Buffer): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

describe('npm run ingest: files it can read', () => {
  it('turns the example export into the golden canonical products, in file order', async () => {
    // The configuration test/lambdas/domain/__golden__ was made with (GOLDEN_CONFIG).
    const config = write(
      'golden-config.json',
      JSON.stringify({
        targetCurrencies: ['AED', 'EUR'],
        exchangeRates: { base: 'USD', rates: { SAR: '3.75', AED: '3.6725', EUR: '0.92' } },
        categoryMap: { '31002': '/Women/Dresses/Maxi', '31020': '/Women/Knitwear' },
      }),
    );
    const out = join(folder, 'golden');
    const run = await ingest(join(SAMPLES, 'shein_products.example.json'), '--out', out, '--config', config);
    expect(run.code).toBe(0);
    const summary = run.json() as Summary;
    expect(summary).toEqual({
      file: join(SAMPLES, 'shein_products.example.json'),
      total: 4,
      valid: 4,
      rejected: 0,
      variants: GOLDEN.reduce((sum, product) => sum + product.variants.length, 0),
      rejectReasons: {},
      canonicalFile: join(out, 'canonical.ndjson'),
      rejectsFile: join(out, 'rejects.json'),
    });
    expect(linesOf(summary.canonicalFile).map((line) => JSON.parse(line))).toEqual(GOLDEN);
    expect(readRejects(summary.rejectsFile)).toEqual([]);
    expect(run.stderr).toContain('4 products: 4 valid');
  });

  it('reports every reject of the invalid sample with index, id, reason and message', async () => {
    const run = await ingest(join(SAMPLES, 'shein_products.invalid.json'), '--out', join(folder, 'invalid'));
    expect(run.code).toBe(0);
    const summary = run.json() as Summary;
    expect(summary).toMatchObject({ total: 16, valid: 2, rejected: 14, variants: 2 });
    expect(summary.rejectReasons).toMatchObject({
      unknown_shape: 2,
      duplicate_goods_id: 1,
      negative_price: 1,
    });
    expect(Object.values(summary.rejectReasons).reduce((a, b) => a + b, 0)).toBe(14);
    const rejects = readRejects(summary.rejectsFile);
    expect(rejects.map((reject) => reject.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    for (const reject of rejects) {
      expect(REJECT_REASONS).toContain(reject.reason);
      expect(reject).toEqual(expect.objectContaining({ message: expect.any(String) }));
    }
    expect(rejects.at(-1)).toMatchObject({ index: 14, id: '50010002', reason: 'duplicate_goods_id' });
    expect(linesOf(summary.canonicalFile)).toHaveLength(2);
    expect(run.stderr).toMatch(/rejected for: unknown_shape ×2/);
  });

  it('reads NDJSON the same way, and defaults --out to ./ingest-out/<file name>', async () => {
    const listings = sample<unknown[]>('shein_listing.example.json');
    const file = write('listings.ndjson', listings.map((item) => JSON.stringify(item)).join('\n'));
    const run = await ingest('listings.ndjson'); // relative to INIT_CWD, the folder npm was run from
    expect(run.code).toBe(0);
    const summary = run.json() as Summary;
    expect(summary).toMatchObject({ file, total: 3, valid: 3, rejected: 0, variants: 3 });
    expect(summary.canonicalFile).toBe(join(folder, 'ingest-out', 'listings', 'canonical.ndjson'));
    expect(linesOf(summary.canonicalFile).map((line) => JSON.parse(line).externalId)).toEqual([
      'shein:60020001',
      'shein:60020002',
      'shein:60020003',
    ]);
  });

  (hasRealSample ? it : it.skip)('checks the real Shein export', async () => {
    const run = await ingest(REAL_SAMPLE, '--out', join(folder, 'real'));
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ total: 3, valid: 3, rejected: 0, variants: 10 });
  });
});

describe('npm run ingest: files it cannot ingest (exit 1, JSON line with the error)', () => {
  it('names broken JSON in an array with its byte offset', async () => {
    const file = write('broken.json', '[{"goods_id":1},\n {oops}]');
    const run = await ingest(file, '--out', join(folder, 'broken'));
    expect(run.code).toBe(1);
    const summary = run.json() as Summary;
    expect(summary.error).toMatchObject({ name: 'NotJson', offset: 19 });
    expect(summary.error?.message).toContain('at or before byte 19');
    expect(run.stderr).toContain('CANNOT BE INGESTED — NotJson');
  });

  it('names the broken line of NDJSON', async () => {
    const file = write('broken.ndjson', '{"goods_id":1}\n{"goods_id":\n');
    const run = await ingest(file, '--out', join(folder, 'broken-ndjson'));
    expect(run.code).toBe(1);
    expect((run.json() as Summary).error).toMatchObject({ name: 'NotJson', line: 2 });
  });

  it.each([
    ['EmptyFile', ' \n'],
    ['NotArrayOrNdjson', '"products"'],
  ])('%s', async (name, text) => {
    const run = await ingest(write(`${name}.json`, text), '--out', join(folder, name));
    expect(run.code).toBe(1);
    expect((run.json() as Summary).error?.name).toBe(name);
  });

  it('ObjectTooLarge above --max-mb', async () => {
    const file = write('large.json', `[${'"x",'.repeat(300_000)}"x"]`);
    const run = await ingest(file, '--out', join(folder, 'large'), '--max-mb', '1');
    expect(run.code).toBe(1);
    expect((run.json() as Summary).error?.name).toBe('ObjectTooLarge');
  });

  it('NoValidProduct, with the rejects report written and counted', async () => {
    const file = write('nothing-valid.json', '[{"sku":"X-1"}, 42]');
    const run = await ingest(file, '--out', join(folder, 'nothing-valid'));
    expect(run.code).toBe(1);
    const summary = run.json() as Summary;
    expect(summary).toMatchObject({ total: 2, valid: 0, rejected: 2, rejectReasons: { unknown_shape: 2 } });
    expect(summary.error?.name).toBe('NoValidProduct');
    expect(readRejects(summary.rejectsFile)).toHaveLength(2);
  });
});

describe('npm run ingest: hostile input, as the pipeline judges it (issue 15)', () => {
  const example = sample<unknown[]>('shein_products.example.json');
  const out = (name: string) => ['--out', join(folder, name)];

  it('rejects a product that is not UTF-8 (invalid_utf8, with its id), never publishing "\ufffd"', async () => {
    const [before, after] = JSON.stringify(example[1]).split(/(?<="goods_name":")/);
    const bytes = Buffer.concat([
      Buffer.from(`[${JSON.stringify(example[0])},${before}`),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
      Buffer.from(
        `${after},${example
          .slice(2)
          .map((item) => JSON.stringify(item))
          .join(',')}]`,
      ),
    ]);
    const run = await ingest(write('not-utf8.json', bytes), ...out('not-utf8'));
    expect(run.code).toBe(0);
    const summary = run.json() as Summary;
    expect(summary).toMatchObject({ total: 4, valid: 3, rejected: 1, rejectReasons: { invalid_utf8: 1 } });
    expect(readRejects(summary.rejectsFile)).toEqual([
      expect.objectContaining({ index: 1, id: GOLDEN[1]!.source.goodsId, reason: 'invalid_utf8' }),
    ]);
    expect(readFileSync(summary.canonicalFile, 'utf8')).not.toContain('\ufffd');
  });

  it('fails a UTF-16 export with InvalidUtf8 and the byte offset', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[{"goods_id":1}]', 'utf16le')]);
    const run = await ingest(write('utf16.json', utf16), ...out('utf16'));
    expect(run.code).toBe(1);
    expect((run.json() as Summary).error).toMatchObject({ name: 'InvalidUtf8', offset: 0 });
  });

  it('rejects a product with 5,000 variants as product_too_large, as Validate does', async () => {
    const file = write('many-variants.json', JSON.stringify([example[0], productWithSizes(5000)]));
    const run = await ingest(file, ...out('many-variants'));
    expect(run.code).toBe(0);
    const summary = run.json() as Summary;
    expect(summary).toMatchObject({
      total: 2,
      valid: 1,
      rejected: 1,
      rejectReasons: { product_too_large: 1 },
    });
    expect(readRejects(summary.rejectsFile)[0]).toMatchObject({ index: 1, reason: 'product_too_large' });
  });

  it.each([
    ['x.json.gz', gzipSync(JSON.stringify(example))],
    ['gzip-named.json', gzipSync(JSON.stringify(example))],
    ['x.ndjson.gz', gzipSync(example.map((item) => JSON.stringify(item)).join('\n'))],
  ])('reads gzip: %s', async (name, bytes) => {
    const run = await ingest(write(name, bytes), ...out(`out-${name}`));
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ total: 4, valid: 4, rejected: 0 });
  });

  it('fails a gzip bomb with DecompressedTooLarge, naming the limit', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('['), Buffer.alloc(4 * 1024 * 1024, 0x20)]));
    const run = await ingest(write('bomb.json.gz', bomb), ...out('bomb'), '--max-mb', '1');
    expect(run.code).toBe(1);
    expect((run.json() as Summary).error).toEqual({
      name: 'DecompressedTooLarge',
      message: 'the upload decompresses to more than the limit of 1048576 bytes; reading stopped there',
    });
  });

  it('counts the products read before a file is cut off (item 13)', async () => {
    const text = JSON.stringify(example);
    const cut = text.slice(0, text.indexOf(JSON.stringify(example[2])) + 40);
    const run = await ingest(write('cut.json', cut), ...out('cut'));
    expect(run.code).toBe(1);
    const summary = run.json() as Summary;
    expect(summary).toMatchObject({ total: 2, valid: 2, rejected: 0, error: { name: 'NotJson' } });
    expect(linesOf(summary.canonicalFile)).toHaveLength(2);
    expect(run.stderr).toContain('read before the error: 2 products: 2 valid');
  });

  it('rejects a price of 0 (zero_price) unless the configuration allows it (item 13)', async () => {
    const free = {
      ...exampleListing(0),
      salePrice: { amount: '0', amountWithSymbol: 'SR0', usdAmount: '0' },
    };
    const file = write('free.json', JSON.stringify([exampleListing(1), free]));
    const strict = await ingest(file, ...out('free'));
    expect(strict.json()).toMatchObject({ valid: 1, rejected: 1, rejectReasons: { zero_price: 1 } });
    const config = write('allow-free.json', JSON.stringify({ allowZeroPrices: true }));
    const allowed = await ingest(file, ...out('free-allowed'), '--config', config);
    expect(allowed.json()).toMatchObject({ valid: 2, rejected: 0 });
  });
});

describe('npm run ingest -- --help (every script answers it the same way)', () => {
  it('prints the usage on stdout and exits 0, doing nothing else', async () => {
    const run = await ingest('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run ingest/);
    expect(run.stderr).toBe('');
  });
});

describe('npm run ingest: wrong command lines (exit 2, usage on stderr, nothing on stdout)', () => {
  it.each([
    ['no file', []],
    ['a file that does not exist', ['no-such-export.json']],
    ['an unknown flag', [join(SAMPLES, 'shein_products.example.json'), '--frobnicate']],
    ['a bad --batch-size', [join(SAMPLES, 'shein_products.example.json'), '--batch-size', '0']],
    [
      'an --out that cannot be a folder',
      [join(SAMPLES, 'shein_products.example.json'), '--out', '/dev/null/x'],
    ],
  ])('%s', async (_, args) => {
    const run = await ingest(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: npm run ingest');
  });

  it('a transform configuration with a wrong key, named', async () => {
    const config = write('bad-config.json', JSON.stringify({ targetCurrencies: ['EUR'] }));
    const run = await ingest(join(SAMPLES, 'shein_products.example.json'), '--config', config);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no exchange rate for EUR');
    expect(existsSync(join(folder, 'ingest-out', 'shein_products.example'))).toBe(false);
  });
});
