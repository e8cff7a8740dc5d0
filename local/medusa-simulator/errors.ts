/**
 * Medusa's error envelope: `{ type, message }` (plus `code` for some, e.g. insufficient_inventory) with
 * the status its error handler maps the type to (packages/core/framework/src/http/middlewares/
 * error-handler.ts: invalid_data/not_allowed → 400, unauthorized → 401, not_found → 404,
 * duplicate_error → 422, anything else, e.g. a failed database query, → 500 unknown_error).
 */

export type MedusaErrorType =
  'invalid_data' | 'not_allowed' | 'unauthorized' | 'not_found' | 'duplicate_error' | 'unknown_error';

const STATUS_BY_TYPE: Readonly<Record<MedusaErrorType, number>> = {
  invalid_data: 400,
  not_allowed: 400,
  unauthorized: 401,
  not_found: 404,
  duplicate_error: 422,
  unknown_error: 500,
};

export class MedusaApiError extends Error {
  readonly status: number;

  constructor(
    readonly type: MedusaErrorType,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.status = STATUS_BY_TYPE[type];
  }

  toBody(): { type: MedusaErrorType; message: string; code?: string } {
    return {
      ...(this.code === undefined ? {} : { code: this.code }),
      type: this.type,
      message: this.message,
    };
  }
}

export function invalidData(message: string): MedusaApiError {
  return new MedusaApiError('invalid_data', message);
}

export function notFound(message: string): MedusaApiError {
  return new MedusaApiError('not_found', message);
}
