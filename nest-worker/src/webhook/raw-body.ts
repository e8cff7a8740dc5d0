import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/**
 * The request's body as sent, the bytes the signature covers (a parsed and re-serialized body would
 * not match it), refused beyond `limitBytes` without buffering the rest.
 */
export function readRawBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  if (request.readableEnded) {
    // Only when a body parser consumed the stream first: the app must be created with bodyParser: false.
    return Promise.reject(new Error('the request body was already consumed by a body parser'));
  }
  if (request.destroyed) {
    // The sender hung up before the body was read: its 'error' was emitted already, so waiting would hang.
    return Promise.reject(request.errored ?? new Error('the request was aborted'));
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
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', reject);
  });
}
