import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { resourcesOfType, synthPipeline } from './synth-helpers';

// The one synth with real esbuild bundling (offline, from the local devDependency).
describe('Lambda bundling', () => {
  const { assembly, template } = synthPipeline({}, { bundle: true });

  it.each(['validate', 'transform', 'publish', 'summarize'])(
    'bundles lambdas/handlers/%s.ts into its asset',
    (name) => {
      const fn = Object.entries(resourcesOfType(template, 'AWS::Lambda::Function')).find(([id]) =>
        id.toLowerCase().startsWith(`functions${name}`),
      )![1];
      const s3Key = (fn.Properties?.Code as { S3Key: string }).S3Key;
      const dir = path.join(assembly.directory, `asset.${s3Key.replace(/\.zip$/, '')}`);
      expect(readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
      const code = readFileSync(path.join(dir, 'index.js'), 'utf8');
      expect(code).toMatch(/exports|module\.exports/);
      expect(code).toContain('handler');
      const sourceMap = JSON.parse(readFileSync(path.join(dir, 'index.js.map'), 'utf8')) as {
        sources: string[];
      };
      expect(sourceMap.sources.some((source) => source.endsWith(`lambdas/handlers/${name}.ts`))).toBe(true);
      expect(statSync(path.join(dir, 'index.js')).size).toBeGreaterThan(0);
    },
  );
});
