import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What tests and operators make the simulator do to coming requests: add latency, fail or hang the next
 * N requests, or run an action just before an operation is served (to stage a race deterministically).
 */

export interface InjectedFailure {
  readonly status: number;
  /** Sent as the Retry-After header (seconds or an HTTP-date). */
  readonly retryAfter?: string;
  /** The response body; a short JSON error when absent. */
  readonly body?: string;
}

export type Fault = { readonly kind: 'fail'; readonly failure: InjectedFailure } | { readonly kind: 'hang' };

type Action = () => void | Promise<void>;

export class RequestControls {
  latencyMs = 0;
  private readonly faults: Fault[] = [];
  private readonly actions = new Map<string, Action[]>();

  failNext(count: number, failure: InjectedFailure): void {
    for (let i = 0; i < count; i += 1) this.faults.push({ kind: 'fail', failure });
  }

  hangNext(count: number): void {
    for (let i = 0; i < count; i += 1) this.faults.push({ kind: 'hang' });
  }

  /** The fault for the request that just arrived, if one is queued. */
  takeFault(): Fault | undefined {
    return this.faults.shift();
  }

  beforeNext(operation: string, action: Action): void {
    this.actions.set(operation, [...(this.actions.get(operation) ?? []), action]);
  }

  /** Runs (and forgets) the action queued for this operation, before the operation is served. */
  async runBefore(operation: string): Promise<void> {
    const action = this.actions.get(operation)?.shift();
    if (action) await action();
  }

  /**
   * Applies the configured latency and the next queued fault to a request that just arrived. Returns
   * true when the fault answered (or hung up on) it, so the caller must not serve it.
   * `errorBody` is the simulated service's own JSON error for a failure without a body.
   */
  async interceptRequest(response: ServerResponse, errorBody: (status: number) => unknown): Promise<boolean> {
    const fault = this.takeFault();
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    if (fault?.kind === 'hang') {
      await once(response, 'close');
      return true;
    }
    if (fault?.kind === 'fail') {
      const { status, retryAfter, body } = fault.failure;
      response.writeHead(status, {
        'content-type': body === undefined ? 'application/json' : 'text/plain',
        ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
      });
      response.end(body ?? JSON.stringify(errorBody(status)));
      return true;
    }
    return false;
  }

  reset(): void {
    this.latencyMs = 0;
    this.faults.length = 0;
    this.actions.clear();
  }
}
