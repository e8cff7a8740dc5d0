/** What a receipt handle identifies: one receive of one message in one queue. */
export interface Receipt {
  readonly queueArn: string;
  readonly messageId: string;
  /** Changes on every receive, so a handle from an earlier receive is recognisably stale. */
  readonly token: string;
}

export function encodeReceiptHandle(receipt: Receipt): string {
  return Buffer.from(JSON.stringify([receipt.queueArn, receipt.messageId, receipt.token]), 'utf8').toString(
    'base64',
  );
}

/** The receipt behind `handle`, or undefined when it is not a handle this emulator issued. */
export function decodeReceiptHandle(handle: string): Receipt | undefined {
  try {
    const parts: unknown = JSON.parse(Buffer.from(handle, 'base64').toString('utf8'));
    if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((part) => typeof part === 'string')) {
      return undefined;
    }
    const [queueArn, messageId, token] = parts as [string, string, string];
    return { queueArn, messageId, token };
  } catch {
    return undefined;
  }
}
