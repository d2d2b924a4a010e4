import type { AuditRow, RecordsStore } from '../activities/ports.ts';
import type { RegisterRow, Stage } from '../domain/index.ts';
import { describeStoreUnreachable, openRecordsStore } from '../records/index.ts';
import type { AppConfig } from '../shared/config.ts';
import { AgreementError } from './errors.ts';

/** Read access to the records the workers keep (register, audit trail, sent-mail log), for scripts and the CLI. */
export class RecordsClient {
  private constructor(readonly store: RecordsStore) {}

  static async open(config: AppConfig): Promise<RecordsClient> {
    try {
      const store = await openRecordsStore({ ...(config.recordsUrl ? { url: config.recordsUrl } : {}), home: config.home });
      // Idempotent: lets the CLI read a store no worker has written to yet.
      await store.migrate();
      return new RecordsClient(store);
    } catch (error) {
      throw unreachable(error);
    }
  }

  /** The audit trail of one agreement, oldest first; an unknown id is an error. */
  async history(agreementId: string): Promise<AuditRow[]> {
    const rows = await this.store.history(agreementId).catch((error: unknown) => Promise.reject(unreachable(error)));
    if (rows.length === 0) throw new AgreementError('not-found', `agreement "${agreementId}" has no records (unknown id, or no worker has recorded it yet)`);
    return rows;
  }

  async register(filter: { stage?: Stage } = {}): Promise<RegisterRow[]> {
    return this.store.register(filter).catch((error: unknown) => Promise.reject(unreachable(error)));
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}

function unreachable(error: unknown): unknown {
  const line = describeStoreUnreachable(error);
  return line ? new AgreementError('unreachable', line) : error;
}
