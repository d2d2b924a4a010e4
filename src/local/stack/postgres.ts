import pg from 'pg';
import type { StackSettings } from './settings.ts';

/** The stack's own databases on the machine's PostgreSQL. */
export interface StackDatabases {
  temporal: string;
  visibility: string;
  records: string;
}

export function stackDatabases(prefix: string): StackDatabases {
  return { temporal: `${prefix}_temporal`, visibility: `${prefix}_visibility`, records: `${prefix}_records` };
}

/** The administrator's URL pointed at another database, same credentials. */
export function databaseUrl(admin: URL, database: string): string {
  const url = new URL(admin.href);
  url.pathname = `/${database}`;
  return url.href;
}

/** Where PostgreSQL is, in the terms of Temporal's config and SQL tool (POSTGRES_SEEDS, DB_PORT, …). */
export function temporalPostgresEnv(settings: StackSettings, databases: StackDatabases): Record<string, string> {
  const url = settings.postgresUrl;
  return {
    POSTGRES_SEEDS: url.hostname.replace(/^\[|\]$/g, ''),
    DB_PORT: url.port || '5432',
    POSTGRES_USER: decodeURIComponent(url.username) || 'postgres',
    POSTGRES_PWD: decodeURIComponent(url.password),
    DBNAME: databases.temporal,
    VISIBILITY_DBNAME: databases.visibility,
  };
}

async function withAdmin<T>(admin: URL, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: admin.href, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** One line for a PostgreSQL the stack cannot reach or may not create databases on, naming the URL without its password. */
export function postgresUnreachable(admin: URL, error: unknown): string {
  const shown = new URL(admin.href);
  if (shown.password) shown.password = '***';
  const reason = error instanceof Error ? error.message : String(error);
  return `cannot use PostgreSQL at ${shown.href} (${reason}); start it, or set STACK_POSTGRES_URL to an account that may create databases`;
}

/** Creates the records database if it is missing (Temporal's two are created by its SQL tool). */
export async function ensureRecordsDatabase(admin: URL, name: string): Promise<void> {
  await withAdmin(admin, async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    // Identifiers cannot be bound parameters; `name` is checked against [a-z0-9_] by the settings.
    if (found.rowCount === 0) await client.query(`create database "${name}"`);
  });
}

/** Drops the stack's databases (throwaway stacks of the tests), closing any session still on them. */
export async function dropDatabases(admin: URL, databases: StackDatabases): Promise<void> {
  await withAdmin(admin, async (client) => {
    for (const name of Object.values(databases)) await client.query(`drop database if exists "${name}" with (force)`);
  });
}
