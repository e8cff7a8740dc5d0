import { open } from 'node:fs/promises';

export const FILE_FORMATS = ['array', 'ndjson'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/** Text is handed to the file in pieces of about this size: few system calls, little memory. */
const FLUSH_CHARACTERS = 1 << 20;

/**
 * Writes values as a JSON array (one value per line) or as NDJSON, streaming: memory holds one piece
 * of text, whatever the number of values. Each write is awaited, so a slow disk slows the producer.
 */
export async function writeJsonItems(
  values: Iterable<unknown>,
  path: string,
  format: FileFormat,
): Promise<{ count: number; bytes: number }> {
  const file = await open(path, 'w');
  let count = 0;
  let bytes = 0;
  let pending = format === 'array' ? '[' : '';
  const flush = async () => {
    bytes += (await file.write(pending)).bytesWritten;
    pending = '';
  };
  try {
    for (const value of values) {
      const text = JSON.stringify(value);
      pending += format === 'ndjson' ? `${text}\n` : `${count === 0 ? '\n' : ',\n'}${text}`;
      count++;
      if (pending.length >= FLUSH_CHARACTERS) await flush();
    }
    if (format === 'array') pending += count === 0 ? ']\n' : '\n]\n';
    await flush();
  } finally {
    await file.close();
  }
  return { count, bytes };
}
