import * as path from 'node:path';
import { isTemplateStale, synthesize, templatePathOf } from '../cli/synthesis';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** The dev stack's template, synthesized first when cdk.out is missing or older than the sources. */
export async function devTemplate(): Promise<string> {
  const file = templatePathOf(PROJECT_ROOT, 'dev');
  if (isTemplateStale(file, PROJECT_ROOT)) {
    console.error('Synthesizing ProductPipeline-dev (cdk.out is missing or older than the sources)…');
    await synthesize(PROJECT_ROOT, 'dev');
  }
  return file;
}
