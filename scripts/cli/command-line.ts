import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** A command line the script cannot run with; the script prints the message and its usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_USAGE = 2;

/** `--help` was given: runCommand prints the usage on stdout and exits 0. */
class HelpRequested extends Error {}

const HELP_OPTION = { help: { type: 'boolean' } } as const;

/**
 * node:util parseArgs in strict mode, with its complaints (unknown flag, missing value) turned into
 * UsageError so every script reports them the same way. Every script takes `--help`, answered here.
 */
export function parseCommandLine<Options extends ParseArgsOptionsConfig>(
  args: string[],
  options: Options,
  positionals: { readonly min: number; readonly max: number },
) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, ...HELP_OPTION },
      allowPositionals: positionals.max > 0,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min) throw new UsageError('missing argument');
  if (count > positionals.max) throw new UsageError(`unexpected argument "${parsed.positionals.at(-1)}"`);
  // The generic Options hide the added flag from parseArgs' inferred values type.
  if ((parsed.values as { help?: boolean }).help === true) throw new HelpRequested();
  return parsed;
}

/** A whole number ≥ min from a flag's text, or the fallback when the flag is absent. */
export function wholeNumber(text: string | undefined, flag: string, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${flag} must be a whole number of at least ${min}, not "${text}"`);
  }
  return value;
}

/** One of a fixed list of words, or the fallback when the flag is absent. */
export function oneOf<Word extends string>(
  text: string | undefined,
  flag: string,
  words: readonly Word[],
  fallback: Word,
): Word {
  if (text === undefined) return fallback;
  const word = words.find((candidate) => candidate === text);
  if (word === undefined) throw new UsageError(`--${flag} must be one of ${words.join(', ')}, not "${text}"`);
  return word;
}

/**
 * Runs a script's main function and exits with its code. `--help` prints the usage text (exit 0); a
 * UsageError prints the message and the usage text to stderr (exit 2); anything else propagates, so a
 * bug shows its stack.
 */
export function runCommand(usage: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof HelpRequested) {
        console.log(usage);
        process.exitCode = 0;
        return;
      }
      if (!(error instanceof UsageError)) throw error;
      console.error(`${error.message}\n\n${usage}`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
