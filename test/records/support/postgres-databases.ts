import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import pg from 'pg';

/** Admin connections to try, to the machine's PostgreSQL (trust auth). RECORDS_TEST_PG_ADMIN_URL comes first. */
function adminUrlCandidates(): string[] {
  return [
    process.env.RECORDS_TEST_PG_ADMIN_URL,
    'postgres://postgres@127.0.0.1:5432/postgres',
    `postgres://${encodeURIComponent(userInfo().username)}@127.0.0.1:5432/postgres`,
  ].filter((url): url is string => Boolean(url));
}

/** Throwaway databases on the machine's PostgreSQL, created on demand and all dropped by `dropAll`. */
export class ThrowawayPostgresDatabases {
  private readonly created: string[] = [];
  private admin: { client: pg.Client; url: URL } | undefined;

  private readonly prefix: string;

  constructor(prefix = `records_test_${randomBytes(4).toString('hex')}`) {
    this.prefix = prefix;
  }

  /** Creates an empty database and returns its URL. */
  async create(): Promise<string> {
    const { client, url } = await this.connectAdmin();
    const name = `${this.prefix}_${this.created.length + 1}`;
    await client.query(`create database "${name}"`);
    this.created.push(name);
    const databaseUrl = new URL(url);
    databaseUrl.pathname = `/${name}`;
    return databaseUrl.toString();
  }

  async dropAll(): Promise<void> {
    if (!this.admin) return;
    const { client } = this.admin;
    for (const name of this.created.splice(0)) {
      await client.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
      await client.query(`drop database if exists "${name}"`);
    }
    await client.end();
    this.admin = undefined;
  }

  private async connectAdmin(): Promise<{ client: pg.Client; url: URL }> {
    if (this.admin) return this.admin;
    const failures: string[] = [];
    for (const candidate of adminUrlCandidates()) {
      const client = new pg.Client({ connectionString: candidate, connectionTimeoutMillis: 5000 });
      try {
        await client.connect();
        this.admin = { client, url: new URL(candidate) };
        return this.admin;
      } catch (error) {
        failures.push(`${candidate}: ${error instanceof Error ? error.message : String(error)}`);
        await client.end().catch(() => undefined);
      }
    }
    throw new Error(
      `no PostgreSQL to test against on 127.0.0.1:5432 (set RECORDS_TEST_PG_ADMIN_URL):\n${failures.join('\n')}`,
    );
  }
}
