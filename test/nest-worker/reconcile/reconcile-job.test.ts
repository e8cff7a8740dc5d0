import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { MedusaSimulator } from '../../../local/medusa-simulator';
import { toPimcoreFields } from '../../../nest-worker/src/pimcore';
import { canonicalProduct, useSimulator } from '../pimcore/fixtures';

/**
 * dist/reconcile.js as the nightly task runs it (nest-worker/src/reconcile/main.ts, a process of its
 * own): its last line is what the stack's metric filters and alarms read (`reconcile.finished` with
 * numeric counts), and its exit code what ECS reports.
 */
const ROOT = path.join(__dirname, '..', '..', '..');
const pimcore = useSimulator();
let medusa: MedusaSimulator;
beforeAll(async () => {
  medusa = await MedusaSimulator.start();
});
afterAll(() => medusa.stop());

interface JobRun {
  readonly code: number;
  readonly lines: Record<string, unknown>[];
  readonly stderr: string;
}

function runJob(env: Record<string, string>): Promise<JobRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'nest-worker/src/reconcile/main.ts'],
      // Only what is given: a developer's own PIMCORE_* must not leak in.
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          lines: stdout
            .split('\n')
            .filter((line) => line.startsWith('{'))
            .map((line) => JSON.parse(line) as Record<string, unknown>),
          stderr,
        }),
    );
  });
}

const jobEnv = (overrides: Record<string, string> = {}) => ({
  PIMCORE_BASE_URL: pimcore.simulator().url,
  PIMCORE_API_KEY: pimcore.simulator().apiKey,
  PIMCORE_DATAHUB_ENDPOINT: pimcore.simulator().endpoint,
  PIMCORE_LANGUAGES: 'en,ar',
  MEDUSA_BASE_URL: medusa.url,
  MEDUSA_SECRET_API_KEY: medusa.secretApiKey,
  MEDUSA_SALES_CHANNEL_ID: medusa.salesChannel.id,
  PRODUCTS_EVENT_BUS_NAME: 'products-dev',
  AWS_REGION: 'us-east-1',
  RECONCILE_FIX: 'false',
  ...overrides,
});

describe('the nightly reconciliation job', () => {
  it('ends with one reconcile.finished line holding the counts the drift alarm reads, exit 0', async () => {
    pimcore.simulator().seed(
      ['61', '62'].map((goodsId) => {
        const { fields } = toPimcoreFields(canonicalProduct(goodsId), ['en', 'ar']);
        return {
          key: `shein-${goodsId}`,
          parentPath: '/Products/Shein',
          published: true,
          values: { ...fields, description: { ...fields.description, ar: null } },
        };
      }),
    );
    const run = await runJob(jobEnv());
    expect(run.code).toBe(0);
    const drift = run.lines.filter((line) => line.event === 'reconcile.drift');
    expect(drift.map((line) => line.externalId).sort()).toEqual(['shein:61', 'shein:62']);
    const finished = run.lines.filter((line) => line.event === 'reconcile.finished');
    expect(finished).toEqual([
      expect.objectContaining({
        drift: 2,
        missing: 2,
        stale: 0,
        unpublished: 0,
        conflicts: 0,
        fixed: 0,
        failedRepairs: 0,
        pimcoreProducts: 2,
        medusaProducts: 0,
        durationMs: expect.any(Number),
      }),
    ]);
    expect(run.lines.at(-1)).toBe(finished[0]);
  }, 90_000);

  it('exits 1 with a reconcile.failed line naming the variable, never its value, when configured wrongly', async () => {
    const run = await runJob(jobEnv({ PIMCORE_BASE_URL: 'secret-host/pimcore', RECONCILE_FIX: 'yes' }));
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([expect.objectContaining({ event: 'reconcile.failed' })]);
    const { error } = run.lines[0] as { error: string };
    expect(error).toContain('- PIMCORE_BASE_URL: not a URL');
    expect(error).toContain('- RECONCILE_FIX: expected true or false');
    expect(JSON.stringify(run.lines)).not.toContain('secret-host');
  }, 90_000);

  it('exits 1 with a reconcile.failed line when a side cannot be read', async () => {
    const run = await runJob(jobEnv({ MEDUSA_BASE_URL: 'http://127.0.0.1:9', MEDUSA_TIMEOUT_MS: '1000' }));
    expect(run.code).toBe(1);
    expect(run.lines.filter((line) => line.event === 'reconcile.finished')).toEqual([]);
    expect(run.lines.at(-1)).toMatchObject({
      event: 'reconcile.failed',
      error: expect.stringContaining('Medusa'),
    });
  }, 90_000);
});
