import { JsonHttp } from '../downstream/json-http';
import { pimcoreErrorFor } from './pimcore-errors';

export interface PimcoreHttpOptions {
  readonly timeoutMs: number;
  /** Sent with every call (authentication). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * JSON over HTTP to Pimcore: a JsonHttp whose failures become PimcoreErrors the consumer can act on.
 */
export class PimcoreHttp extends JsonHttp {
  constructor(options: PimcoreHttpOptions) {
    super({
      service: 'Pimcore',
      timeoutMs: options.timeoutMs,
      headers: options.headers,
      toError: pimcoreErrorFor,
    });
  }
}
