/** What one measured job (scripts/bench/measure-run.ts) reports on its last stdout line. */
export interface Measurement {
  readonly products: number;
  /** Time of the job itself, without process start-up and module loading. */
  readonly seconds: number;
  /** The process's resident-memory high-water mark. */
  readonly peakRssMb: number;
}

export const JOBS = ['parse', 'ingest'] as const;
export type Job = (typeof JOBS)[number];
