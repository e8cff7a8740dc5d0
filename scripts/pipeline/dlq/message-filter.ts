import { UsageError } from '../../cli/command-line';
import type { Letter } from './letter';

/** Which letters a filtered redrive takes: all of `--filter <attribute>=<value>` and `--reason` must hold. */
export interface LetterFilter {
  readonly attributes: readonly { readonly name: string; readonly value: string }[];
  readonly reason?: string;
}

export function parseFilter(
  filters: readonly string[],
  reason: string | undefined,
): LetterFilter | undefined {
  const attributes = filters.map((filter) => {
    const at = filter.indexOf('=');
    if (at <= 0) throw new UsageError(`--filter takes <attribute>=<value>, not "${filter}"`);
    return { name: filter.slice(0, at), value: filter.slice(at + 1) };
  });
  if (attributes.length === 0 && reason === undefined) return undefined;
  return { attributes, ...(reason !== undefined && { reason }) };
}

export function matches(filter: LetterFilter, letter: Letter): boolean {
  if (filter.reason !== undefined && letter.reason !== filter.reason) return false;
  return filter.attributes.every(({ name, value }) => letter.attributes[name] === value);
}
