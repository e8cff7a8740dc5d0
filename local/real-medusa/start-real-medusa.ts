import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedStore, type SeededStore } from './admin-seed';
import { createDatabase, databaseUrl, dropDatabase } from './database';
import { ensureMedusaInstalled } from './medusa-project';
import { MedusaServer, runMedusaCli, type MedusaEnv } from './medusa-process';

export interface RealMedusaOptions {
  /** The PostgreSQL server (its database part is ignored); MEDUSA_TEST_POSTGRES_URL or the local one. */
  readonly postgresUrl?: string;
  /** 0 or absent: a free port. */
  readonly port?: number;
  /** How long `medusa start` may take to answer /health. */
  readonly bootTimeoutMs?: number;
  /** Progress lines (install, migrate, boot, seed) with their timings. */
  readonly progress?: (line: string) => void;
  /** Aborting stops the start between steps (a running migration is killed) and cleans up. */
  readonly signal?: AbortSignal;
}

/** A running Medusa 2.21.2 seeded for the pipeline; field names as on MedusaSimulator where they overlap. */
export interface RealMedusa extends SeededStore {
  readonly url: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
  readonly databaseName: string;
  readonly logFile: string;
  /** Kills the server's process group and drops its database; the log is removed unless `keepLog`. */
  stop(options?: { keepLog?: boolean }): Promise<void>;
}

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A real Medusa on this machine: installs medusa/ if needed, makes a fresh database, migrates it,
 * creates an admin user, starts `medusa start` on a free port and seeds what a storefront needs. If
 * any step fails, what was started is stopped and the database dropped before the error is thrown.
 */
export async function startRealMedusa(options: RealMedusaOptions = {}): Promise<RealMedusa> {
  const progress = options.progress ?? (() => undefined);
  const postgresUrl = options.postgresUrl ?? process.env.MEDUSA_TEST_POSTGRES_URL ?? DEFAULT_POSTGRES_URL;
  const suffix = randomBytes(6).toString('hex');
  const databaseName = `medusa_test_${suffix}`;
  const logFile = join(tmpdir(), `medusa-real-${suffix}.log`);
  const admin = { email: 'admin@pipeline.test', password: randomBytes(12).toString('base64url') };
  const env: MedusaEnv = {
    DATABASE_URL: databaseUrl(postgresUrl, databaseName),
    JWT_SECRET: randomBytes(32).toString('hex'),
    COOKIE_SECRET: randomBytes(32).toString('hex'),
    ...(options.port ? { PORT: String(options.port) } : {}),
  };
  const { signal } = options;
  const timed = async <T>(what: string, step: () => Promise<T>): Promise<T> => {
    signal?.throwIfAborted();
    const started = Date.now();
    const result = await step();
    progress(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  };

  await timed('medusa/ install checked', () => ensureMedusaInstalled(logFile, progress, signal));
  let server: MedusaServer | undefined;
  let databaseCreated = false;
  const cleanUp = async (keepLog: boolean): Promise<void> => {
    await server?.stop();
    if (databaseCreated) await dropDatabase(postgresUrl, databaseName);
    if (!keepLog) rmSync(logFile, { force: true });
  };
  try {
    await createDatabase(postgresUrl, databaseName);
    databaseCreated = true;
    await timed(`database ${databaseName} migrated`, () =>
      runMedusaCli(['db:migrate'], env, logFile, signal),
    );
    await timed('admin user created', () =>
      runMedusaCli(['user', '-e', admin.email, '-p', admin.password], env, logFile, signal),
    );
    const started = await timed('medusa start healthy', async () => {
      server = await MedusaServer.start(env, logFile);
      await server.waitUntilHealthy(options.bootTimeoutMs ?? 120_000, signal);
      return server;
    });
    const seeded = await timed('store seeded', () => seedStore(started.url, admin.email, admin.password));
    signal?.throwIfAborted();
    return {
      ...seeded,
      url: started.url,
      adminEmail: admin.email,
      adminPassword: admin.password,
      databaseName,
      logFile,
      stop: (stopOptions = {}) => cleanUp(stopOptions.keepLog ?? false),
    };
  } catch (error: unknown) {
    // The log explains a failure; after an abort there is nothing to explain.
    await cleanUp(!signal?.aborted).catch(() => undefined);
    throw error;
  }
}
