/** One fault of the run, injected once the run has come far enough. */
export interface FaultStep {
  /** What it does, for the log and for the error that names it: "restart Redis", "SIGKILL ingest-1". */
  readonly name: string;
  /**
   * Resolves once the run has come far enough for this step (e.g. Medusa holds 2/5 of the products);
   * throws when it cannot get there (the wait's own deadline).
   */
  readonly due: () => Promise<void>;
  /** Injects the fault; resolves once it is in place (a killed worker restarted, an upload ingested). */
  readonly inject: () => Promise<void>;
}

export interface FaultStepsOptions {
  /** The longest a step's `due` or `inject` may take before the run fails, naming the step. */
  readonly stepTimeoutMs: number;
  readonly log: (line: string) => void;
}

/** A fault step that failed, stalled or never got its turn: the run cannot vouch for its faults. */
export class FaultStepError extends Error {
  override readonly name = 'FaultStepError';
}

/**
 * Runs the steps in order, each once it is due. A step whose wait or injection throws, or does not end
 * within `stepTimeoutMs`, fails the run with a FaultStepError naming the step (its number and name) and
 * why: a fault run whose faults did not all happen as planned proves less than it claims.
 */
export async function runFaultSteps(steps: readonly FaultStep[], options: FaultStepsOptions): Promise<void> {
  for (const [index, step] of steps.entries()) {
    const label = `fault step ${index + 1}/${steps.length} (${step.name})`;
    await withinDeadline(step.due, options.stepTimeoutMs, `${label}: the run did not get far enough`);
    options.log(`fault: ${step.name}`);
    await withinDeadline(step.inject, options.stepTimeoutMs, `${label} failed`);
  }
}

async function withinDeadline(work: () => Promise<void>, timeoutMs: number, failure: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new FaultStepError(`${failure}: not done after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([
      (async () => work())().catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        throw new FaultStepError(`${failure}: ${reason}`, { cause: error });
      }),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
