/** Lambda handlers for the quota tests (run in-process by quota-harness.ts), one export per behaviour. */

/** A JSON string of exactly `bytes` UTF-8 bytes, quotes included. */
export async function sized(input: { bytes: number }) {
  return 'a'.repeat(input.bytes - 2);
}

export async function echo(input: unknown) {
  return input;
}

class Unavailable extends Error {
  override readonly name = 'Unavailable';
}

export async function unavailable() {
  throw new Unavailable('the downstream service is down');
}

/** What the old Validate Lambda returned into `$.validation`: one entry per staged batch of products. */
export function validationOf(ingestionId: string, source: string, batchCount: number) {
  const batches = Array.from({ length: batchCount }, (_, index) => ({
    key: `staging/${ingestionId}/batch-${String(index + 1).padStart(5, '0')}.json`,
    count: 1,
  }));
  return {
    batches,
    counts: { products: batchCount, valid: batchCount, rejected: 0 },
    reportKey: `reports/${ingestionId}/rejects.json`,
    ingestionId,
    source,
  };
}

export async function validate(input: { ingestionId: string; source: string; batchCount: number }) {
  return validationOf(input.ingestionId, input.source, input.batchCount);
}

export async function transform(input: { ingestionId: string; batchKey: string }) {
  return {
    ingestionId: input.ingestionId,
    canonicalKey: input.batchKey.replace(/^staging\//, 'canonical/'),
    count: 1,
    rejected: 0,
  };
}

export const PUBLISHED = { published: 1, failed: 0, rejected: 0 };

export async function publish() {
  return PUBLISHED;
}

export async function summarize(input: { ingestionId: string; batchResults: unknown[] }) {
  return { ingestionId: input.ingestionId, batches: input.batchResults.length };
}
