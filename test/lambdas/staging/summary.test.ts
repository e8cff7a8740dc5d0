import type { ValidateOutput } from '../../../contracts/workflow';
import type { MapRunTotals } from '../../../lambdas/staging/map-run-results';
import { summarizeIngestion } from '../../../lambdas/staging/summary';

const validation: ValidateOutput = {
  ingestionId: 'exec-1',
  source: { bucket: 'ingest', key: 'incoming/a.json', versionId: 'v1' },
  manifest: { bucket: 'ingest', key: 'staging/exec-1/batches.jsonl' },
  batches: 3,
  counts: { total: 9, valid: 7, rejected: 2 },
  reportKey: 'reports/exec-1/rejects.json',
};

const totals = (overrides: Partial<MapRunTotals>): MapRunTotals => ({
  results: 3,
  batches: { published: 0, failed: 0, rejected: 0 },
  failedBatches: [],
  ...overrides,
});

describe('summarizeIngestion', () => {
  it('adds up the batches and failed batches and accounts for every product exactly once', () => {
    const summary = summarizeIngestion(
      validation,
      totals({
        batches: { published: 3, failed: 1, rejected: 1 },
        failedBatches: [{ batchKey: 'staging/exec-1/batch-00003.json', count: 2, status: 'FAILED' }],
      }),
      'reports/exec-1/summary.json',
    );
    expect(summary).toEqual({
      ingestionId: 'exec-1',
      sourceBucket: 'ingest',
      sourceKey: 'incoming/a.json',
      counts: { total: 9, valid: 6, rejected: 3, published: 3, failed: 3 },
      reportKey: 'reports/exec-1/summary.json',
    });
    const { total, rejected, published, failed } = summary.counts;
    expect(rejected + published + failed).toBe(total);
  });

  it('refuses a Map Run whose results do not cover every batch', () => {
    expect(() => summarizeIngestion(validation, totals({ results: 2 }), 'r')).toThrow(
      'the Map Run reported 2 batch results; Validate staged 3 batches',
    );
  });
});
