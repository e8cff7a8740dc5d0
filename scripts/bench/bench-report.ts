import type { Measurement } from './measurement';

/** One size of the benchmark: the same file parsed by the baseline and run through the pipeline. */
export interface SizeResult {
  readonly bytes: number;
  readonly parse: Measurement;
  readonly ingest: Measurement;
}

/** The entry of the last stdout line for one size. */
export interface SizeSummary {
  readonly products: number;
  readonly bytes: number;
  readonly productsPerSec: number;
  /** Pipeline throughput ÷ baseline parse throughput, on the same file in the same run. */
  readonly parseRatio: number;
  /** Of the pipeline run. */
  readonly peakRssMb: number;
}

export const RATIO_GOAL = 0.5;
/**
 * Peak RSS counts as flat when it grows less than this factor from the second-largest size to the
 * largest (a file several times larger). The smallest runs last about a second and end before V8 has
 * grown its heap to its steady size, so growth from them says little; it is printed all the same.
 */
export const RSS_FLAT_FACTOR = 1.25;

const round = (value: number, digits: number) => Number(value.toFixed(digits));

export function summarize({ bytes, parse, ingest }: SizeResult): SizeSummary {
  return {
    products: ingest.products,
    bytes,
    productsPerSec: Math.round(ingest.products / ingest.seconds),
    parseRatio: round(parse.seconds / ingest.seconds, 2),
    peakRssMb: round(ingest.peakRssMb, 1),
  };
}

const COLUMNS = [
  'products',
  'MB',
  'products/s',
  'MB/s',
  'parse MB/s',
  'parseRatio',
  'peak RSS MB',
  'parse RSS MB',
];
const WIDTH = 13;

export function tableHeader(): string {
  return COLUMNS.map((column) => column.padStart(WIDTH)).join('');
}

export function tableRow(result: SizeResult): string {
  const megabytes = result.bytes / 1e6;
  const summary = summarize(result);
  return [
    summary.products,
    megabytes.toFixed(1),
    summary.productsPerSec,
    (megabytes / result.ingest.seconds).toFixed(1),
    (megabytes / result.parse.seconds).toFixed(1),
    summary.parseRatio.toFixed(2),
    summary.peakRssMb.toFixed(0),
    result.parse.peakRssMb.toFixed(0),
  ]
    .map((cell) => String(cell).padStart(WIDTH))
    .join('');
}

const growth = (values: readonly number[]) => (values.at(-1) ?? 0) / (values[0] ?? 1);

function rssVerdict(summaries: readonly SizeSummary[]): { met: boolean; line: string } {
  const bySize = [...summaries].sort((a, b) => a.bytes - b.bytes);
  if (bySize.length < 2) return { met: true, line: 'peak RSS flat: needs two sizes or more to judge' };
  const lastTwo = bySize.slice(-2);
  const rssGrowth = growth(lastTwo.map((s) => s.peakRssMb));
  const met = rssGrowth <= RSS_FLAT_FACTOR;
  return {
    met,
    line:
      `peak RSS flat (×${RSS_FLAT_FACTOR} at most from ${lastTwo[0]?.products} to ${lastTwo[1]?.products} ` +
      `products): ${met ? 'MET' : 'NOT MET'} (×${rssGrowth.toFixed(2)} while the file grows ` +
      `×${growth(lastTwo.map((s) => s.bytes)).toFixed(1)}; from the smallest size: ` +
      `×${growth(bySize.map((s) => s.peakRssMb)).toFixed(2)} while the file grows ` +
      `×${growth(bySize.map((s) => s.bytes)).toFixed(0)})`,
  };
}

/** Says plainly whether the goal is met; never fails the process. */
export function verdict(summaries: readonly SizeSummary[]): string[] {
  const ratios = summaries.map((s) => s.parseRatio);
  const ratioMet = ratios.every((ratio) => ratio >= RATIO_GOAL);
  const rss = rssVerdict(summaries);
  return [
    `parseRatio ≥ ${RATIO_GOAL} at every size: ${ratioMet ? 'MET' : 'NOT MET'} (lowest ${Math.min(...ratios).toFixed(2)})`,
    rss.line,
    `GOAL ${ratioMet && rss.met ? 'MET' : 'NOT MET'}`,
  ];
}
