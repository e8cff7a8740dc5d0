import { z } from 'zod';

/**
 * The rules every environment variable of the worker is read by, in one place:
 * - unset: its default, or nothing if it is optional; a required one is "required: <what>";
 * - set to the empty string: refused, naming what unsetting it would mean (`WORKER_PREFETCH=` is a
 *   mistake, never 0, the default or "off");
 * - otherwise the value's own check (a whole number in decimal digits within a range, one of a list of
 *   names, a URL of the given schemes, …).
 * No message repeats the value (a secret, or a password in a URL, must not reach a log).
 */

/** A value's check: what it must be, in words ("a whole number from 0 to 100"), and its schema. */
export interface EnvValue<T> {
  readonly what: string;
  readonly schema: z.ZodType<T, string>;
}

/** The value as given, non-empty, then checked; the absent case is left to the callers below. */
function present<T>(value: EnvValue<T>, whenEmpty: string, whenAbsent: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? whenAbsent : `expected ${value.what}`) })
    .refine((text) => text !== '', { error: `empty — ${whenEmpty}`, abort: true })
    .pipe(value.schema);
}

/** Must be set: absent, it is "required: <what>". */
export function requiredEnv<T>(value: EnvValue<T>) {
  return present(value, `give ${value.what}`, `required: ${value.what}`);
}

/** Unset, it is `fallback`; `shown` is how the messages spell the default (the value by default). */
export function envWithDefault<T>(
  value: EnvValue<T>,
  fallback: z.core.util.NoUndefined<NoInfer<T>>,
  shown = String(fallback),
) {
  return present(value, `unset it for the default (${shown}) or give ${value.what}`, '').default(fallback);
}

/** Unset, it is undefined; `unsetMeans` says what that does, e.g. "token mode off". */
export function optionalEnv<T>(value: EnvValue<T>, unsetMeans: string) {
  return present(value, `unset it (${unsetMeans}) or give ${value.what}`, '').optional();
}

/** Plain decimal digits only: no sign, spaces, exponent, fraction, separators or hexadecimal. */
export function wholeNumber(min: number, max: number): EnvValue<number> {
  const what = `a whole number from ${min} to ${max}`;
  const schema = z.string().transform((text, ctx) => {
    const number = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
    if (number >= min && number <= max) return number;
    ctx.addIssue({ code: 'custom', message: `expected ${what} (decimal digits only)` });
    return z.NEVER;
  });
  return { what, schema };
}

/** One of these names, exactly as written. */
export function oneOf<const T extends readonly [string, ...string[]]>(names: T): EnvValue<T[number]> {
  const what =
    names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return { what, schema: z.enum(names, { error: `expected ${what}` }) };
}

/**
 * An absolute URL (`scheme://host…`) with one of these schemes (`['http', 'https']`), as given. A value
 * that does not parse (or has spaces around it) is "not a URL"; another scheme "must be http or https".
 */
export function urlOf(schemes: readonly [string, ...string[]], what: string): EnvValue<string> {
  const allowed = oneOf(schemes).what;
  const schema = z.string().transform((text, ctx) => {
    let url: URL | undefined;
    try {
      // "scheme://": WHATWG would also read `http:host` or `http:/host`, which the clients refuse.
      url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) ? new URL(text) : undefined;
    } catch {
      url = undefined;
    }
    if (url !== undefined && !schemes.includes(url.protocol.slice(0, -1))) {
      ctx.addIssue({ code: 'custom', message: `must be ${allowed}: expected ${what}` });
      return z.NEVER;
    }
    if (url === undefined || url.hostname === '' || text.trim() !== text) {
      ctx.addIssue({ code: 'custom', message: `not a URL: expected ${what}` });
      return z.NEVER;
    }
    return text;
  });
  return { what, schema };
}

/** Any other non-empty text, checked by `schema` (a pattern, an e-mail address, a list, …). */
export function textOf<T>(what: string, schema: z.ZodType<T, string>): EnvValue<T> {
  return { what, schema };
}
