import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MEDUSA_DIR } from './medusa-project';

/** The slice of node-postgres used here; pg comes with Medusa, so the root install does not need it. */
interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}
type PgModule = { Client: new (config: { connectionString: string }) => PgClient };

function pg(): PgModule {
  return createRequire(join(MEDUSA_DIR, 'package.json'))('pg') as PgModule;
}

/** Only names this module makes: letters, digits and underscores, so they need no quoting rules. */
function checkName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
    throw new Error(`refusing database name ${JSON.stringify(name)}`);
  return name;
}

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${checkName(name)}`;
  return url.toString();
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new (pg().Client)({ connectionString: databaseUrl(serverUrl, 'postgres') });
  try {
    await client.connect();
    await client.query(sql);
  } catch (error: unknown) {
    const where = new URL(serverUrl).host;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`PostgreSQL at ${where}: ${sql}: ${reason}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function createDatabase(serverUrl: string, name: string): Promise<void> {
  return onServer(serverUrl, `CREATE DATABASE ${checkName(name)}`);
}

/** FORCE ends the connections a killed server may have left (PostgreSQL ≥ 13). */
export function dropDatabase(serverUrl: string, name: string): Promise<void> {
  return onServer(serverUrl, `DROP DATABASE IF EXISTS ${checkName(name)} WITH (FORCE)`);
}
