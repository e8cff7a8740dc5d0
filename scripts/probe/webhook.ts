import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { request } from 'undici';
import { DETAIL_TYPES } from '../../contracts/events';
import type { DatahubWebhookBody } from '../../local/pimcore-simulator/datahub-webhook-body';
import { signatureHeaders, tokenAuthorization } from '../../local/pimcore-simulator/webhook-sender';
import { waitFor } from '../../local/whole-pipeline/wait';
import { judged, type Kind, type Lane, type Seen } from './kind';
import type { ProbeStack } from './probe-stack';

/**
 * Requests to the relay's `POST /webhooks/pimcore` (docs/worker.md, "Webhook"), sent to its first
 * process as the load balancer forwards them, authenticated with the secret and token the stack gave the
 * worker (the simulator's own, shared with it) or deliberately not. Each kind names Pimcore objects no
 * one else uses, so the events it causes are its own.
 */

interface Reply {
  readonly status: number;
  readonly body: string;
}

/** What the worker answered, as `401 signature-mismatch` or `202`. */
function said(reply: Reply): string {
  let problem: string;
  try {
    const body = JSON.parse(reply.body) as Record<string, unknown>;
    problem = String(body.problem ?? body.ignored ?? (body.duplicate === true ? 'duplicate' : ''));
  } catch {
    problem = reply.body.slice(0, 60);
  }
  return `${reply.status}${problem ? ` ${problem}` : ''}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A Pimcore object id per request, far above what the simulator hands out. */
let lastObjectId = 9_000_000 + Math.floor(Math.random() * 100_000) * 10;
const nextObjectId = () => (lastObjectId += 1);

/** The Datahub Webhooks body of a save of Product `id` (docs/worker.md, "Bodies"), with `changes`. */
function datahubBody(
  id: number,
  changes: {
    readonly timestamp?: number;
    readonly versionOnly?: boolean;
    readonly subjectType?: string;
    readonly className?: string;
    readonly padding?: number;
  } = {},
): string {
  const body: DatahubWebhookBody & { padding?: string } = {
    general: {
      eventName: 'pimcore.dataobject.postUpdate',
      timestamp: changes.timestamp ?? nowSeconds(),
      subjectType: (changes.subjectType ?? 'object') as 'object',
      versionOnly: changes.versionOnly ?? false,
    },
    subject: {
      id,
      path: `/Products/Shein/probe-${id}`,
      'External ID (externalId)': `shein:probe-${id}`,
      published: true,
      type: changes.className ?? 'Product',
    },
    ...(changes.padding === undefined ? {} : { padding: 'x'.repeat(changes.padding) }),
  };
  return JSON.stringify(body);
}

interface Signing {
  readonly deliveryId?: string;
  readonly timestamp?: number;
  readonly secret?: string;
}

/** The shipped listener's headers for `body`: X-Pimcore-Delivery, -Timestamp, -Signature. */
function signed(stack: ProbeStack, body: string, signing: Signing = {}): Record<string, string> {
  return signatureHeaders(signing.secret ?? stack.webhookCredentials.secret, {
    timestamp: String(signing.timestamp ?? nowSeconds()),
    deliveryId: signing.deliveryId ?? newDeliveryId(),
    rawBody: body,
  });
}

const newDeliveryId = () => `probe-${randomUUID()}`;

async function post(
  stack: ProbeStack,
  body: string,
  headers: Record<string, string>,
  contentType = 'application/json',
): Promise<Reply> {
  const response = await request(stack.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  return { status: response.statusCode, body: await response.body.text() };
}

/** The ProductPublished events the webhook put on the bus for this delivery id. */
function eventsOf(stack: ProbeStack, deliveryId: string): number {
  return stack.bus.of(DETAIL_TYPES.productPublished, (detail) => detail.deliveryId === deliveryId).length;
}

/**
 * A signed Datahub body sent, then sent again with the headers `again` makes of the first ones: both
 * answers, and the events put on the bus under either delivery id.
 */
async function sentTwice(
  stack: ProbeStack,
  again: (captured: Record<string, string>, body: string) => Record<string, string>,
): Promise<{ readonly first: Reply; readonly second: Reply; readonly events: number }> {
  const body = datahubBody(nextObjectId());
  const captured = signed(stack, body);
  const first = await post(stack, body, captured);
  const headers = again(captured, body);
  const second = await post(stack, body, headers);
  const ids = new Set([captured['x-pimcore-delivery']!, headers['x-pimcore-delivery']!]);
  const events = [...ids].reduce((count, id) => count + eventsOf(stack, id), 0);
  return { first, second, events };
}

/** A problem is `401 <problem>` (or `400`, `413`, …): what `said` shows. */
function answered(reply: Reply, status: number, problem?: string): boolean {
  return reply.status === status && (problem === undefined || said(reply) === `${status} ${problem}`);
}

function webhookKind(
  name: string,
  expected: string,
  run: (stack: ProbeStack) => Promise<Seen>,
  lane: Lane = 'stack',
): Kind {
  return { name, boundary: 'webhook', expected, lane, run: (context) => run(context.stack()) };
}

/** One signed request whose answer is judged by its status (and problem). */
function signedKind(
  name: string,
  expected: { readonly status: number; readonly problem?: string },
  request: (stack: ProbeStack) => { body: string; headers: Record<string, string>; contentType?: string },
): Kind {
  const text = `${expected.status}${expected.problem ? ` ${expected.problem}` : ''}`;
  return webhookKind(name, text, async (stack) => {
    const { body, headers, contentType } = request(stack);
    const reply = await post(stack, body, headers, contentType);
    return judged(said(reply), answered(reply, expected.status, expected.problem));
  });
}

/** A Datahub body ignored for what it is about: 200 `{ignored}`, no event. */
function ignoredKind(name: string, changes: Parameters<typeof datahubBody>[1]): Kind {
  return webhookKind(name, '200 ignored (no event)', async (stack) => {
    const body = datahubBody(nextObjectId(), changes);
    const deliveryId = newDeliveryId();
    const reply = await post(stack, body, signed(stack, body, { deliveryId }));
    const events = eventsOf(stack, deliveryId);
    return judged(
      `${said(reply)}; events ${events}`,
      reply.status === 200,
      /"ignored"/.test(reply.body),
      events === 0,
    );
  });
}

/**
 * A raw connection to the relay that sends `bytes` and then nothing: how long until the server answers
 * (408) or closes it, up to `patienceMs`.
 */
async function stalledRequest(stack: ProbeStack, bytes: string, patienceMs: number): Promise<Seen> {
  const { hostname, port } = new URL(stack.webhookUrl);
  const socket = connect(Number(port), hostname, () => socket.write(bytes));
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  const startedAt = Date.now();
  const closed = once(socket, 'close').then(() => true);
  const gaveUp = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), patienceMs).unref());
  const byServer = await Promise.race([closed, gaveUp]);
  socket.destroy();
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  const answer = received.split('\r\n')[0] || 'no answer';
  return judged(
    byServer
      ? `closed by the server after ${seconds} s (${answer})`
      : `still open after ${seconds} s (${answer})`,
    byServer,
  );
}

/** A signed request's head, its body to follow in chunks. */
function chunkedHead(stack: ProbeStack, body: string): string {
  const headers = Object.entries(signed(stack, body))
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (
    `POST /webhooks/pimcore HTTP/1.1\r\nHost: probe\r\nContent-Type: application/json\r\n${headers}` +
    'Transfer-Encoding: chunked\r\n\r\n'
  );
}
const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;

/** How long a stalled sender may hold a connection: seconds for a 64 KB webhook, not minutes. */
const STALL_PATIENCE_MS = 20_000;

/** `pipeline_webhook_requests_total` by outcome, from the relay's /metrics. */
async function webhookCounts(stack: ProbeStack): Promise<Record<string, number>> {
  const response = await request(`${stack.worker('relay').url}/metrics`);
  const text = await response.body.text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^pipeline_webhook_requests_total\{outcome="([^"]+)"\} (\d+)/gm)) {
    counts[match[1]!] = Number(match[2]);
  }
  return counts;
}

function countsSince(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([outcome, count]) => [outcome, count - (before[outcome] ?? 0)] as const)
      .filter(([, delta]) => delta !== 0),
  );
}

/** What the simulator's own deliveries are counted as, should one arrive meanwhile after all. */
const SIMULATOR_OUTCOMES = new Set(['accepted', 'duplicate']);

/** A Datahub Webhooks request (token scheme): the bearer token, no delivery id. */
function tokenRequest(token: string, timestamp = nowSeconds()) {
  const id = nextObjectId();
  return {
    id,
    body: datahubBody(id, { timestamp }),
    headers: { authorization: tokenAuthorization(token, 'bearer') },
  };
}

export const WEBHOOK_KINDS: readonly Kind[] = [
  webhookKind('signed Datahub body (control)', '202, one ProductPublished on the bus', async (stack) => {
    const body = datahubBody(nextObjectId());
    const deliveryId = newDeliveryId();
    const reply = await post(stack, body, signed(stack, body, { deliveryId }));
    const events = eventsOf(stack, deliveryId);
    return judged(`${said(reply)}; events ${events}`, reply.status === 202, events === 1);
  }),
  signedKind('forged signature', { status: 401, problem: 'signature-mismatch' }, (stack) => {
    const body = datahubBody(nextObjectId());
    return { body, headers: signed(stack, body, { secret: randomBytes(32).toString('hex') }) };
  }),
  signedKind('stale timestamp', { status: 401, problem: 'stale-timestamp' }, (stack) => {
    const body = datahubBody(nextObjectId());
    return { body, headers: signed(stack, body, { timestamp: nowSeconds() - 600 }) };
  }),
  signedKind('future timestamp', { status: 401, problem: 'future-timestamp' }, (stack) => {
    const body = datahubBody(nextObjectId());
    return { body, headers: signed(stack, body, { timestamp: nowSeconds() + 600 }) };
  }),
  signedKind('malformed signature', { status: 401, problem: 'malformed-signature' }, (stack) => {
    const body = datahubBody(nextObjectId());
    return { body, headers: { ...signed(stack, body), 'x-pimcore-signature': 'sha256=not-a-hex-digest' } };
  }),
  signedKind('no credentials', { status: 401 }, () => ({ body: datahubBody(nextObjectId()), headers: {} })),
  signedKind('missing delivery id', { status: 400 }, (stack) => {
    const body = datahubBody(nextObjectId());
    const { 'x-pimcore-delivery': _omitted, ...headers } = signed(stack, body, { deliveryId: '' });
    return { body, headers };
  }),
  signedKind('delivery id with bad characters', { status: 400 }, (stack) => {
    const body = datahubBody(nextObjectId());
    return { body, headers: signed(stack, body, { deliveryId: 'probe/../../etc passwd' }) };
  }),
  webhookKind(
    'replay under a new delivery id',
    'the original 202; the replay 401 signature-mismatch, no second event',
    async (stack) => {
      const { first, second, events } = await sentTwice(stack, (captured) => ({
        ...captured,
        'x-pimcore-delivery': newDeliveryId(),
      }));
      return judged(
        `original ${said(first)}; replay ${said(second)}; events ${events}`,
        first.status === 202,
        answered(second, 401, 'signature-mismatch'),
        events === 1,
      );
    },
  ),
  webhookKind('same delivery twice', '202, then 200 duplicate; one event', async (stack) => {
    const { first, second, events } = await sentTwice(stack, (captured, body) =>
      signed(stack, body, { deliveryId: captured['x-pimcore-delivery'] }),
    );
    return judged(
      `${said(first)}, then ${said(second)}; events ${events}`,
      first.status === 202,
      answered(second, 200, 'duplicate'),
      events === 1,
    );
  }),
  webhookKind(
    '50 concurrent copies of one delivery',
    'one 202, the rest 200 duplicate / 503 in progress; exactly one event',
    async (stack) => {
      const body = datahubBody(nextObjectId());
      const headers = signed(stack, body);
      const replies = await Promise.all(Array.from({ length: 50 }, () => post(stack, body, headers)));
      const byStatus: Record<number, number> = {};
      for (const reply of replies) byStatus[reply.status] = (byStatus[reply.status] ?? 0) + 1;
      const events = eventsOf(stack, headers['x-pimcore-delivery']!);
      return judged(
        `${Object.entries(byStatus)
          .map(([status, count]) => `${count}× ${status}`)
          .join(', ')}; events ${events}`,
        byStatus[202] === 1,
        replies.every((reply) => [200, 202, 503].includes(reply.status)),
        events === 1,
      );
    },
  ),
  signedKind('body over 64 KB', { status: 413 }, (stack) => {
    const body = datahubBody(nextObjectId(), { padding: 70 * 1024 });
    return { body, headers: signed(stack, body) };
  }),
  webhookKind('headers over 16 KB', '431, the body never read', async (stack) => {
    const body = datahubBody(nextObjectId());
    const reply = await post(stack, body, {
      ...signed(stack, body),
      'x-probe-padding': 'x'.repeat(20 * 1024),
    });
    return judged(said(reply), reply.status === 431);
  }),
  signedKind('body not JSON', { status: 400 }, (stack) => {
    const body = '<xml>not json</xml>';
    return { body, headers: signed(stack, body) };
  }),
  signedKind('Content-Type text/plain', { status: 415 }, (stack) => {
    const body = datahubBody(nextObjectId());
    return { body, headers: signed(stack, body), contentType: 'text/plain' };
  }),
  signedKind('form body', { status: 415 }, (stack) => {
    const body = `event=product.published&id=${nextObjectId()}`;
    return { body, headers: signed(stack, body), contentType: 'application/x-www-form-urlencoded' };
  }),
  webhookKind(
    'partial headers, then stall',
    `408 or closed by the server within ${STALL_PATIENCE_MS / 1000} s`,
    (stack) =>
      stalledRequest(
        stack,
        'POST /webhooks/pimcore HTTP/1.1\r\nHost: probe\r\nContent-Ty',
        STALL_PATIENCE_MS,
      ),
  ),
  webhookKind(
    'partial body, then stall',
    `408 or closed by the server within ${STALL_PATIENCE_MS / 1000} s`,
    (stack) => {
      const body = datahubBody(nextObjectId());
      return stalledRequest(stack, chunkedHead(stack, body) + chunk(body.slice(0, 40)), STALL_PATIENCE_MS);
    },
  ),
  webhookKind(
    'sender hangs up mid-body',
    'counted under an outcome of its own in /metrics, not error',
    async (stack) => {
      // The simulator's own webhooks (products other kinds sent on their way) would be counted too.
      await Promise.race([
        stack.pipeline.webhooks?.idle(),
        new Promise((resolve) => setTimeout(resolve, 15_000)),
      ]);
      const before = await webhookCounts(stack);
      const body = datahubBody(nextObjectId());
      const { hostname, port } = new URL(stack.webhookUrl);
      const socket = connect(Number(port), hostname, () =>
        socket.write(chunkedHead(stack, body) + chunk(body.slice(0, 40))),
      );
      socket.on('error', () => undefined);
      await once(socket, 'connect');
      // Long enough for the request to reach the controller, which then waits for the rest of the body.
      await new Promise((resolve) => setTimeout(resolve, 500));
      socket.destroy();
      let counted: Record<string, number> = {};
      await waitFor(
        'the hang-up is counted',
        async () => Object.keys((counted = countsSince(before, await webhookCounts(stack)))).length > 0,
        5000,
        200,
      ).catch(() => undefined);
      const outcomes = Object.keys(counted).filter((outcome) => !SIMULATOR_OUTCOMES.has(outcome));
      return judged(
        outcomes.length === 0 ? 'not counted within 5 s' : `counted as ${JSON.stringify(counted)}`,
        outcomes.length === 1,
        counted.error === undefined,
      );
    },
    // It reads the relay's counters: no other request may be counted meanwhile.
    'alone',
  ),
  ignoredKind('Datahub draft (versionOnly)', { versionOnly: true }),
  ignoredKind('another class', { className: 'Category' }),
  ignoredKind('an asset', { subjectType: 'asset' }),
  webhookKind('token: valid bearer token', '202, one ProductPublished on the bus', async (stack) => {
    const { id, body, headers } = tokenRequest(stack.webhookCredentials.token);
    const reply = await post(stack, body, headers);
    const events = stack.bus.of(DETAIL_TYPES.productPublished, (detail) => detail.pimcoreId === id).length;
    return judged(`${said(reply)}; events ${events}`, reply.status === 202, events === 1);
  }),
  webhookKind('token: Basic credentials in the URL', '202', async (stack) => {
    const body = datahubBody(nextObjectId());
    const reply = await post(stack, body, {
      authorization: tokenAuthorization(stack.webhookCredentials.token, 'basic'),
    });
    return judged(said(reply), reply.status === 202);
  }),
  webhookKind('token: wrong token', '401 token-mismatch', async (stack) => {
    const { body, headers } = tokenRequest(randomBytes(32).toString('hex'));
    const reply = await post(stack, body, headers);
    return judged(said(reply), answered(reply, 401, 'token-mismatch'));
  }),
  webhookKind('token: stale general.timestamp', '401 stale-event', async (stack) => {
    const { body, headers } = tokenRequest(stack.webhookCredentials.token, nowSeconds() - 2 * 3600);
    const reply = await post(stack, body, headers);
    return judged(said(reply), answered(reply, 401, 'stale-event'));
  }),
];
