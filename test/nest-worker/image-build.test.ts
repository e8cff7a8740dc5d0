import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admittedFiles, buildStages, type BuiltStage } from './dockerfile-stages';

const ROOT = join(__dirname, '..', '..');
const DOCKERFILE = join(ROOT, 'nest-worker', 'Dockerfile');

/**
 * nest-worker/Dockerfile's stages, built from exactly the files .dockerignore admits (the image's
 * esbuild step and npm installs, run here without a Docker engine): the bundle must resolve with only
 * the worker's own code, contracts/ and common/, and start with only the worker's dependencies.
 */
describe('the worker image (nest-worker/Dockerfile, without Docker)', () => {
  let outputDir: string;
  let stages: Map<string, BuiltStage>;

  beforeAll(async () => {
    outputDir = await mkdtemp(join(tmpdir(), 'worker-image-'));
    // npm's cache from this checkout's own install: the same registry, fewer downloads.
    stages = await buildStages({
      dockerfile: DOCKERFILE,
      contextDir: ROOT,
      outputDir,
      runEnv: { npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
    });
  }, 300_000);

  afterAll(async () => {
    await rm(outputDir, { recursive: true, force: true });
  });

  it('sends the build only the worker, the shared code and the manifests', async () => {
    const files = await admittedFiles(ROOT);
    const topLevel = new Set(files.map((file) => file.split('/')[0]));
    expect([...topLevel].sort()).toEqual([
      'common',
      'contracts',
      'nest-worker',
      'package-lock.json',
      'package.json',
      'tsconfig.json',
    ]);
    expect(files).toContain('nest-worker/src/main.ts');
    expect(files.filter((file) => file.endsWith('.test.ts'))).toEqual([]);
  });

  it("installs only the worker's dependencies", () => {
    const modules = join(stages.get('runtime')!.workdir, 'node_modules');
    for (const present of ['@nestjs/core', 'ioredis', '@aws-sdk/client-sqs', 'zod']) {
      expect(existsSync(join(modules, present))).toBe(true);
    }
    for (const absent of ['aws-cdk-lib', 'jest', 'graphql', 'esbuild', 'typescript', 's3rver']) {
      expect(existsSync(join(modules, absent))).toBe(false);
    }
  });

  it('starts the bundle, which refuses a missing configuration with its own message', () => {
    const runtime = stages.get('runtime')!;
    const [command, ...args] = runtime.command!;
    const started = spawnSync(command, args, {
      cwd: runtime.workdir,
      env: { PATH: process.env.PATH, ...runtime.env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(started.stderr).toContain('Invalid worker configuration:');
    expect(started.stderr).toContain('PRODUCT_INGEST_QUEUE_URL: required');
    expect(started.stderr).not.toMatch(/Cannot find module|Could not resolve/);
    expect(started.status).toBe(1);
  });

  it('fails to build when code the worker imports is not in the build context', async () => {
    const build = stages.get('build')!;
    await rm(join(build.workdir, 'common'), { recursive: true });
    const bundled = spawnSync(
      'npx',
      [
        'esbuild',
        'nest-worker/src/main.ts',
        '--bundle',
        '--platform=node',
        '--packages=external',
        '--outfile=x.js',
      ],
      { cwd: build.workdir, encoding: 'utf8' },
    );
    expect(bundled.status).not.toBe(0);
    expect(bundled.stderr).toMatch(/Could not resolve "\.\.\/\.\.\/\.\.\/common\//);
  });
});
