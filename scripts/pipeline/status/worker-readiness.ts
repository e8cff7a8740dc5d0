export interface WorkerReadiness {
  readonly url: string;
  readonly ready: boolean;
  /** The HTTP status, or undefined when the request itself failed. */
  readonly status?: number;
  /** The answer's body (the worker names what is not ready), or the request's error. */
  readonly detail: string;
}

const TIMEOUT_MS = 5000;

/** GET <worker>/ready: 200 when the worker's consumers, Redis and SQS are up (docs/worker.md). */
export async function workerReadiness(workerUrl: string): Promise<WorkerReadiness> {
  const url = /\/ready\/?$/.test(workerUrl) ? workerUrl : `${workerUrl.replace(/\/+$/, '')}/ready`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = (await response.text()).trim();
    return { url, ready: response.ok, status: response.status, detail: body.slice(0, 500) };
  } catch (error) {
    return { url, ready: false, detail: (error as Error).message };
  }
}
