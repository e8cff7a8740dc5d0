import { ROOT, runScript } from '../run-script';

describe('npm run cost', () => {
  it('prices 1,000 products from the synthesized template and measurements, with a JSON last line', async () => {
    const run = await runScript('cost', ['--products', '1000', '--json'], ROOT);
    expect(run.stderr).not.toMatch(/Error:/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/AWS prices of us-east-1, as of \d{4}-\d{2}-\d{2}/);
    expect(run.stdout).toMatch(/Ingestion to Pimcore: \$[\d.]+ per million products/);
    expect(run.stdout).toMatch(/Medusa relay: \$[\d.]+ per million products/);
    const report = run.json() as {
      products: number;
      perMillion: number;
      region: string;
      pricesAsOf: string;
      fixedMonthly: number;
      lines: unknown[];
    };
    expect(report).toMatchObject({ products: 1000, region: 'us-east-1', goalPerMillion: 3 });
    expect(report.perMillion).toBeGreaterThan(0);
    expect(report.fixedMonthly).toBeGreaterThan(0);
  }, 180_000);

  it('needs --products', async () => {
    const run = await runScript('cost', [], ROOT);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--products is required/);
  });
});
