import { closeSync, openSync, realpathSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import { makePrivateDirectorySync, makePrivateSync, PRIVATE_FILE_MODE } from '../shared/private-files.ts';
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

/**
 * Opens (creating it if needed) `<home>/records.db` in WAL mode, so readers never wait for the writer. The database
 * and its `-wal` and `-shm` files are the owner's alone (0600, a new home 0700): they hold personal data.
 */
export function openSqliteRecords(home: string): SqliteRecords {
  makePrivateDirectorySync(home);
  const file = path.join(realpathSync(home), SQLITE_FILE_NAME);
  // Created 0600 before SQLite opens it (SQLite would create it 0644 less the umask); its -wal and -shm take its mode.
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  const database = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    database.pragma('journal_mode = WAL');
    // Every commit reaches the disk before the activity that wrote it reports success: with NORMAL, a power loss could
    // drop audit rows already reported written (docs/performance.md has the cost).
    database.pragma('synchronous = FULL');
    // A database made by an older version, or a -wal/-shm left by one, is made private too.
    for (const part of [file, `${file}-wal`, `${file}-shm`]) makePrivateSync(part);
  } catch (error) {
    database.close();
    throw error;
  }
  const db = new Kysely<RecordsDatabase>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return { db, file, serializeWrites: writeLockFor(file) };
}
