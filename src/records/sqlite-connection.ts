import { mkdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { RecordsDatabase } from './schema.ts';
import type { WriteSerializer } from './kysely-records-store.ts';
import { writeLockFor } from './write-lock.ts';

export const SQLITE_FILE_NAME = 'records.db';

/**
 * Lets the CLI wait out the worker's short write transactions instead of failing with SQLITE_BUSY, and stays well
 * within the shortest activity timeout (10 s), so a write stuck behind another process fails and is retried.
 */
const BUSY_TIMEOUT_MS = 5000;

export interface SqliteRecords {
  db: Kysely<RecordsDatabase>;
  file: string;
  serializeWrites: WriteSerializer;
}

const CACHED_STATEMENTS = 100;

/**
 * Kysely prepares every query anew, and better-sqlite3 compiles the SQL each time: keep the compiled statements
 * (a handful of shapes; audit inserts vary with the row count, hence the bound).
 */
function withStatementCache(database: Database.Database): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => void database.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= CACHED_STATEMENTS) statements.clear();
        statement = database.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/** Opens (creating it if needed) `<home>/records.db` in WAL mode, so readers never wait for the writer. */
export function openSqliteRecords(home: string): SqliteRecords {
  mkdirSync(home, { recursive: true });
  const file = path.join(realpathSync(home), SQLITE_FILE_NAME);
  const database = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    database.pragma('journal_mode = WAL');
    // SQLite's advice for WAL: a killed worker loses nothing, and commits do not fsync on the event loop's thread.
    database.pragma('synchronous = NORMAL');
  } catch (error) {
    database.close();
    throw error;
  }
  const db = new Kysely<RecordsDatabase>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return { db, file, serializeWrites: writeLockFor(file) };
}
