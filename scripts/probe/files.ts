import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { JsonObject } from '../generate/json';
import { makeInvalid } from '../generate/invalid-items';
import { sarPrice } from '../generate/shein-price';
import { describedExit, runToExit, TSX } from './child-run';
import { judged, oneLine, STACK_OR_PATH, type Kind, type ProbeContext, type Seen } from './kind';
import { arrayExport, listingItems, productWithVariants } from './exports';
import { PROBE_MAX_OBJECT_BYTES, type ProbedIngestion } from './probe-stack';

/**
 * Uploads under incoming/ of the stack's bucket, each followed to its outcome: the execution's status
 * and error, the IngestionCompleted / Failed / Skipped event it put on the bus, the rejects and the
 * canonical products it published, and reports/<id>/failure.json (docs/ingestion.md).
 */

type Outcome = ProbedIngestion['outcome'];

/** The error message of a failed execution's cause: the Lambda's `{errorType, errorMessage, trace}`. */
function messageOf(cause: string | undefined): string {
  try {
    return String((JSON.parse(cause ?? '') as { errorMessage?: unknown }).errorMessage ?? cause);
  } catch {
    return cause ?? '';
  }
}

/** The outcome in a few words: `FAILED NotJson: …`, `skipped: …` or `SUCCEEDED: 2 valid; rejected 1 negative_price`. */
function described({ outcome }: ProbedIngestion): string {
  if (outcome.status !== 'SUCCEEDED')
    return `${outcome.status} ${outcome.error ?? ''}: ${messageOf(outcome.cause)}`;
  if (outcome.skipped !== undefined) return `skipped: ${outcome.skipped}`;
  const rejects = outcome.rejects.map((reject) => `${reject.index} ${reject.reason}`).join(', ');
  return `SUCCEEDED: ${outcome.products.length} valid; rejected ${rejects || 'none'}`;
}

const failedWith = (outcome: Outcome, error: string) =>
  outcome.status === 'FAILED' && outcome.error === error;

/** Ingested, with exactly these rejects (index → reason) and `valid` products published. */
function ingestedWith(outcome: Outcome, valid: number, rejects: Readonly<Record<number, string>>): boolean {
  const seen = Object.fromEntries(outcome.rejects.map((reject) => [reject.index, reject.reason]));
  return (
    outcome.status === 'SUCCEEDED' &&
    outcome.skipped === undefined &&
    outcome.products.length === valid &&
    JSON.stringify(seen) === JSON.stringify(rejects)
  );
}

function fileKind(name: string, expected: string, run: (context: ProbeContext) => Promise<Seen>): Kind {
  return { name, boundary: 'files', expected, lane: 'stack', run };
}

/** A kind that uploads one file and judges its ingestion. */
function uploadKind(
  name: string,
  expected: string,
  upload: { readonly key: string; readonly body: () => Buffer | string },
  judge: (ingestion: ProbedIngestion) => boolean | Seen,
): Kind {
  return fileKind(name, expected, async (context) => {
    const ingestion = await context.stack().ingest(upload.key, upload.body());
    const verdict = judge(ingestion);
    return typeof verdict === 'boolean' ? judged(described(ingestion), verdict) : verdict;
  });
}

/** An upload the ingestion must fail as a whole with `error` (docs/ingestion.md, "Fatal errors"). */
function failedKind(name: string, error: string, key: string, body: () => Buffer | string, note = ''): Kind {
  return uploadKind(name, `FAILED ${error}${note}`, { key, body }, ({ outcome }) =>
    failedWith(outcome, error),
  );
}

/** A listing item's goods_name with `bytes` put before its text, in an export's raw bytes. */
function withBytesInName(items: readonly JsonObject[], index: number, bytes: Buffer): Buffer {
  const text = arrayExport(items);
  const name = `"goods_name":${JSON.stringify(items[index]!.goods_name)}`;
  const at = text.indexOf(name) + '"goods_name":"'.length;
  return Buffer.concat([Buffer.from(text.slice(0, at)), bytes, Buffer.from(text.slice(at))]);
}

const REPLACEMENT_CHARACTER = '\uFFFD';

/** Two complete products, then a third cut off in its middle. */
function cutAfterTwo(seed: number): string {
  const [first, second, third] = listingItems(seed, 3).map((item) => JSON.stringify(item));
  return `[\n${first},\n${second},\n${third!.slice(0, 60)}`;
}

/** What `npm run ingest` said of a file: its exit, its JSON summary (last stdout line) and rejects. */
interface CliCheck {
  readonly exit: string;
  readonly summary: { total?: number; valid?: number; error?: { name?: string } } | undefined;
  readonly rejects: readonly { index: number; reason: string }[];
}

/**
 * `npm run ingest` on a file (the offline check an operator runs before uploading): it must judge the
 * file as the pipeline does.
 */
function cliKind(
  name: string,
  expected: string,
  body: () => Buffer | string,
  judge: (check: CliCheck) => boolean,
): Kind {
  return {
    name,
    boundary: 'files',
    expected,
    lane: 'process',
    run: async (context) => {
      const file = path.join(context.workDir, 'export.json');
      const out = path.join(context.workDir, 'out');
      writeFileSync(file, body());
      const run = await runToExit(TSX, [path.join('scripts', 'ingest.ts'), file, '--out', out], {
        logFile: path.join(context.workDir, 'ingest.log'),
        timeoutMs: 90_000,
      });
      const line = run.output.split('\n').find((candidate) => candidate.startsWith('{"file"'));
      const check: CliCheck = {
        exit: describedExit(run),
        summary: line === undefined ? undefined : (JSON.parse(line) as CliCheck['summary']),
        rejects: (() => {
          try {
            return JSON.parse(readFileSync(path.join(out, 'rejects.json'), 'utf8')) as CliCheck['rejects'];
          } catch {
            return [];
          }
        })(),
      };
      const { total, valid, error } = check.summary ?? {};
      const rejects = check.rejects.map((reject) => `${reject.index} ${reject.reason}`).join(', ') || 'none';
      return judged(
        `${check.exit}; total ${total}, valid ${valid}, rejected ${rejects}${error?.name ? `; error ${error.name}` : ''}` +
          (check.summary === undefined ? `: ${oneLine(run.output, 200)}` : ''),
        judge(check),
      );
    },
  };
}

export const FILE_KINDS: readonly Kind[] = [
  failedKind('empty file', 'EmptyFile', 'incoming/probe-empty.json', () => ''),
  failedKind('JSON scalar', 'NotArrayOrNdjson', 'incoming/probe-scalar.json', () => '42\n'),
  failedKind(
    'truncated JSON',
    'NotJson',
    'incoming/probe-truncated.json',
    () => '[{"goods_id": 1, "goods_na',
  ),
  uploadKind(
    'deeply nested JSON',
    'rejected item_too_deep; the other product published',
    {
      key: 'incoming/probe-deep.json',
      body: () => arrayExport([...listingItems(1501, 1), `${'['.repeat(100_000)}${']'.repeat(100_000)}`]),
    },
    ({ outcome }) => ingestedWith(outcome, 1, { 1: 'item_too_deep' }),
  ),
  failedKind(
    'over the size limit',
    'ObjectTooLarge',
    'incoming/probe-too-large.json',
    () => `${arrayExport(listingItems(1502, 1))}${' '.repeat(PROBE_MAX_OBJECT_BYTES)}`,
    ` (limit ${PROBE_MAX_OBJECT_BYTES} bytes)`,
  ),
  uploadKind(
    '__proto__ keys',
    'product published without them; no prototype polluted',
    {
      key: 'incoming/probe-proto.json',
      body: () =>
        arrayExport(listingItems(1503, 1)).replace(
          '{"goods_id"',
          '{"__proto__":{"probePolluted":"yes"},"constructor":{"prototype":{"probePolluted":"yes"}},"goods_id"',
        ),
    },
    (ingestion) => {
      const { products } = ingestion.outcome;
      const polluted = ({} as Record<string, unknown>).probePolluted !== undefined;
      const carried = JSON.stringify(products).includes('probePolluted');
      return judged(
        `${described(ingestion)}; key carried into the product: ${carried}; Object.prototype polluted: ${polluted}`,
        ingestedWith(ingestion.outcome, 1, {}),
        !carried,
        !polluted,
      );
    },
  ),
  uploadKind(
    'bad prices',
    'rejected negative_price, invalid_price (12.3.4), invalid_price (abc); the valid one published',
    {
      key: 'incoming/probe-bad-prices.json',
      body: () => {
        const [valid, negative, malformed, word] = listingItems(1504, 4);
        (word!.salePrice as JsonObject).amount = 'abc';
        return arrayExport([
          valid!,
          makeInvalid(negative!, 'negative_price', ''),
          makeInvalid(malformed!, 'invalid_price', ''),
          word!,
        ]);
      },
    },
    ({ outcome }) =>
      ingestedWith(outcome, 1, { 1: 'negative_price', 2: 'invalid_price', 3: 'invalid_price' }),
  ),
  uploadKind(
    'duplicate products',
    'the second copy rejected duplicate_goods_id',
    {
      key: 'incoming/probe-duplicates.json',
      body: () => {
        const [first, second] = listingItems(1505, 2);
        return arrayExport([
          first!,
          second!,
          { ...first!, goods_name: `${String(first!.goods_name)} (copy)` },
        ]);
      },
    },
    ({ outcome }) => ingestedWith(outcome, 2, { 2: 'duplicate_goods_id' }),
  ),
  fileKind(
    'invalid UTF-8 in a name',
    'rejected invalid_utf8 (or FAILED InvalidUtf8); never U+FFFD in a published product or in Pimcore',
    async (context) => {
      const stack = context.stack();
      const bytes = withBytesInName(listingItems(1506, 2), 1, Buffer.from([0xff, 0xfe, 0xc3, 0x28]));
      const ingestion = await stack.ingest('incoming/probe-utf8.json', bytes);
      const { products } = ingestion.outcome;
      // The valid one is let through to Pimcore; then Pimcore's objects are searched for a replaced byte.
      await stack.waitFor(products, (now) => now.inPimcore === products.length, 30_000);
      const published = JSON.stringify(products).includes(REPLACEMENT_CHARACTER);
      const inPimcore = JSON.stringify(stack.pipeline.pimcore.simulator?.objects() ?? []).includes(
        REPLACEMENT_CHARACTER,
      );
      return judged(
        `${described(ingestion)}; U+FFFD published: ${published}, in Pimcore: ${inPimcore}`,
        ingestedWith(ingestion.outcome, 1, { 1: 'invalid_utf8' }) ||
          failedWith(ingestion.outcome, 'InvalidUtf8'),
        !published,
        !inPimcore,
      );
    },
  ),
  uploadKind(
    '5,000 variants',
    'rejected product_too_large at validation; the ingestion succeeds',
    {
      key: 'incoming/probe-variants.json',
      body: () => arrayExport([...listingItems(1507, 1), productWithVariants(1508, 5000)]),
    },
    ({ outcome }) => ingestedWith(outcome, 1, { 1: 'product_too_large' }),
  ),
  uploadKind(
    'incoming/x.txt',
    'SUCCEEDED, IngestionSkipped naming why; nothing published',
    { key: 'incoming/x.txt', body: () => arrayExport(listingItems(1509, 1)) },
    (ingestion) => {
      const skipped = ingestion.events.filter((event) => event.detailType === 'IngestionSkipped');
      const reason = String(skipped[0]?.detail.reason ?? '');
      return judged(
        `${ingestion.outcome.status}; ${skipped.length} IngestionSkipped: "${reason}"; ${ingestion.outcome.products.length} published`,
        ingestion.outcome.status === 'SUCCEEDED',
        skipped.length === 1,
        /\.txt/.test(reason),
        ingestion.outcome.products.length === 0,
      );
    },
  ),
  completedKind('incoming/x.json.gz', 'gzip accepted', 'incoming/x.json.gz', 1510, (json) => gzipSync(json)),
  completedKind('incoming/X.JSON', 'upper case accepted', 'incoming/X.JSON', 1511, (json) => json),
  failedKind('gzip bomb', 'DecompressedTooLarge', 'incoming/probe-bomb.json.gz', () =>
    gzipSync(Buffer.concat([Buffer.from('['), Buffer.alloc(4 * PROBE_MAX_OBJECT_BYTES, 0x20)])),
  ),
  uploadKind(
    'gzip named .json',
    'read as gzip (both products published), or FAILED naming gzip',
    { key: 'incoming/probe-gzip-named.json', body: () => gzipSync(arrayExport(listingItems(1512, 2))) },
    ({ outcome }) =>
      ingestedWith(outcome, 2, {}) || (outcome.status === 'FAILED' && /gzip/i.test(messageOf(outcome.cause))),
  ),
  uploadKind(
    'cut after two products',
    'FAILED NotJson; the failure says the 2 complete products were read',
    {
      key: 'incoming/probe-cut.json',
      body: () => cutAfterTwo(1513),
    },
    (ingestion) => {
      const told = [messageOf(ingestion.outcome.cause), JSON.stringify(ingestion.failureReport ?? {})].join(
        ' ',
      );
      return judged(
        `${described(ingestion)}; failure.json: ${JSON.stringify(ingestion.failureReport ?? null)}`,
        failedWith(ingestion.outcome, 'NotJson'),
        /\b2 (complete |valid )?products?\b|\b(read|total|valid)\W{1,3}2\b/i.test(told),
      );
    },
  ),
  uploadKind(
    'price of 0',
    'rejected zero_price',
    {
      key: 'incoming/probe-zero-price.json',
      body: () => {
        const [valid, free] = listingItems(1514, 2);
        return arrayExport([valid!, { ...free!, salePrice: sarPrice(0) }]);
      },
    },
    ({ outcome }) => ingestedWith(outcome, 1, { 1: 'zero_price' }),
  ),
  uploadKind(
    'failure without stack',
    "IngestionFailed's cause has no stack trace or path; failure.json holds the error",
    { key: 'incoming/probe-broken.json', body: () => '[{"goods_id": 1},' },
    (ingestion) => {
      const [failed] = ingestion.events.filter((event) => event.detailType === 'IngestionFailed');
      const cause = String(failed?.detail.cause ?? '');
      const report = ingestion.failureReport;
      return judged(
        `IngestionFailed ${failed ? `cause ${cause}` : 'not seen'}; failure.json ${JSON.stringify(report ?? null)}`,
        failed !== undefined,
        !STACK_OR_PATH.test(cause),
        report?.error === 'NotJson',
        report !== undefined && report.cause !== '' && cause.includes(report.cause),
      );
    },
  ),
  failedKind('corrupt gzip', 'CorruptGzip', 'incoming/probe-corrupt.json.gz', () =>
    gzipSync(arrayExport(listingItems(1515, 2))).subarray(0, 40),
  ),
  failedKind('UTF-16 export', 'InvalidUtf8', 'incoming/probe-utf16.json', () =>
    Buffer.from(`\uFEFF${arrayExport(listingItems(1516, 1))}`, 'utf16le'),
  ),
  uploadKind(
    'NDJSON with a broken line',
    'FAILED NotJson naming line 2',
    {
      key: 'incoming/probe-broken-line.ndjson',
      body: () => {
        const [first, third] = listingItems(1521, 2).map((item) => JSON.stringify(item));
        return `${first}\n{"goods_id": 1, "goods_name": \n${third}\n`;
      },
    },
    ({ outcome }) => failedWith(outcome, 'NotJson') && /\bline 2\b/.test(messageOf(outcome.cause)),
  ),
  uploadKind(
    'javascript: image URL',
    'rejected invalid_image_url',
    {
      key: 'incoming/probe-image-url.json',
      body: () => {
        const [valid, hostile] = listingItems(1517, 2);
        return arrayExport([valid!, makeInvalid(hostile!, 'invalid_image_url', '')]);
      },
    },
    ({ outcome }) => ingestedWith(outcome, 1, { 1: 'invalid_image_url' }),
  ),
  cliKind(
    'ingest CLI: 5,000 variants, invalid UTF-8',
    'exit 0; rejects product_too_large and invalid_utf8 as the pipeline does',
    () =>
      Buffer.concat([
        withBytesInName(listingItems(1519, 2), 1, Buffer.from([0xff, 0xfe, 0xc3, 0x28])).subarray(0, -3),
        Buffer.from(`,\n${JSON.stringify(productWithVariants(1508, 5000))}\n]\n`),
      ]),
    ({ exit, summary, rejects }) =>
      exit === 'exit 0' &&
      summary?.valid === 1 &&
      JSON.stringify(rejects.map((reject) => [reject.index, reject.reason])) ===
        JSON.stringify([
          [1, 'invalid_utf8'],
          [2, 'product_too_large'],
        ]),
  ),
  cliKind(
    'ingest CLI: cut after two products',
    'exit 1, NotJson, total 2 read before the error',
    () => cutAfterTwo(1520),
    ({ exit, summary }) => exit === 'exit 1' && summary?.error?.name === 'NotJson' && summary.total === 2,
  ),
  fileKind('valid file (control)', 'all 5 products in Medusa exactly once', async (context) => {
    const stack = context.stack();
    const ingestion = await stack.ingest('incoming/probe-control.json', arrayExport(listingItems(1518, 5)));
    const { products } = ingestion.outcome;
    const state = await stack.waitFor(products, (now) => now.inMedusa === products.length, 60_000);
    return judged(
      `${described(ingestion)}; in Pimcore ${state.inPimcore}, in Medusa ${state.inMedusa}, duplicated ${state.duplicated.length}`,
      ingestedWith(ingestion.outcome, 5, {}),
      state.inMedusa === 5,
      state.duplicated.length === 0,
    );
  }),
];

/** An upload the workflow must read whole: IngestionCompleted with both products published. */
function completedKind(
  name: string,
  what: string,
  key: string,
  seed: number,
  encode: (json: string) => Buffer | string,
): Kind {
  return uploadKind(
    name,
    `${what}: IngestionCompleted, 2 published`,
    { key, body: () => encode(arrayExport(listingItems(seed, 2))) },
    (ingestion) => {
      const completed = ingestion.events.filter((event) => event.detailType === 'IngestionCompleted');
      const counts = JSON.stringify(completed[0]?.detail.counts ?? null);
      return judged(
        `${described(ingestion)}; ${completed.length} IngestionCompleted ${counts}`,
        ingestedWith(ingestion.outcome, 2, {}),
        completed.length === 1,
        (completed[0]?.detail.counts as { published?: number } | undefined)?.published === 2,
      );
    },
  );
}
