import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AuditRow, CertificateRow, RecordsStore, SentMailRow } from '../ports/records-store.ts';
import type { RegisterRow, Stage } from '../domain/index.ts';
import { describeStoreUnreachable, openRecordsStore, SQLITE_FILE_NAME } from '../records/index.ts';
import type { AppConfig } from '../shared/config.ts';
import { AgreementError } from './agreement-error.ts';

/** Read access to the records the workers keep (register, audit trail, sent-mail log), for scripts and the CLI. */
export class RecordsClient {
  private store: RecordsStore | undefined;
  private readonly config: AppConfig;
  /** The SQLite file the records live in, when RECORDS_URL does not name a server. */
  private readonly sqliteFile: string | undefined;

  private constructor(config: AppConfig, sqliteFile: string | undefined) {
    this.config = config;
    this.sqliteFile = sqliteFile;
  }

  static async open(config: AppConfig): Promise<RecordsClient> {
    const client = new RecordsClient(config, config.recordsUrl ? undefined : path.join(config.home, SQLITE_FILE_NAME));
    await client.opened();
    return client;
  }

  /**
   * Where the records are missing, if they are: the SQLite file no worker has created yet. Reading never creates it,
   * so a coordinator in the wrong directory (or with another AGREEMENTS_HOME) is told instead of shown an empty
   * register and left with a stray database.
   */
  get missing(): string | undefined {
    // Without a store, opened() found no file (any other failure threw).
    return this.store === undefined ? this.sqliteFile : undefined;
  }

  /** The audit trail of one agreement, oldest first; an unknown id is an error. */
  async history(agreementId: string): Promise<AuditRow[]> {
    const store = await this.opened();
    const rows = store
      ? await store.history(agreementId).catch((error: unknown) => Promise.reject(unreachable(error)))
      : [];
    if (rows.length > 0) return rows;
    const why = store ? 'unknown id, or no worker has recorded it yet' : noRecordsYet(this.sqliteFile ?? '');
    throw new AgreementError('not-found', `agreement "${agreementId}" has no records (${why})`);
  }

  /** The audit row at which a variation applied (where its certificate was issued); an unknown one is an error. */
  async variationAppliedAt(agreementId: string, variation: string): Promise<number> {
    const row = (await this.history(agreementId)).find(
      ({ data }) => data.type === 'variation-status-changed' && data.variation === variation && data.to === 'applied',
    );
    if (row) return row.sequence;
    throw new AgreementError(
      'not-found',
      `agreement "${agreementId}" has no variation "${variation}" that applied (show lists its variations)`,
    );
  }

  /**
   * The certificate of completion of one agreement, checked against the SHA-256 the register keeps for it; an
   * agreement without one (not all signed yet, or unknown) is an error.
   */
  async certificate(agreementId: string, sequence?: number): Promise<CertificateRow> {
    const store = await this.opened();
    const row = store
      ? await store.certificate(agreementId, sequence).catch((error: unknown) => Promise.reject(unreachable(error)))
      : undefined;
    if (!row) {
      const why = !store
        ? noRecordsYet(this.sqliteFile ?? '')
        : sequence === undefined
          ? 'it is issued when the last signature is in; unknown id, or no worker has recorded it yet'
          : 'certificates are issued at the row where all have signed and where a variation applies';
      const at = sequence === undefined ? '' : ` at audit row ${sequence}`;
      throw new AgreementError(
        'not-found',
        `agreement "${agreementId}" has no certificate of completion${at} (${why})`,
      );
    }
    const actual = createHash('sha256').update(row.pdf).digest('hex');
    if (actual !== row.sha256) {
      throw new AgreementError(
        'rejected',
        `the certificate of completion of "${agreementId}" does not match its SHA-256 in the records (${row.sha256}); it was altered`,
      );
    }
    return row;
  }

  /** The sent-mail log of one agreement, oldest first: each mail's state, and how often it went again. */
  async sentMail(agreementId: string): Promise<SentMailRow[]> {
    const store = await this.opened();
    if (!store) return [];
    return store.sentMail(agreementId).catch((error: unknown) => Promise.reject(unreachable(error)));
  }

  async register(filter: { stage?: Stage } = {}): Promise<RegisterRow[]> {
    const store = await this.opened();
    if (!store) return [];
    return store.register(filter).catch((error: unknown) => Promise.reject(unreachable(error)));
  }

  async close(): Promise<void> {
    await this.store?.close();
  }

  /** The store, opened once it exists: a worker may create the SQLite file after this client was opened. */
  private async opened(): Promise<RecordsStore | undefined> {
    if (this.store) return this.store;
    if (this.sqliteFile !== undefined && !existsSync(this.sqliteFile)) return undefined;
    try {
      const store = await openRecordsStore({
        url: this.config.recordsUrl,
        home: this.config.home,
      });
      // Idempotent: lets the CLI read a store whose schema an older worker created.
      await store.migrate();
      this.store = store;
      return store;
    } catch (error) {
      throw unreachable(error);
    }
  }
}

/** Why nothing can be shown: no worker has written records where this configuration looks. */
export function noRecordsYet(file: string): string {
  return `there are no records at ${file} yet: is AGREEMENTS_HOME the worker's?`;
}

function unreachable(error: unknown): unknown {
  const line = describeStoreUnreachable(error);
  return line ? new AgreementError('unreachable', line) : error;
}
