import { mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { oneOf, parseCommandLine, runCommand, UsageError, wholeNumber } from './cli/command-line';
import { userPath } from './cli/user-path';
import { generateProducts, SHAPES } from './generate/generate-products';
import { FILE_FORMATS, writeJsonItems } from './generate/write-json-items';

const USAGE = `Usage: npm run gen:products -- --count N --out <file> [options]

Writes N realistic Shein products (app product-detail responses and/or flat listing items) to a file,
streaming, so any count fits in constant memory. The same options and seed give the same bytes.

  --count N              number of products (required)
  --out <file>           where to write (required)
  --shape S              app | listing | mixed (default mixed: each model in one shape, half each)
  --invalid-ratio R      share of invalid products, 0 to 1 (default 0); they cycle through missing_id,
                         missing_price, negative_price, invalid_image_url, unknown_shape,
                         duplicate_goods_id, invalid_id, missing_title, invalid_price,
                         unknown_currency, upstream_error, invalid_field
  --format F             array | ndjson (default: ndjson for .ndjson/.jsonl files, else array)
  --seed N               random seed (default 42)
  --help                 this text`;

function invalidRatioFrom(text: string | undefined): number {
  if (text === undefined) return 0;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`--invalid-ratio must be a number from 0 to 1, not "${text}"`);
  }
  return value;
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    {
      count: { type: 'string' },
      out: { type: 'string' },
      shape: { type: 'string' },
      'invalid-ratio': { type: 'string' },
      format: { type: 'string' },
      seed: { type: 'string' },
    },
    { min: 0, max: 0 },
  );
  if (values.count === undefined) throw new UsageError('--count is required');
  if (values.out === undefined) throw new UsageError('--out is required');
  const out = userPath(values.out);
  const defaultFormat = ['.ndjson', '.jsonl'].includes(extname(out).toLowerCase()) ? 'ndjson' : 'array';
  const options = {
    count: wholeNumber(values.count, 'count', 0, 0),
    shape: oneOf(values.shape, 'shape', SHAPES, 'mixed'),
    invalidRatio: invalidRatioFrom(values['invalid-ratio']),
    seed: wholeNumber(values.seed, 'seed', 42, 0),
  };
  const format = oneOf(values.format, 'format', FILE_FORMATS, defaultFormat);
  await mkdir(dirname(out), { recursive: true });
  const started = performance.now();
  const { count, bytes } = await writeJsonItems(generateProducts(options), out, format);
  const seconds = (performance.now() - started) / 1000;
  console.error(
    `wrote ${count} products (${(bytes / 1e6).toFixed(1)} MB, ${format}, shape ${options.shape}) ` +
      `to ${out} in ${seconds.toFixed(1)} s`,
  );
  const { shape, invalidRatio, seed } = options;
  console.log(JSON.stringify({ file: out, products: count, bytes, format, shape, invalidRatio, seed }));
  return 0;
}

runCommand(USAGE, main);
