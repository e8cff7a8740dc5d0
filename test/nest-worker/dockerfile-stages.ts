import dockerignore from '@balena/dockerignore';
import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { Copy, DockerfileParser, From, JSONInstruction, type Instruction } from 'dockerfile-ast';

/**
 * Builds a Dockerfile's stages on this machine, where no Docker engine runs: each stage is a folder,
 * COPY takes files from the build context as `.dockerignore` admits them (or from an earlier stage),
 * RUN runs in `sh` with the stage's ENV. The base image is this machine's Node.js, so what is checked is
 * the build's own steps — which files reach it, what it installs, what its bundle needs — not the
 * image's OS. No library runs Dockerfiles without an engine (buildah and kaniko need one of their own),
 * so this small interpreter does; dockerfile-ast parses and @balena/dockerignore filters, as Docker does.
 */

/** The build context's files that `.dockerignore` lets through, as paths relative to `contextDir`. */
export async function admittedFiles(contextDir: string): Promise<string[]> {
  const rules = dockerignore().add((await readFile(join(contextDir, '.dockerignore'), 'utf8')).split('\n'));
  const all = await listFiles(contextDir, '');
  return all.filter((file) => !rules.ignores(file)).sort();
}

/** Every file below `dir`; a Git folder and installed packages are never part of a context here. */
async function listFiles(root: string, relative: string): Promise<string[]> {
  const entries = await readdir(join(root, relative), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== '.git' && entry.name !== 'node_modules')
        files.push(...(await listFiles(root, path)));
    } else if (entry.isFile()) files.push(path);
  }
  return files;
}

export interface BuiltStage {
  /** Where the stage's file system root is. */
  readonly root: string;
  /** Its WORKDIR, inside `root`. */
  readonly workdir: string;
  readonly env: Readonly<Record<string, string>>;
  /** The exec-form CMD, if the stage has one. */
  readonly command?: readonly string[];
}

export interface BuildOptions {
  readonly dockerfile: string;
  readonly contextDir: string;
  /** Each stage gets a folder here. */
  readonly outputDir: string;
  /** Added to every RUN's environment (e.g. npm's cache settings). */
  readonly runEnv?: Readonly<Record<string, string>>;
}

/** Builds every stage in order; returns them by name. A failing COPY or RUN throws with its output. */
export async function buildStages(options: BuildOptions): Promise<Map<string, BuiltStage>> {
  const files = await admittedFiles(options.contextDir);
  const document = DockerfileParser.parse(await readFile(options.dockerfile, 'utf8'));
  const stages = new Map<string, BuiltStage>();
  let stage: { name: string; root: string; workdir: string; env: Record<string, string>; command?: string[] };
  stage = { name: '', root: '', workdir: '', env: {} };
  const finish = () => {
    if (stage.name !== '') stages.set(stage.name, stage);
  };
  for (const instruction of document.getInstructions()) {
    switch (instruction.getKeyword()) {
      case 'FROM': {
        finish();
        const name = (instruction as From).getBuildStage() ?? `stage-${stages.size}`;
        const root = join(options.outputDir, name);
        await mkdir(root, { recursive: true });
        stage = { name, root, workdir: root, env: {} };
        break;
      }
      case 'WORKDIR':
        stage.workdir = join(stage.root, argumentsOf(instruction)[0]);
        await mkdir(stage.workdir, { recursive: true });
        break;
      case 'ENV':
        for (const pair of argumentsOf(instruction)) {
          const [key, ...value] = pair.split('=');
          stage.env[key] = value.join('=');
        }
        break;
      case 'COPY':
        await copy(instruction as Copy, stage, stages, files, options.contextDir);
        break;
      case 'RUN':
        await run(instruction.getRawArgumentsContent() ?? '', stage.workdir, {
          ...stage.env,
          ...options.runEnv,
        });
        break;
      case 'CMD':
        stage.command = (instruction as JSONInstruction).getJSONStrings().map((item) => item.getJSONValue());
        break;
      // ARG (the base image only), USER, EXPOSE, HEALTHCHECK: no meaning without a container.
    }
  }
  finish();
  return stages;
}

function argumentsOf(instruction: Instruction): string[] {
  return instruction.getArguments().map((argument) => argument.getValue());
}

async function copy(
  instruction: Copy,
  stage: BuiltStage,
  stages: ReadonlyMap<string, BuiltStage>,
  contextFiles: readonly string[],
  contextDir: string,
): Promise<void> {
  const paths = instruction.getArguments().map((argument) => argument.getValue());
  const destination = paths.pop()!;
  const target = destination.startsWith('/')
    ? join(stage.root, destination)
    : join(stage.workdir, destination);
  const from = instruction
    .getFlags()
    .find((flag) => flag.getName() === 'from')
    ?.getValue();
  for (const source of paths) {
    if (from !== undefined && from !== null) {
      const earlier = stages.get(from);
      if (earlier === undefined) throw new Error(`COPY --from=${from}: no such stage`);
      await cp(join(earlier.root, source), target, { recursive: true });
      continue;
    }
    const base = posix.normalize(source).replace(/\/$/, '');
    const matches = contextFiles.filter((file) => file === base || file.startsWith(`${base}/`));
    if (matches.length === 0) throw new Error(`COPY ${source}: not found in the build context`);
    for (const file of matches) {
      // A file copied to a folder keeps its name; a folder's contents land in the target.
      const inside = file === base ? posix.basename(file) : file.slice(base.length + 1);
      const into =
        file === base && !destination.endsWith('/') && paths.length === 1 ? target : join(target, inside);
      await mkdir(dirname(into), { recursive: true });
      await cp(join(contextDir, file), into);
    }
  }
}

function run(script: string, cwd: string, env: Readonly<Record<string, string>>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script], { cwd, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`RUN ${script} exited ${code}:\n${output.slice(-4000)}`)),
    );
  });
}
