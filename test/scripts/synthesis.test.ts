import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isTemplateStale, templatePathOf } from '../../scripts/cli/synthesis';

describe('isTemplateStale', () => {
  let root: string;
  const at = (file: string, secondsAgo: number) => {
    const time = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(path.join(root, file), time, time);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'synthesis-test-'));
    for (const folder of ['cdk.out', 'lib/constructs', 'lambdas/node_modules']) {
      mkdirSync(path.join(root, folder), { recursive: true });
    }
    for (const file of ['cdk.json', 'lib/constructs/workflow.ts', 'lambdas/node_modules/dependency.js']) {
      writeFileSync(path.join(root, file), '');
      at(file, 100);
    }
    for (const folder of ['lib', 'lib/constructs', 'lambdas', 'lambdas/node_modules']) at(folder, 100);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const template = () => templatePathOf(root, 'dev');

  it('is stale when the template is missing', () => {
    expect(template()).toBe(path.join(root, 'cdk.out', 'ProductPipeline-dev.template.json'));
    expect(isTemplateStale(template(), root)).toBe(true);
  });

  it('is fresh when the template is newer than every source', () => {
    writeFileSync(template(), '{}');
    expect(isTemplateStale(template(), root)).toBe(false);
  });

  it('is stale when a nested source file changed after the synth', () => {
    writeFileSync(template(), '{}');
    at('cdk.out/ProductPipeline-dev.template.json', 50);
    expect(isTemplateStale(template(), root)).toBe(false);
    at('lib/constructs/workflow.ts', 10);
    expect(isTemplateStale(template(), root)).toBe(true);
  });

  it("is stale when the local synth's context changed after the synth", () => {
    mkdirSync(path.join(root, 'scripts', 'cli'), { recursive: true });
    writeFileSync(path.join(root, 'scripts', 'cli', 'synthesis.ts'), '');
    writeFileSync(template(), '{}');
    at('cdk.out/ProductPipeline-dev.template.json', 50);
    at('scripts/cli/synthesis.ts', 100);
    expect(isTemplateStale(template(), root)).toBe(false);
    at('scripts/cli/synthesis.ts', 10);
    expect(isTemplateStale(template(), root)).toBe(true);
  });

  it('ignores node_modules inside the sources', () => {
    writeFileSync(template(), '{}');
    at('cdk.out/ProductPipeline-dev.template.json', 50);
    at('lambdas/node_modules/dependency.js', 10);
    at('lambdas/node_modules', 100);
    expect(isTemplateStale(template(), root)).toBe(false);
  });
});
