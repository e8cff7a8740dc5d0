import { z } from 'zod';
import { PimcorePermanentError, PimcoreTransientError, type PimcoreError } from '../pimcore-errors';

/**
 * Reading the Datahub's answers. Pimcore answers HTTP 200 for nearly everything: GraphQL errors come in
 * `errors`, and refused mutations as `{success:false, message}` (MutationType.php in pimcore/data-hub).
 */

const graphqlErrorSchema = z.object({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
});
export type GraphqlError = z.infer<typeof graphqlErrorSchema>;

const envelopeSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.array(graphqlErrorSchema).optional(),
});

export interface GraphqlResult {
  readonly data: Readonly<Record<string, unknown>>;
  readonly errors: readonly GraphqlError[];
}

export function readEnvelope(body: unknown, operation: string): GraphqlResult {
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) {
    throw new PimcorePermanentError(
      'unexpected-response',
      `${operation}: the answer is not a GraphQL response`,
    );
  }
  return { data: parsed.data.data ?? {}, errors: parsed.data.errors ?? [] };
}

/**
 * graphql-php hides a resolver's unexpected exception (a database deadlock, a lost connection) behind
 * this message; everything else (syntax, validation against the schema, a client-safe resolver error)
 * will fail the same way again.
 */
const HIDDEN_SERVER_ERROR = 'Internal server error';

export function graphqlErrorsToError(errors: readonly GraphqlError[], operation: string): PimcoreError {
  const pimcoreMessage = errors.map((error) => error.message).join('; ');
  const message = `${operation}: ${pimcoreMessage}`;
  if (errors.every((error) => error.message === HIDDEN_SERVER_ERROR)) {
    return new PimcoreTransientError('server-error', message, { status: 200, pimcoreMessage });
  }
  return new PimcorePermanentError('graphql', message, { status: 200, pimcoreMessage });
}

/** getProduct(id) of a missing object: "object with id:'42' not found" (Resolver/QueryType.php). */
export const isNotFound = (error: GraphqlError): boolean => /\bnot found\b/.test(error.message);

const mutationResultSchema = z.object({ success: z.boolean(), message: z.string().nullish() });

export type MutationOutcome =
  | { readonly kind: 'done'; readonly message: string }
  /** Another object already has the path (or the unique externalId): someone created it first. */
  | { readonly kind: 'conflict' }
  /** updateProduct found no object with the id: it was deleted after the lookup. */
  | { readonly kind: 'gone' };

/**
 * "The object exists": a create refused by its first save, whose exception message the update resolver
 * returns as it is (`getUpdateObjectResolver` in MutationType.php): the path is taken
 * (DuplicateFullPathException, "Duplicate full path [ /Products/Shein/shein-1 ] - cannot save object"),
 * or the unique externalId is, or a concurrent create won ("unique constraint violation"). The
 * `… failed: Duplicate path` texts come from a second save of a create or update that found the path
 * taken in between.
 */
const CONFLICTS = [/Duplicate full path \[/i, /Duplicate path/i, /unique constraint violation/i];

/** Refusals that the same request will meet again: bad data, a missing parent folder, missing rights. */
const PERMANENT_REFUSALS = [
  /Validation failed/i,
  /unable to resolve parent/i,
  /not allowed to/i,
  /permission denied/i,
  /no "id" nor "path"/i,
];

/**
 * A createX/updateX result field → its outcome. Refusals Pimcore reports for the caller's own mistakes
 * are permanent; any other `success:false` (a failed save, e.g. a lost database connection) is transient.
 */
export function readMutation(result: GraphqlResult, field: string): MutationOutcome {
  if (result.errors.length > 0) throw graphqlErrorsToError(result.errors, field);
  const parsed = mutationResultSchema.safeParse(result.data[field]);
  if (!parsed.success) {
    throw new PimcorePermanentError('unexpected-response', `${field}: no {success, message} in the answer`);
  }
  const message = parsed.data.message ?? '';
  if (parsed.data.success) return { kind: 'done', message };
  if (CONFLICTS.some((pattern) => pattern.test(message))) return { kind: 'conflict' };
  if (/Unknown id or fullpath/i.test(message)) return { kind: 'gone' };
  const details = { status: 200, pimcoreMessage: message };
  if (PERMANENT_REFUSALS.some((pattern) => pattern.test(message))) {
    throw new PimcorePermanentError('rejected', `${field} refused: ${message}`, details);
  }
  throw new PimcoreTransientError('server-error', `${field} failed: ${message}`, details);
}
