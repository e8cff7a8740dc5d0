import { execFile, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import {
  SIGNATURE_TOLERANCE_SECONDS,
  verifyPimcoreSignature,
  type SignatureCheck,
} from '../../nest-worker/src/webhook/pimcore-signature';
import vector from '../../pimcore/webhook-listener/signature-vector.json';

/**
 * The shipped Pimcore listener (PHP) against the worker's own verifier (TypeScript): both sides must agree
 * on the signed bytes, or every webhook of a real Pimcore is refused with 401.
 */
const LISTENER = join(__dirname, '../../pimcore/webhook-listener');
const SIGN_REQUEST = join(LISTENER, 'bin/sign-request.php');
const SEND_WEBHOOK = join(LISTENER, 'bin/send-webhook.php');
const SECRET = 'listener-test-secret-0123456789abcdef';
/** The worker's rule for X-Pimcore-Delivery (pimcore-webhook.service.ts). */
const WORKER_DELIVERY_ID = /^[\w.:-]{1,200}$/;
const PHP_MISSING =
  'php is not installed, and these tests need it: apt-get update && apt-get install -y php-cli (PHP ≥ 8.1)';

const isMissingCommand = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Runs php; a missing php fails the test with how to install it (never a skip). */
function php(args: string[], input?: string): string {
  try {
    return execFileSync('php', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    if (isMissingCommand(error)) throw new Error(PHP_MISSING, { cause: error });
    throw error;
  }
}

interface PhpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

const signRequest = (spec: object): PhpRequest => JSON.parse(php([SIGN_REQUEST], JSON.stringify(spec)));

/** The worker's check of a request as PHP built it, at the worker's clock `now`. */
const verify = (
  request: PhpRequest,
  secrets: string[],
  now: number,
  headers = request.headers,
): SignatureCheck =>
  verifyPimcoreSignature(
    {
      timestamp: headers['X-Pimcore-Timestamp'],
      deliveryId: headers['X-Pimcore-Delivery'],
      signature: headers['X-Pimcore-Signature'],
      rawBody: Buffer.from(request.body, 'utf8'),
    },
    secrets,
    now,
  );

const phpFiles = (readdirSync(LISTENER, { recursive: true, encoding: 'utf8' }) as string[])
  .filter((file) => file.endsWith('.php'))
  .map((file) => join(LISTENER, file))
  .sort();

describe('the Pimcore listener (PHP)', () => {
  it('has php ≥ 8.1 to run it', () => {
    const version = php(['-r', 'echo PHP_VERSION_ID;']);
    expect(Number(version)).toBeGreaterThanOrEqual(80100);
  });

  it('ships the classes, the tools and the tests as PHP files', () => {
    const names = phpFiles.map((file) => relative(LISTENER, file));
    expect(names).toEqual(
      expect.arrayContaining([
        'bin/send-webhook.php',
        'bin/sign-request.php',
        'src/ProductPipeline/Webhook/ProductWebhookSubscriber.php',
        'src/ProductPipeline/Webhook/SendProductWebhookHandler.php',
        'tests/run.php',
      ]),
    );
  });

  it.each(phpFiles.map((file) => [relative(LISTENER, file), file]))('%s passes php -l', (_name, file) => {
    expect(php(['-l', file])).toContain('No syntax errors detected');
  });

  it('passes its own tests (tests/run.php)', () => {
    let output: string;
    try {
      output = php([join(LISTENER, 'tests/run.php')]);
    } catch (error) {
      // Show which checks failed, not only the exit status.
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`tests/run.php failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
    }
    expect(output).toMatch(/^(\d+)\/\1 checks passed$/m);
  });
});

describe("the listener's signature, checked by the worker's verifier", () => {
  const NOW = Number(vector.timestamp);
  /** The vector's inputs, without its answer. */
  const vectorSpec = {
    secret: vector.secret,
    timestamp: vector.timestamp,
    deliveryId: vector.deliveryId,
    body: vector.body,
  };

  it("signs the known-answer vector to exactly its literal signature, which the worker's verifier accepts", () => {
    const request = signRequest(vectorSpec);
    expect(request.headers).toEqual({
      'Content-Type': 'application/json',
      'X-Pimcore-Timestamp': vector.timestamp,
      'X-Pimcore-Delivery': vector.deliveryId,
      'X-Pimcore-Signature': vector.signature,
    });
    expect(request.body).toBe(vector.body);
    expect(verify(request, [vector.secret], NOW)).toEqual({ valid: true });
  });

  it("builds the vector's body, byte for byte, from the product's values", () => {
    // The body's shape is part of what is signed: a change of key order or escaping breaks the signature.
    const { body: _body, ...withoutBody } = vectorSpec;
    const request = signRequest({
      ...withoutBody,
      product: {
        eventName: 'pimcore.dataobject.postUpdate',
        id: 42,
        path: '/Products/Shein/robe-d’été',
        published: true,
        externalId: 'shein:42',
      },
    });
    expect(Buffer.from(request.body)).toEqual(Buffer.from(vector.body));
    expect(request.headers['X-Pimcore-Signature']).toBe(vector.signature);
  });

  it('is refused when replayed under another delivery id', () => {
    const request = signRequest(vectorSpec);
    const replay = { ...request.headers, 'X-Pimcore-Delivery': `${vector.deliveryId}-replay` };
    expect(verify(request, [vector.secret], NOW, replay)).toEqual({
      valid: false,
      problem: 'signature-mismatch',
    });
  });

  it('is refused when one byte of the body changed', () => {
    const request = signRequest(vectorSpec);
    const bytes = Buffer.from(request.body);
    bytes[bytes.indexOf('"id":42') + '"id":'.length] = '3'.charCodeAt(0); // "id":42 → "id":32
    const changed = { ...request, body: bytes.toString('utf8') };
    expect(changed.body).not.toBe(request.body);
    expect(verify(changed, [vector.secret], NOW)).toEqual({ valid: false, problem: 'signature-mismatch' });
  });

  it("signs a fresh product event at the current time, which the worker's verifier accepts", () => {
    const before = Math.floor(Date.now() / 1000);
    const request = signRequest({
      secret: SECRET,
      product: {
        eventName: 'pimcore.dataobject.postAdd',
        id: 7,
        path: '/Products/Shein/shein-7',
        published: false,
        externalId: null,
      },
    });
    const after = Math.floor(Date.now() / 1000);

    const timestamp = Number(request.headers['X-Pimcore-Timestamp']);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(after);
    expect(request.headers['X-Pimcore-Delivery']).toMatch(
      /^pimcore-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(request.headers['X-Pimcore-Delivery']).toMatch(WORKER_DELIVERY_ID);
    expect(JSON.parse(request.body)).toEqual({
      general: {
        eventName: 'pimcore.dataobject.postAdd',
        timestamp,
        subjectType: 'object',
        versionOnly: false,
      },
      subject: {
        id: 7,
        path: '/Products/Shein/shein-7',
        'External ID (externalId)': null,
        published: false,
        type: 'Product',
      },
    });
    expect(verify(request, [SECRET], Math.floor(Date.now() / 1000))).toEqual({ valid: true });
    // During a rotation the worker holds the new secret and the one being retired, in either order.
    expect(verify(request, [`rotated-${SECRET}`, SECRET], Math.floor(Date.now() / 1000))).toEqual({
      valid: true,
    });
  });

  it('must sign each retry again: a first attempt replayed after 5 minutes is refused as stale', () => {
    const first = signRequest({ secret: SECRET, deliveryId: 'pimcore-retry', body: vector.body });
    const sentAt = Number(first.headers['X-Pimcore-Timestamp']);
    const later = sentAt + SIGNATURE_TOLERANCE_SECONDS + 1;
    expect(verify(first, [SECRET], later)).toEqual({ valid: false, problem: 'stale-timestamp' });

    const retry = signRequest({
      secret: SECRET,
      deliveryId: 'pimcore-retry',
      body: vector.body,
      timestamp: later,
    });
    expect(retry.headers['X-Pimcore-Delivery']).toBe(first.headers['X-Pimcore-Delivery']);
    expect(retry.body).toBe(first.body);
    expect(verify(retry, [SECRET], later)).toEqual({ valid: true });
  });
});

describe('bin/send-webhook.php over HTTP', () => {
  /** What the fake worker answers next, and what it received. */
  let answer: { status: number; headers?: Record<string, string>; body: string };
  let received: { request: IncomingMessage; body: Buffer }[];
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ request, body: Buffer.concat(chunks) });
        response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        response.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/pimcore`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received = [];
  });

  /** Runs the tool without blocking this process, which serves the fake worker. */
  async function sendWebhook(
    ...args: string[]
  ): Promise<{ exitCode: number; output: Record<string, unknown> }> {
    try {
      const { stdout } = await promisify(execFile)('php', [SEND_WEBHOOK, ...args], {
        env: { ...process.env, PRODUCT_PIPELINE_WEBHOOK_SECRET: SECRET },
      });
      return { exitCode: 0, output: JSON.parse(stdout) };
    } catch (error) {
      if (isMissingCommand(error)) throw new Error(PHP_MISSING, { cause: error });
      const { code, stdout } = error as { code: number; stdout: string };
      return { exitCode: code, output: stdout ? JSON.parse(stdout) : {} };
    }
  }

  it('POSTs a signed product event that the worker verifies, and exits 0 on 202', async () => {
    answer = { status: 202, body: '{"accepted":true,"eventId":"e-1"}' };
    const result = await sendWebhook(
      `--url=${url}`,
      '--id=42',
      '--external-id=shein:42',
      '--published=false',
      '--event=postDelete',
      '--delivery-id=pimcore-interop-1',
    );

    expect(result).toEqual({
      exitCode: 0,
      output: expect.objectContaining({
        deliveryId: 'pimcore-interop-1',
        status: 202,
        answer: answer.body,
        outcome: 'delivered',
      }),
    });
    expect(received).toHaveLength(1);
    const [{ request, body }] = received;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/webhooks/pimcore');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(body.toString('utf8'))).toMatchObject({
      general: { eventName: 'pimcore.dataobject.postDelete' },
      subject: { id: 42, 'External ID (externalId)': 'shein:42', published: false, type: 'Product' },
    });
    const check = verifyPimcoreSignature(
      {
        timestamp: request.headers['x-pimcore-timestamp'] as string,
        deliveryId: request.headers['x-pimcore-delivery'] as string,
        signature: request.headers['x-pimcore-signature'] as string,
        rawBody: body,
      },
      [SECRET],
    );
    expect(check).toEqual({ valid: true });
  });

  it("reports 503's Retry-After as a retry (exit 2), and 401 as a give-up (exit 3)", async () => {
    answer = { status: 503, headers: { 'retry-after': '5' }, body: '{"error":"busy"}' };
    expect(await sendWebhook('--id=42', url)).toEqual({
      exitCode: 2,
      output: expect.objectContaining({ status: 503, outcome: 'retry', retryAfterSeconds: 5 }),
    });

    answer = { status: 401, body: '{"error":"invalid signature","problem":"stale-timestamp"}' };
    expect(await sendWebhook('--id=42', url)).toEqual({
      exitCode: 3,
      output: expect.objectContaining({ status: 401, outcome: 'give-up', answer: answer.body }),
    });
  });

  it('reports no answer as a retry', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    expect(await sendWebhook('--id=42', `http://127.0.0.1:${port}/webhooks/pimcore`)).toEqual({
      exitCode: 2,
      output: expect.objectContaining({ status: null, outcome: 'retry' }),
    });
  });
});
