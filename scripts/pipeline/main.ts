import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT_USAGE, UsageError } from '../cli/command-line';
import { EXIT_PROBLEM, writeJson, type CliIo } from './cli-io';
import { dlqList, dlqRedrive, dlqShow } from './dlq/dlq-command';
import { parseFilter } from './dlq/message-filter';
import { TRIGGER_DLQ } from './dlq/redrive-selected';
import { reconcileCommand } from './reconcile/reconcile-command';
import { REPLAY_HELP, replayCommand } from './replay/replay-command';
import { parseReplayTime } from './replay/replay-time';
import { externalIdOf } from './trace/product-key';
import { traceCommand } from './trace/trace-command';
import { statusCommand } from './status/status-command';
import { downstreamEnvironment } from './target/downstream-environment';
import { deadLetterQueueNamed, DEAD_LETTER_QUEUE_NAMES } from './target/queue-catalog';
import { connect } from './target/resolve-target';
import type { AwsClients } from './target/aws-clients';
import type { PipelineTarget } from './target/pipeline-target';

interface GlobalOptions {
  readonly stage: string;
  readonly envFile?: string;
  readonly json: boolean;
}

const TARGET_HELP = `
Where it points: the deployed stack ProductPipeline-<stage> (its outputs, through DescribeStacks; region and
credentials from the AWS SDK's standard chain), or with --env-file the local stack's KEY=value file
(npm run local writes .local-run/stack.env; npm run local:aws -- --write-env <file>).

Exit codes: 0 ok, 1 a problem found or an operation failed, 2 a command line it cannot run.
`;

const DLQ_HELP = `
Dead-letter queues (short names; the SQS names with the stage, e.g. product-ingest-dev-dlq, work too):
${DEAD_LETTER_QUEUE_NAMES.map((name) => `  ${name}`).join('\n')}

list and show do not take messages away: SQS has no peek, so they receive with a short visibility and
make each message visible again at once (each gets one more receive).`;

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return value;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `npx pipeline <command>`: the operator's view of one pipeline (issue 17). Returns the exit code and
 * writes only to `io`, so tests run it in-process.
 */
export async function runPipelineCli(args: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const withTarget =
    (
      command: Command,
      work: (target: PipelineTarget, clients: AwsClients, global: GlobalOptions) => Promise<number>,
    ) =>
    async () => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const { target, clients } = await connect(global);
      try {
        exitCode = await work(target, clients, global);
      } finally {
        clients.destroy();
      }
    };

  const program = new Command('pipeline')
    .description(
      'Operate the product pipeline: ingestions, queues, dead-letter queues, replays, reconciliation.',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .configureHelp({ showGlobalOptions: true })
    .addOption(
      new Option('--stage <stage>', 'the deployed stack ProductPipeline-<stage>')
        .choices(['dev', 'prod'])
        .default('dev'),
    )
    .option('--env-file <file>', 'the local stack instead: its KEY=value environment file')
    .option('--json', 'print one JSON document on stdout, and nothing else there', false)
    .addHelpText('after', TARGET_HELP)
    .showHelpAfterError();

  const status = program
    .command('status')
    .description(
      "recent ingestions with their counts, the work queues' depths, every DLQ's depth; with an id, that ingestion in detail",
    )
    .argument('[ingestionId]', 'one ingestion (the execution name): its report keys and failure')
    .option('--limit <n>', 'how many recent ingestions', positiveInteger, 5)
    .option('--worker-url <url>', "also ask this worker process's /ready (e.g. http://127.0.0.1:8080)")
    .addHelpText(
      'after',
      '\nExit 1 when a DLQ holds messages, the (latest) ingestion failed, or the worker is not ready.',
    );
  status.action(async (ingestionId: string | undefined) => {
    await withTarget(status, (target, clients, global) => {
      const options = status.opts<{ limit: number; workerUrl?: string }>();
      return statusCommand(io, target, clients, { ...options, ingestionId, json: global.json });
    })();
  });

  const dlq = program
    .command('dlq')
    .description('dead-letter queues: list, show, redrive')
    .addHelpText('after', DLQ_HELP);
  const list = dlq
    .command('list')
    .description("a DLQ's messages with their reason and age, left in the queue")
    .argument('<queue>', 'a dead-letter queue (see pipeline dlq --help)')
    .option('--max <n>', 'read at most this many messages', positiveInteger, 100);
  list.action(async (name: string) => {
    await withTarget(list, (target, clients, global) =>
      dlqList(io, clients, deadLetterQueueNamed(target, name), {
        max: list.opts<{ max: number }>().max,
        json: global.json,
      }),
    )();
  });
  const show = dlq
    .command('show')
    .description('one message of a DLQ: all its attributes and its body, left in the queue')
    .argument('<queue>')
    .argument('<messageId>');
  show.action(async (name: string, messageId: string) => {
    await withTarget(show, (target, clients, global) =>
      dlqShow(io, clients, deadLetterQueueNamed(target, name), messageId, { json: global.json }),
    )();
  });
  const redrive = dlq
    .command('redrive')
    .description(
      "send a DLQ's messages back: a work queue's DLQ to its queue (all: SQS StartMessageMoveTask), " +
        "a target DLQ's events to the bus (PutEvents), the trigger DLQ's uploads to the state machine " +
        '(StartExecution); each message is deleted only after it is back',
    )
    .argument('<queue>')
    .option(
      '--filter <attribute=value>',
      'only messages with this message attribute (repeatable: all must hold)',
      collect,
      [],
    )
    .option(
      '--reason <reason>',
      "only messages with this reason (the worker's pipeline.dead-letter-reason, ERROR_CODE on target DLQs)",
    );
  redrive.action(async (name: string) => {
    await withTarget(redrive, (target, clients, global) => {
      const options = redrive.opts<{ filter: string[]; reason?: string }>();
      const queue = deadLetterQueueNamed(target, name);
      if (queue.kind === 'ingestion' && queue.name !== TRIGGER_DLQ) {
        throw new UsageError(
          `${queue.name}: its messages are status changes for the ReportFailure Lambda; invoke it with each ` +
            'message body (aws lambda invoke --invocation-type Event …: README, "Dead-letter queues and redrive")',
        );
      }
      return dlqRedrive(io, target, clients, queue, {
        filter: parseFilter(options.filter, options.reason),
        json: global.json,
      });
    })();
  });

  const trace = program
    .command('trace')
    .description(
      "a product's journey: the recent ingestions that carried it (its ProductIngested event), the " +
        'idempotency ledger, the Pimcore object, the Medusa product, the dead letters that name it',
    )
    .argument('<product>', 'its externalId (shein:<goods_id>) or its Shein goods_id', externalIdOf)
    .option('--ingestions <n>', 'how many recent ingestions to search', positiveInteger, 5)
    .addHelpText(
      'after',
      "\nPimcore, Medusa and Redis are read with the relay's own settings (see reconcile --help). On AWS, Redis\n" +
        'is private to the VPC: from outside it, that part says it cannot be read and the others are shown.\n' +
        'Exit 1 when a dead letter names the product, it is found nowhere, or a part could not be read.',
    );
  trace.action(async (externalId: string) => {
    await withTarget(trace, async (target, clients, global) => {
      const downstream = await downstreamEnvironment(global);
      const options = trace.opts<{ ingestions: number }>();
      return traceCommand(io, target, clients, downstream, {
        externalId,
        ingestions: options.ingestions,
        json: global.json,
      });
    })();
  });

  const replay = program
    .command('replay')
    .description(
      "send the bus's archived events of a time window back to the bus (EventBridge StartReplay) and follow the replay",
    )
    .requiredOption(
      '--from <time>',
      'start of the window: ISO 8601 with its zone, or a time ago (30m, 2h, 1d)',
      parseReplayTime,
    )
    .requiredOption(
      '--to <time>',
      'end of the window: ISO 8601 with its zone, a time ago, or now',
      parseReplayTime,
    )
    .option(
      '--detail-type <type>',
      'only to the bus rules whose pattern names this detail type (repeatable)',
      collect,
      [],
    )
    .option('--no-wait', 'start the replay and return without following it')
    .addHelpText('after', REPLAY_HELP);
  replay.action(async () => {
    await withTarget(replay, (target, clients, global) => {
      const options = replay.opts<{ from: Date; to: Date; detailType: string[]; wait: boolean }>();
      return replayCommand(io, target, clients, {
        from: options.from,
        to: options.to,
        detailTypes: options.detailType,
        wait: options.wait,
        json: global.json,
      });
    })();
  });

  const reconcileCli = program
    .command('reconcile')
    .description(
      "compare Pimcore's products with Medusa's (external id, handle, content fingerprint): missing, stale, " +
        'still published in Medusa though unpublished or deleted in Pimcore; exit 1 on drift',
    )
    .option(
      '--fix',
      'put the publication event that repairs each drift on the bus (the relay applies it)',
      false,
    )
    .option('--show <n>', 'drift rows to show (--json shows all)', positiveInteger, 50)
    .addHelpText(
      'after',
      "\nIt reads Pimcore and Medusa with the relay's own settings: the env file's PIMCORE_*/MEDUSA_* " +
        "variables, or the deployed relay service's task definition and its secrets (needs " +
        'ecs:DescribeServices, ecs:DescribeTaskDefinition and secretsmanager:GetSecretValue).',
    );
  reconcileCli.action(async () => {
    await withTarget(reconcileCli, async (target, clients, global) => {
      const options = reconcileCli.opts<{ fix: boolean; show: number }>();
      const downstream = await downstreamEnvironment(global);
      return reconcileCommand(io, target, clients, downstream, { ...options, json: global.json });
    })();
  });

  const json = args.includes('--json');
  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    const message = (error as Error).message;
    if (error instanceof UsageError) {
      io.stderr.write(`pipeline: ${message}\n`);
      if (json) writeJson(io, { error: message });
      return EXIT_USAGE;
    }
    io.stderr.write(`pipeline: ${(error as Error).name}: ${message}\n`);
    if (json) writeJson(io, { error: message });
    return EXIT_PROBLEM;
  }
}

if (require.main === module) {
  // `npx pipeline status | head`: the reader left; nothing more to say, and no stack trace about it.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
  void runPipelineCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
