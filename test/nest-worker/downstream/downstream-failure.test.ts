import {
  PermanentDownstreamError,
  TransientDownstreamError,
} from '../../../nest-worker/src/downstream/downstream-errors';
import {
  downstreamFailureOutcome,
  isTransientDownstreamError,
  requestedRetryDelayMs,
} from '../../../nest-worker/src/downstream/downstream-failure';
import type { HttpFailure } from '../../../nest-worker/src/downstream/json-http';
import {
  MedusaAuthenticationError,
  MedusaPermanentError,
  MedusaTransientError,
  medusaErrorFor,
} from '../../../nest-worker/src/medusa/medusa-errors';
import {
  PimcoreAuthenticationError,
  PimcorePermanentError,
  PimcoreTransientError,
  pimcoreErrorFor,
} from '../../../nest-worker/src/pimcore/pimcore-errors';

const statusFailure = (status: number, retryAfterMs?: number): HttpFailure => ({
  kind: 'status',
  status,
  message: `answered ${status}`,
  serviceMessage: 'the words',
  serviceType: 'conflict',
  retryAfterMs,
});

describe('downstream failures, the same for every service', () => {
  it.each([
    ['Pimcore', pimcoreErrorFor],
    ['Medusa', medusaErrorFor],
  ])('%s: one outcome rule for all of its errors', (service, errorFor) => {
    expect(downstreamFailureOutcome(errorFor(statusFailure(401)))).toEqual({
      kind: 'retry-later',
      reason: `${service}Authentication`,
    });
    expect(downstreamFailureOutcome(errorFor(statusFailure(422)))).toEqual({
      kind: 'dead-letter',
      reason: `${service}Rejected:rejected`,
      detail: 'answered 422',
    });
    expect(downstreamFailureOutcome(errorFor(statusFailure(503, 1500)))).toEqual({
      kind: 'retry-later',
      reason: `${service}Unavailable:server-error`,
      delaySeconds: 2,
    });
    const timeout = errorFor({ kind: 'no-answer', reason: 'timeout', message: 'late', cause: undefined });
    expect(downstreamFailureOutcome(timeout)).toEqual({
      kind: 'retry-later',
      reason: `${service}Unavailable:timeout`,
      delaySeconds: undefined,
    });
  });

  it('sorts each service’s classes under the shared bases, authentication under permanent', () => {
    const pimcore = [pimcoreErrorFor(statusFailure(403)), pimcoreErrorFor(statusFailure(400))];
    const medusa = [medusaErrorFor(statusFailure(403)), medusaErrorFor(statusFailure(409))];
    expect(pimcore[0]).toBeInstanceOf(PimcoreAuthenticationError);
    expect(pimcore[0]).toBeInstanceOf(PimcorePermanentError);
    expect(pimcore[1]).toBeInstanceOf(PermanentDownstreamError);
    expect(medusa[0]).toBeInstanceOf(MedusaAuthenticationError);
    expect(medusa[0]).toBeInstanceOf(MedusaPermanentError);
    // Medusa's 409 is transient, Pimcore's is not.
    expect(medusa[1]).toBeInstanceOf(MedusaTransientError);
    expect(medusa[1]).toBeInstanceOf(TransientDownstreamError);
    expect(pimcoreErrorFor(statusFailure(409))).toBeInstanceOf(PimcorePermanentError);
    expect(pimcore[1]).toMatchObject({
      name: 'PimcorePermanentError',
      pimcoreMessage: 'the words',
      status: 400,
    });
    expect(medusa[1]).toMatchObject({
      name: 'MedusaTransientError',
      medusaMessage: 'the words',
      medusaType: 'conflict',
      status: 409,
    });
  });

  it('retries transient errors of either service, honouring their Retry-After, and nothing else', () => {
    const transient = [
      new PimcoreTransientError('rate-limited', 'slow down', { retryAfterMs: 7000 }),
      new MedusaTransientError('conflict', 'locked', { retryAfterMs: 7000 }),
    ];
    for (const error of transient) {
      expect(isTransientDownstreamError(error)).toBe(true);
      expect(requestedRetryDelayMs(error)).toBe(7000);
    }
    const permanent = new MedusaPermanentError('unmappable', 'no SAR price');
    expect(isTransientDownstreamError(permanent)).toBe(false);
    expect(requestedRetryDelayMs(permanent)).toBeUndefined();
  });

  it('throws what is not a downstream error, for the consumer to report', () => {
    const bug = new TypeError('undefined is not a function');
    expect(() => downstreamFailureOutcome(bug)).toThrow(bug);
  });
});
