import { generateProducts } from './generate-products';
import { writeJsonItems } from './write-json-items';

export interface GeneratedExportOptions {
  readonly count: number;
  readonly invalidRatio: number;
  readonly seed: number;
}

/** An export of both Shein shapes as a JSON array, for the local runs: the same options give the same file. */
export function writeGeneratedExport(
  file: string,
  options: GeneratedExportOptions,
): Promise<{ count: number; bytes: number }> {
  return writeJsonItems(generateProducts({ ...options, shape: 'mixed' }), file, 'array');
}
