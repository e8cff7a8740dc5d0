import { ROOT, runScript } from './run-script';

/**
 * `npm run probe` (scripts/probe.ts) through the real command, on a few kinds that the system handles
 * well, one per lane: an upload and two requests against the local stack it starts, and a worker
 * process with a bad environment. The whole probe (every kind, a few minutes) is not part of npm test.
 */
const KINDS = ['incoming/x.txt', 'forged signature', 'unknown detail-type', 'required variable missing'];

describe('npm run probe', () => {
  it('prints "kind | expected | seen | ok" for the kinds asked for, then the count as JSON; exit 0 when all are ok', async () => {
    const run = await runScript('probe', ['--only', KINDS.join(',')], ROOT);

    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^kind +\| expected +\| seen +\| ok$/);
    expect(lines[1]).toMatch(/^-+\|-+\|-+\|-+$/);
    const rows = lines.slice(2, -1);
    expect(rows.map((row) => row.split(' | ')[0]!.trim())).toEqual(KINDS);
    for (const row of rows) expect(row.split(' | ')).toHaveLength(4);
    expect({ json: run.json(), code: run.code, notOk: rows.filter((row) => !row.endsWith('| ok')) }).toEqual({
      json: { kinds: KINDS.length, ok: KINDS.length, failed: [] },
      code: 0,
      notOk: [],
    });
    // Progress and the stack's notes go to stderr, one line per kind's verdict among them.
    for (const kind of KINDS) expect(run.stderr).toContain(`${kind}: ok (`);
  }, 240_000);

  it('lists its kinds by boundary without running any', async () => {
    const run = await runScript('probe', ['--list', '--boundary', 'webhook,queue'], ROOT);

    expect(run.code).toBe(0);
    const boundaries = new Set(
      run.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/)[0]),
    );
    expect(boundaries).toEqual(new Set(['webhook', 'queue']));
    expect(run.stdout).toContain('forged signature');
    expect(run.stdout).not.toContain('gzip bomb');
  }, 60_000);

  it('refuses a boundary it does not know, naming the ones it does (exit 2)', async () => {
    const run = await runScript('probe', ['--boundary', 'network'], ROOT);

    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toContain(
      '--boundary must be among files, webhook, queue, configuration, process, not "network"',
    );
  }, 60_000);
});
