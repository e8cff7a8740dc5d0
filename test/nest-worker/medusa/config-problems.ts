import { loadWorkerConfig } from '../../../nest-worker/src/config/worker-config';

/** The lines of the worker's start-up error for this environment (none when it is valid). */
export function configProblems(env: Record<string, string | undefined>): string[] {
  try {
    loadWorkerConfig(env);
    return [];
  } catch (error) {
    return (error as Error).message.split('\n').slice(1);
  }
}
