import type { ValidateOutput } from '../../../contracts/workflow';
import { summarizeIngestion } from '../../../lambdas/staging/summary';

const validation: ValidateOutput = {
  ingestionId: 'exec-1',
  source: { bucket: 'ingest', key: 'incoming/a.json', versionId: 'v1' },
  batches: [
    { key: 'staging/exec-1/batch-00001.json', count: 3 },
    { key: 'staging/exec-1/batch-00002.json', count: 2 },
  ],
  counts: { total: 7, valid: 5, rejected: 2 },
  reportKey: 'reports/exec-1/rejects.json',
};

describe('summarizeIngestion', () => {
  it('adds up the batches and accounts for every product exactly once', () => {
    const summary = summarizeIngestion(
      validation,
      [
        { published: 2, failed: 0, rejected: 1 },
        { published: 1, failed: 1, rejected: 0 },
      ],
      'reports/exec-1/summary.json',
    );
    expect(summary).toEqual({
      ingestionId: 'exec-1',
      sourceBucket: 'ingest',
      sourceKey: 'incoming/a.json',
      counts: { total: 7, valid: 4, rejected: 3, published: 3, failed: 1 },
      reportKey: 'reports/exec-1/summary.json',
    });
    const { total, rejected, published, failed } = summary.counts;
    expect(rejected + published + failed).toBe(total);
  });

  it('reports zero published for an ingestion with no batch results', () => {
    const summary = summarizeIngestion({ ...validation, batches: [] }, [], 'r');
    expect(summary.counts).toMatchObject({ published: 0, failed: 0, valid: 5 });
  });
});
