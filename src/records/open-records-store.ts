import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { RecordsStore } from '../ports/records-store.ts';
import { createKyselyRecordsStore, type WriteSerializer } from './kysely-records-store.ts';
import { openPostgresRecords } from './postgres-connection.ts';
import type { RecordsDatabase } from './schema.ts';
import { openSqliteRecords, SQLITE_FILE_NAME } from './sqlite-connection.ts';
import { connectionFailureReason, RecordsStoreUnreachableError, redactRecordsUrl } from './store-unreachable.ts';

export interface RecordsStoreOptions {
  /** RECORDS_URL: unset or empty → SQLite in `home`; `postgres://` or `postgresql://` → PostgreSQL. */
  url?: string;
  /** AGREEMENTS_HOME, where the SQLite file lives. */
  home: string;
}

interface OpenedDatabase {
  db: Kysely<RecordsDatabase>;
  serializeWrites?: WriteSerializer;
}

/**
 * Opens the records store RECORDS_URL selects and checks that it answers; call `migrate()` before using it.
 * Rejects with RecordsStoreUnreachableError (see describeStoreUnreachable) when it cannot be reached.
 */
export async function openRecordsStore(options: RecordsStoreOptions): Promise<RecordsStore> {
  const url = options.url?.trim() ?? '';
  let target: string;
  let open: () => OpenedDatabase;
  if (url === '') {
    target = path.join(options.home, SQLITE_FILE_NAME);
    open = () => openSqliteRecords(options.home);
  } else if (/^postgres(ql)?:\/\//i.test(url)) {
    target = redactRecordsUrl(url);
    open = () => ({ db: openPostgresRecords(url) });
  } else {
    throw new Error(
      `RECORDS_URL must be a postgres:// or postgresql:// URL, or unset for SQLite in AGREEMENTS_HOME (got ${redactRecordsUrl(url)})`,
    );
  }
  const { db, serializeWrites } = await connect(target, open);
  return reportingUnreachable(createKyselyRecordsStore(db, serializeWrites), target);
}

async function connect(target: string, open: () => OpenedDatabase): Promise<OpenedDatabase> {
  let opened: OpenedDatabase | undefined;
  try {
    opened = open();
    await sql`select 1`.execute(opened.db);
    return opened;
  } catch (error) {
    await opened?.db.destroy().catch(() => undefined);
    const reason = connectionFailureReason(error) ?? firstLine(error);
    throw new RecordsStoreUnreachableError(target, reason, { cause: error });
  }
}

/** Turns a lost connection during any operation into the same one-line RecordsStoreUnreachableError. */
function reportingUnreachable(store: RecordsStore, target: string): RecordsStore {
  const guard =
    <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await operation(...args);
      } catch (error) {
        const reason = connectionFailureReason(error);
        throw reason === undefined ? error : new RecordsStoreUnreachableError(target, reason, { cause: error });
      }
    };
  return {
    migrate: guard(store.migrate),
    recordEvents: guard(store.recordEvents),
    findSentMail: guard(store.findSentMail),
    claimMail: guard(store.claimMail),
    settleMail: guard(store.settleMail),
    releaseMail: guard(store.releaseMail),
    saveCertificate: guard(store.saveCertificate),
    certificate: guard(store.certificate),
    history: guard(store.history),
    register: guard(store.register),
    sentMail: guard(store.sentMail),
    close: store.close,
  };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(/\r?\n/, 1)[0] ?? message;
}
