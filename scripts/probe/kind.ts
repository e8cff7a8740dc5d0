import type { ProbeStack } from './probe-stack';

/** The system's boundaries a hostile user or a tired operator can reach (issue 15). */
export const BOUNDARIES = ['files', 'webhook', 'queue', 'configuration', 'process'] as const;
export type Boundary = (typeof BOUNDARIES)[number];

/**
 * How a kind shares the machine with the others:
 * - `stack`: against the running local stack, beside other such kinds;
 * - `process`: child processes of its own (a worker with a bad environment, a CLI), no stack; a few at
 *   a time, since each costs a Node.js start on a 2-core machine;
 * - `alone`: it disturbs the stack (restarts Redis, kills a worker) or reads its counters, so it runs
 *   with nothing else in flight, after the others.
 */
export type Lane = 'stack' | 'process' | 'alone';

/** What a kind saw, in a few words, and whether that is what the system must do. */
export interface Seen {
  readonly seen: string;
  readonly ok: boolean;
}

/** What a kind runs with: the stack (for the `stack` and `alone` lanes) and a folder for its files. */
export interface ProbeContext {
  /** The running local stack; throws for a kind of the `process` lane, which has none. */
  stack(): ProbeStack;
  /** The dev stack's template (synthesized first when stale, once per run). */
  template(): Promise<string>;
  /** A folder of the kind's own, removed after the run. */
  readonly workDir: string;
  /** Progress, on stderr. */
  log(line: string): void;
}

/** One kind of hostile input or fault: what the system must do with it, and how to try it. */
export interface Kind {
  /** Short and unique: `--only` matches substrings of it. */
  readonly name: string;
  readonly boundary: Boundary;
  readonly expected: string;
  readonly lane: Lane;
  run(context: ProbeContext): Promise<Seen>;
}

/** A kind's verdict from the checks that must all hold; `seen` says what was observed. */
export function judged(seen: string, ...checks: readonly boolean[]): Seen {
  return { seen, ok: checks.every(Boolean) };
}

/** Text as the table shows it: one line, at most `max` characters. */
export function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * A stack trace line or a source path (`    at f (/…/x.ts:1:2)`, `x.ts:12`, node_modules): what must never
 * leave the system or reach an operator's console.
 */
export const STACK_OR_PATH = /^\s+at |\.[cm]?[jt]s:\d+|node_modules|\/(lambdas|nest-worker|local|scripts)\//m;
