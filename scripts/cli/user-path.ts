import { resolve } from 'node:path';

/**
 * A path as the user typed it, made absolute. `npm run` starts scripts in the package root; INIT_CWD
 * is the folder the user ran npm from, so "npm run ingest -- ./export.json" finds the file there.
 */
export function userPath(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}
