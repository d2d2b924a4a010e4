import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { RecordsDatabase } from './schema.ts';

/** A host that drops packets should fail the first query in seconds, not hang the CLI. */
const CONNECT_TIMEOUT_MS = 5000;
/**
 * Every statement ends well within the shortest activity timeout (10 s): the server cancels a slow one, and the client
 * gives up on a server that stops answering altogether (no reply, no reset), so the activity fails and is retried.
 */
const STATEMENT_TIMEOUT_MS = 5000;
const QUERY_TIMEOUT_MS = 6000;

export function openPostgresRecords(url: string): Kysely<RecordsDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  // An idle client losing its connection (server restart) emits 'error' on the pool, which would otherwise crash
  // the process; the pool drops that client and the next query connects afresh.
  pool.on('error', () => {});
  // A client that is checked out but between queries (inside a transaction) emits 'error' on itself when the
  // connection drops; without a listener that is an uncaught exception. The pending or next query still fails.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<RecordsDatabase>({ dialect: new PostgresDialect({ pool }) });
}
