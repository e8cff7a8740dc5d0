import { rmSync } from 'node:fs';
import { summarize, verdict, type SizeSummary } from '../../scripts/bench/bench-report';
import { runScript, temporaryFolder } from './run-script';

const size = (products: number, parseRatio: number, peakRssMb: number): SizeSummary => ({
  products,
  bytes: products * 20_000,
  productsPerSec: 1000,
  parseRatio,
  peakRssMb,
});

describe('bench report', () => {
  it('computes throughput and the ratio to the baseline measured on the same file', () => {
    const measured = summarize({
      bytes: 50_000_000,
      parse: { products: 2000, seconds: 4, peakRssMb: 150 },
      ingest: { products: 2000, seconds: 2, peakRssMb: 180.26 },
    });
    expect(measured).toEqual({
      products: 2000,
      bytes: 50_000_000,
      productsPerSec: 1000,
      parseRatio: 2,
      peakRssMb: 180.3,
    });
  });

  it('says whether the goal is met, judging RSS between the two largest sizes', () => {
    expect(verdict([size(1000, 2, 150), size(10_000, 3, 280), size(100_000, 3, 300)]).at(-1)).toBe(
      'GOAL MET',
    );
    const slow = verdict([size(1000, 0.4, 150), size(10_000, 3, 150)]);
    expect(slow[0]).toMatch(/^parseRatio ≥ 0.5 at every size: NOT MET \(lowest 0.40\)/);
    expect(slow.at(-1)).toBe('GOAL NOT MET');
    const growing = verdict([size(1000, 1, 150), size(10_000, 1, 200), size(100_000, 1, 800)]);
    expect(growing[1]).toMatch(/^peak RSS flat .*: NOT MET \(×4.00 while the file grows ×10.0/);
    expect(verdict([size(1000, 1, 150)])[1]).toContain('needs two sizes or more');
  });
});

describe('npm run bench:ingest', () => {
  const folder = temporaryFolder('bench-ingest-');
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('measures each size in fresh processes and ends with one JSON entry per size', async () => {
    const run = await runScript('bench-ingest', ['--sizes', '10,30', '--format', 'ndjson'], folder);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/GOAL (NOT )?MET/);
    const entries = run.json() as SizeSummary[];
    expect(entries.map((entry) => entry.products)).toEqual([10, 30]);
    for (const entry of entries) {
      expect(Object.keys(entry)).toEqual(['products', 'bytes', 'productsPerSec', 'parseRatio', 'peakRssMb']);
      expect(entry.parseRatio).toBeGreaterThan(0);
      expect(entry.peakRssMb).toBeGreaterThan(10);
    }
  });

  it('refuses bad sizes (exit 2)', async () => {
    const run = await runScript('bench-ingest', ['--sizes', '10,lots'], folder);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: npm run bench:ingest');
  });
});
