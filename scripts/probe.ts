import { parseCommandLine, runCommand, UsageError } from './cli/command-line';
import { CONFIGURATION_KINDS } from './probe/configuration';
import { FILE_KINDS } from './probe/files';
import { BOUNDARIES, type Boundary, type Kind } from './probe/kind';
import { PROCESS_FAULT_KINDS } from './probe/process-faults';
import { QUEUE_KINDS } from './probe/queue';
import { runProbe } from './probe/run-probe';
import { probeTable } from './probe/table';
import { WEBHOOK_KINDS } from './probe/webhook';

const USAGE = `Usage: npm run probe [-- --only <text,...>] [--boundary <boundary,...>] [--list]

The hostile-input probe (issue 15): tries every kind of bad input and fault at each boundary of the
system (files uploaded to the ingest bucket, the Pimcore webhook, messages on the product-ingest
queue, the worker's configuration, process faults) and says for each what the system must do and
what it did. When a chosen kind needs it, it starts one local stack as npm run local does: the dev
template (with an upload limit of 8 MiB, so the size kinds stay small), the simulators and a
redis-server of its own, which a kind restarts. The caller's REDIS_URL, PIMCORE_* and MEDUSA_* are not
read; the stack is given a PIMCORE_WEBHOOK_SECRETS without PIMCORE_BASE_URL, which its start must name
as ignored. Kinds of the worker's configuration and process faults start processes of their own.

Progress goes to stderr; the table "kind | expected | seen | ok" to stdout, then as the last line
{"kinds":N,"ok":K,"failed":[names]}. Exit code 0 only when every kind is ok, 1 otherwise (the stack's
logs are then kept, their folder named on stderr). The whole probe takes about two minutes.

  --only <text,...>        only the kinds whose name contains one of these texts (any letter case)
  --boundary <boundary,...>
                           only the kinds of these boundaries: ${BOUNDARIES.join(', ')}
  --list                   list the kinds (boundary, name, expected) and exit without running any
  --help                   this text`;

/** Every kind, in the order of the table. */
const ALL_KINDS: readonly Kind[] = [
  ...FILE_KINDS,
  ...WEBHOOK_KINDS,
  ...QUEUE_KINDS,
  ...CONFIGURATION_KINDS,
  ...PROCESS_FAULT_KINDS,
];
if (new Set(ALL_KINDS.map((kind) => kind.name)).size !== ALL_KINDS.length) {
  throw new Error('two kinds of the probe have the same name');
}

function list(text: string | undefined): string[] | undefined {
  return text
    ?.split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function chosenKinds(only: string | undefined, boundary: string | undefined): Kind[] {
  const boundaries = list(boundary);
  for (const name of boundaries ?? []) {
    if (!BOUNDARIES.includes(name as Boundary)) {
      throw new UsageError(`--boundary must be among ${BOUNDARIES.join(', ')}, not "${name}"`);
    }
  }
  const texts = list(only)?.map((text) => text.toLowerCase());
  const kinds = ALL_KINDS.filter(
    (kind) =>
      (boundaries === undefined || boundaries.includes(kind.boundary)) &&
      (texts === undefined || texts.some((text) => kind.name.toLowerCase().includes(text))),
  );
  if (kinds.length === 0) throw new UsageError('no kind matches --only / --boundary (see --list)');
  return kinds;
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    { only: { type: 'string' }, boundary: { type: 'string' }, list: { type: 'boolean' } },
    { min: 0, max: 0 },
  );
  const kinds = chosenKinds(values.only, values.boundary);
  if (values.list === true) {
    console.log(
      kinds.map((kind) => `${kind.boundary.padEnd(13)} ${kind.name.padEnd(40)} ${kind.expected}`).join('\n'),
    );
    return 0;
  }
  const startedAt = Date.now();
  const results = await runProbe(kinds, (line) => console.error(line));
  const failed = results.filter((result) => !result.ok);
  console.error(`probe: ${results.length} kinds in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  for (const result of failed) console.error(`NOT OK ${result.kind.name}: ${result.seen}`);
  console.log(
    probeTable(
      results.map((result) => ({ ...result, kind: result.kind.name, expected: result.kind.expected })),
    ),
  );
  console.log(
    JSON.stringify({
      kinds: results.length,
      ok: results.length - failed.length,
      failed: failed.map((result) => result.kind.name),
    }),
  );
  return failed.length === 0 ? 0 : 1;
}

runCommand(USAGE, main);
