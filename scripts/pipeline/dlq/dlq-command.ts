import {
  EXIT_OK,
  EXIT_PROBLEM,
  humanDuration,
  paint,
  table,
  writeJson,
  writeLine,
  type CliIo,
} from '../cli-io';
import { progressBar } from '../progress';
import type { AwsClients } from '../target/aws-clients';
import type { DeadLetterQueue, PipelineTarget } from '../target/pipeline-target';
import { letterOf, type Letter } from './letter';
import type { LetterFilter } from './message-filter';
import { peekMessages } from './peek';
import { redriveAll } from './redrive-all';
import { redriveSelected, sendBackFor } from './redrive-selected';

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const queueJson = (queue: DeadLetterQueue) => ({
  name: queue.name,
  queueName: queue.queueName,
  url: queue.url,
  kind: queue.kind,
});

export async function dlqList(
  io: CliIo,
  clients: AwsClients,
  queue: DeadLetterQueue,
  options: { readonly max: number; readonly json: boolean },
): Promise<number> {
  const letters = (await peekMessages(clients.sqs, queue.url, { max: options.max })).map((message) =>
    letterOf(message, queue.kind),
  );
  if (options.json) {
    writeJson(io, { queue: queueJson(queue), messages: letters });
    return EXIT_OK;
  }
  writeLine(io, paint(io, 'bold', `${queue.name} (${queue.queueName}): ${letters.length} message(s)`));
  if (letters.length === 0) return EXIT_OK;
  writeLine(
    io,
    table(
      io,
      ['message id', 'age', 'receives', 'reason', 'detail', 'message'],
      letters.map((letter) => [
        letter.messageId,
        letter.ageMs === undefined ? '-' : humanDuration(letter.ageMs),
        letter.receiveCount === undefined ? '-' : String(letter.receiveCount),
        paint(io, 'red', letter.reason),
        oneLine(letter.detail ?? '', 60),
        oneLine(letter.summary, 50),
      ]),
    ),
  );
  return EXIT_OK;
}

function renderLetter(io: CliIo, letter: Letter): void {
  writeLine(io, `${paint(io, 'bold', 'message id')}  ${letter.messageId}`);
  writeLine(
    io,
    `${paint(io, 'bold', 'sent')}        ${letter.sentAt ?? '-'}${letter.ageMs === undefined ? '' : ` (${humanDuration(letter.ageMs)} ago)`}`,
  );
  writeLine(io, `${paint(io, 'bold', 'receives')}    ${letter.receiveCount ?? '-'}`);
  writeLine(io, `${paint(io, 'bold', 'reason')}      ${paint(io, 'red', letter.reason)}`);
  if (letter.detail) writeLine(io, `${paint(io, 'bold', 'detail')}      ${letter.detail}`);
  writeLine(io, paint(io, 'bold', 'attributes'));
  for (const [name, value] of Object.entries(letter.attributes)) writeLine(io, `  ${name} = ${value}`);
  writeLine(io, paint(io, 'bold', 'body'));
  let body = letter.body;
  try {
    body = JSON.stringify(JSON.parse(letter.body), null, 2);
  } catch {
    // Not JSON: shown as it is.
  }
  writeLine(io, body);
}

export async function dlqShow(
  io: CliIo,
  clients: AwsClients,
  queue: DeadLetterQueue,
  messageId: string,
  options: { readonly json: boolean },
): Promise<number> {
  const messages = await peekMessages(clients.sqs, queue.url, {
    max: Number.POSITIVE_INFINITY,
    until: (message) => message.MessageId === messageId,
  });
  const found = messages.find((message) => message.MessageId === messageId);
  const letter = found && letterOf(found, queue.kind);
  if (options.json) writeJson(io, { queue: queueJson(queue), message: letter ?? null });
  else if (letter) renderLetter(io, letter);
  else io.stderr.write(`${queue.name}: no message ${messageId} (read ${messages.length})\n`);
  return letter ? EXIT_OK : EXIT_PROBLEM;
}

export async function dlqRedrive(
  io: CliIo,
  target: PipelineTarget,
  clients: AwsClients,
  queue: DeadLetterQueue,
  options: { readonly filter?: LetterFilter; readonly json: boolean },
): Promise<number> {
  const destination =
    queue.kind === 'work'
      ? queue.workQueue!.name
      : queue.kind === 'target'
        ? `bus ${target.outputs.busName}`
        : `state machine ${target.outputs.stateMachineArn.split(':').pop()}`;
  const progress = progressBar(io, `${queue.name} → ${destination}`, options.json);
  // A whole work-queue DLQ is SQS's own job; a filter, or a target DLQ (whose messages go to the bus,
  // not a queue), needs each message read and sent back by this process.
  if (queue.kind === 'work' && !options.filter) {
    const task = await redriveAll(clients.sqs, queue, progress);
    const ok = task.status === 'COMPLETED';
    if (options.json)
      writeJson(io, { queue: queueJson(queue), destination, method: 'StartMessageMoveTask', ...task });
    else {
      writeLine(
        io,
        `${queue.name} → ${destination}: moved ${task.moved} of ${task.toMove} (move task ${task.status})`,
      );
      if (task.failureReason) writeLine(io, paint(io, 'red', task.failureReason));
    }
    return ok ? EXIT_OK : EXIT_PROBLEM;
  }
  const result = await redriveSelected(
    clients.sqs,
    queue,
    sendBackFor(queue, clients, target.outputs),
    options.filter,
    progress,
  );
  if (options.json) {
    writeJson(io, {
      queue: queueJson(queue),
      destination,
      method: { work: 'SendMessage', target: 'PutEvents', ingestion: 'StartExecution' }[queue.kind],
      filter: options.filter ?? null,
      ...result,
    });
  } else {
    writeLine(
      io,
      `${queue.name} → ${destination}: moved ${result.moved}, left ${result.skipped} not matching` +
        `${result.arrived > 0 ? ` and ${result.arrived} that arrived since the start` : ''}, ${result.failed.length} failed`,
    );
    for (const failure of result.failed)
      writeLine(io, paint(io, 'red', `  ${failure.messageId}: ${failure.error}`));
  }
  return result.failed.length === 0 ? EXIT_OK : EXIT_PROBLEM;
}
