import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../pimcore-simulator/http-io';
import { invalidData } from './errors';

/** The query fields Medusa's list validators accept besides the filters (fields, paging, order). */
const LIST_QUERY_FIELDS = new Set(['fields', 'limit', 'offset', 'order', 'with_deleted']);

/** The filters of a list query; any other field is a 400, as Medusa's strict query validators answer. */
export function readFilter(url: URL, allowed: ReadonlySet<string>): Record<string, string> {
  const filter: Record<string, string> = {};
  for (const [name, value] of Object.entries(readListFilter(url, allowed))) {
    filter[name] = typeof value === 'string' ? value : (value.at(-1) ?? '');
  }
  return filter;
}

/**
 * The filters of a list query as Express's qs parser reads them: `id=a` is a string, `id=a&id=b` and
 * `id[]=a` are lists. Any other field is a 400, as Medusa's strict query validators answer.
 */
export function readListFilter(url: URL, allowed: ReadonlySet<string>): Record<string, string | string[]> {
  const filter: Record<string, string | string[]> = {};
  const unknown: string[] = [];
  for (const [key, value] of url.searchParams) {
    const bracketed = key.endsWith('[]') && allowed.has(key.slice(0, -2));
    const name = bracketed ? key.slice(0, -2) : key;
    if (allowed.has(name)) {
      const previous = filter[name];
      if (previous === undefined) filter[name] = bracketed ? [value] : value;
      else filter[name] = [...(typeof previous === 'string' ? [previous] : previous), value];
    } else if (!LIST_QUERY_FIELDS.has(name)) unknown.push(name);
  }
  if (unknown.length > 0) throw invalidData(`Invalid request: Unrecognized fields: '${unknown.join(', ')}'`);
  return filter;
}

/** A list answer, `{ <name>: [...], count, offset, limit }`; the default limit differs per route. */
export function sendPage(
  response: ServerResponse,
  name: string,
  all: readonly unknown[],
  url: URL,
  defaultLimit = 50,
): void {
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const limit = Number(url.searchParams.get('limit') ?? defaultLimit);
  sendJson(response, 200, { [name]: all.slice(offset, offset + limit), count: all.length, offset, limit });
}

export async function readJson(request: IncomingMessage): Promise<unknown> {
  const text = await readBody(request);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidData('Invalid request: body is not JSON');
  }
}

/** `/admin/products/:id` against a path: the named segments, or undefined when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const wanted = pattern.split('/');
  const actual = path.split('/');
  if (wanted.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of wanted.entries()) {
    const value = actual[index] ?? '';
    if (segment.startsWith(':')) {
      if (value === '') return undefined;
      params[segment.slice(1)] = decodeURIComponent(value);
    } else if (segment !== value) return undefined;
  }
  return params;
}

/** A route Medusa does not have reaches Express's default handler: an HTML page, not JSON. */
export function sendNotFoundRoute(response: ServerResponse, method: string, path: string): void {
  const escaped = `${method} ${path}`.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
  const page = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${escaped}</pre>\n</body>\n</html>\n`;
  response.writeHead(404, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(page),
  });
  response.end(page);
}
