import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/**
 * The body ended before it was complete because the sender hung up (closed or reset the connection,
 * or sent a malformed chunk): there is nobody left to answer.
 */
export class RequestAbortedError extends Error {
  override readonly name = 'RequestAbortedError';
}

/**
 * The body ended before it was complete because the HTTP server cut the request off: it was not
 * received within the server's `requestTimeout` (Node has answered 408 and closed the connection).
 */
export class RequestTimedOutError extends Error {
  override readonly name = 'RequestTimedOutError';
}

/**
 * The request's body as sent, the bytes the signature covers (a parsed and re-serialized body would
 * not match it), refused beyond `limitBytes` without buffering the rest. A body that never completes
 * rejects with RequestAbortedError or RequestTimedOutError (the HTTP server's timeouts bound how long
 * a stalled sender is waited for; see http-server-timeouts.ts).
 */
export function readRawBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  if (request.readableEnded) {
    // Only when a body parser consumed the stream first: the app must be created with bodyParser: false.
    return Promise.reject(new Error('the request body was already consumed by a body parser'));
  }
  if (request.destroyed) {
    // The request ended before the body was read: its 'error' was emitted already, so waiting would hang.
    return Promise.reject(incomplete(request, 0));
  }
  if (Number(request.headers['content-length']) > limitBytes) {
    return Promise.reject(new BodyTooLargeError(`the body exceeds ${limitBytes} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      // Stop keeping the body but let it drain, so the 413 reaches the sender on an intact connection.
      request.off('data', onData);
      request.off('end', onEnd);
      request.resume();
      reject(new BodyTooLargeError(`the body exceeds ${limitBytes} bytes`));
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size));
    // A request destroyed before its end emits 'error' ('aborted'), then 'close'; 'close' alone is
    // enough (a settled promise ignores the second).
    const onIncomplete = () => reject(incomplete(request, size));
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onIncomplete);
    request.once('close', () => {
      if (!request.readableEnded) onIncomplete();
    });
  });
}

/** Why `request` ended before its body did: the server's request timeout, or the sender. */
function incomplete(request: IncomingMessage, bytesReceived: number): Error {
  const cause = request.socket?.errored ?? request.errored ?? undefined;
  const received = `after ${bytesReceived} bytes of the body`;
  if ((cause as NodeJS.ErrnoException | undefined)?.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new RequestTimedOutError(`the request was not received in time (${received})`, { cause });
  }
  return new RequestAbortedError(`the sender hung up ${received}`, { cause });
}
