import { GZIP_SUFFIX, INGESTIBLE_SUFFIXES } from '../../contracts/events';

export type UploadName =
  { readonly ingestible: true } | { readonly ingestible: false; readonly reason: string };

const WANTED = `upload ${INGESTIBLE_SUFFIXES.join(', ')} (optionally ${GZIP_SUFFIX})`;

/**
 * Whether an object's name is an export's: `.json`, `.jsonl` or `.ndjson` in any letter case, optionally
 * followed by `.gz`. The name only decides whether the upload is read at all; whether it is gzip is read
 * from its bytes. Any other upload gets the reason it is skipped, e.g. "unsupported file type .txt: …".
 */
export function uploadName(key: string): UploadName {
  const name = key.slice(key.lastIndexOf('/') + 1);
  if (name === '') return { ingestible: false, reason: `${key} is a folder, not a file: ${WANTED}` };
  const compressed = name.toLowerCase().endsWith(GZIP_SUFFIX) ? GZIP_SUFFIX.length : 0;
  const stem = name.slice(0, name.length - compressed);
  if (INGESTIBLE_SUFFIXES.some((suffix) => stem.toLowerCase().endsWith(suffix))) return { ingestible: true };
  const dot = stem.lastIndexOf('.');
  const type = dot === -1 ? name.slice(name.length - compressed) : name.slice(dot);
  return {
    ingestible: false,
    reason: `unsupported file type ${type || '(none)'}: ${WANTED}`,
  };
}
