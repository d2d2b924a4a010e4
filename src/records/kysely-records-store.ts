import type { Kysely } from 'kysely';
import type { RecordsStore, SentMailRow } from '../ports/records-store.ts';
import type { RecordedEvent } from '../domain/index.ts';
import { migrateToLatest } from './migrations.ts';
import {
  agreementFromRow,
  agreementToRow,
  auditFromRow,
  auditToRow,
  certificateFromRow,
  sentMailFromRow,
} from './row-mapping.ts';
import type { RecordsDatabase } from './schema.ts';

/**
 * Runs one write; a dialect may use it to keep writes from overlapping. An `urgent` one goes ahead of those waiting:
 * the outcome of a mail just sent, which until committed a killed worker would send again.
 */
export type WriteSerializer = <T>(write: () => Promise<T>, options?: { urgent?: boolean }) => Promise<T>;

const runDirectly: WriteSerializer = (write) => write();

/** Keeps each multi-row INSERT well under SQLite's bound-parameter limit. */
const AUDIT_ROWS_PER_INSERT = 500;

/** The records store on any Kysely dialect; the dialect-specific parts are only in how `db` was opened. */
export function createKyselyRecordsStore(
  db: Kysely<RecordsDatabase>,
  serializeWrites: WriteSerializer = runDirectly,
): RecordsStore {
  let closed = false;

  async function findSentMail(agreementId: string, key: string): Promise<SentMailRow | undefined> {
    const row = await db
      .selectFrom('sent_mail')
      .selectAll()
      .where('agreement_id', '=', agreementId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && sentMailFromRow(row);
  }

  return {
    migrate: () => serializeWrites(() => migrateToLatest(db as unknown as Kysely<unknown>)),

    recordEvents: (input) =>
      serializeWrites(() =>
        db.transaction().execute(async (trx) => {
          // Ascending order makes concurrent writers lock the same keys in the same order, so they cannot deadlock.
          const events = [...input.events].sort((a, b) => a.sequence - b.sequence);
          for (const chunk of chunks(events, AUDIT_ROWS_PER_INSERT)) {
            await trx
              .insertInto('audit_events')
              .values(chunk.map((recorded) => auditToRow(input.agreementId, recorded)))
              .onConflict((oc) => oc.columns(['agreement_id', 'sequence']).doNothing())
              .execute();
          }
          const lastSequence = events.at(-1)?.sequence;
          const row = agreementToRow(input.register, lastSequence ?? 0, events.at(-1)?.event);
          await trx
            .insertInto('agreements')
            .values(row)
            .onConflict((oc) =>
              lastSequence === undefined
                ? // Without events there is no sequence to order by, so an existing row is left as it is.
                  oc.column('id').doNothing()
                : oc
                    .column('id')
                    .doUpdateSet(({ ref }) => ({
                      title: ref('excluded.title'),
                      kind: ref('excluded.kind'),
                      parties: ref('excluded.parties'),
                      stage: ref('excluded.stage'),
                      ceremony_at: ref('excluded.ceremony_at'),
                      currency: ref('excluded.currency'),
                      funding_required: ref('excluded.funding_required'),
                      funding_confirmed: ref('excluded.funding_confirmed'),
                      cohort_size: ref('excluded.cohort_size'),
                      approved_at: ref('excluded.approved_at'),
                      obligations_open: ref('excluded.obligations_open'),
                      obligations_due: ref('excluded.obligations_due'),
                      started_at: ref('excluded.started_at'),
                      updated_at: ref('excluded.updated_at'),
                      last_sequence: ref('excluded.last_sequence'),
                      updated_by: ref('excluded.updated_by'),
                      updated_by_proof: ref('excluded.updated_by_proof'),
                    }))
                    // A stale retry (older events than already recorded) must not move the register backwards.
                    .whereRef('agreements.last_sequence', '<=', 'excluded.last_sequence'),
            )
            .execute();
        }),
      ),

    findSentMail,

    claimMail: (claim) =>
      serializeWrites(async () => {
        // Twice at most: a claim released between our insert and our update leaves the key free again.
        for (let round = 0; round < 2; round++) {
          const { numInsertedOrUpdatedRows } = await db
            .insertInto('sent_mail')
            .values({
              agreement_id: claim.agreementId,
              key: claim.key,
              kind: claim.kind,
              recipient: claim.recipient,
              subject: claim.subject,
              message_id: claim.messageId,
              sent_at: claim.at,
              status: 'claimed',
              detail: null,
              attempt: claim.attempt,
              live_until: claim.liveUntil,
            })
            .onConflict((oc) => oc.columns(['agreement_id', 'key']).doNothing())
            .executeTakeFirstOrThrow();
          if ((numInsertedOrUpdatedRows ?? 0n) > 0n) return { outcome: 'claimed' };
          // One statement decides a takeover, so two attempts can never both take the same stale claim. The attempt
          // taken over may have left a copy on the server: it is counted now, before the next send goes.
          const takenOver = await db
            .updateTable('sent_mail')
            .set((eb) => ({
              attempt: claim.attempt,
              live_until: claim.liveUntil,
              sent_at: claim.at,
              resends: eb('resends', '+', 1),
            }))
            .where('agreement_id', '=', claim.agreementId)
            .where('key', '=', claim.key)
            .where('status', 'in', ['claimed', 'uncertain'])
            .where((eb) =>
              claim.supersedes === undefined
                ? eb('live_until', '<=', claim.at)
                : eb.or([eb('live_until', '<=', claim.at), eb('attempt', '=', claim.supersedes)]),
            )
            .returningAll()
            .executeTakeFirst();
          if (takenOver) return { outcome: 'claimed', takenOver: sentMailFromRow(takenOver) };
          const current = await findSentMail(claim.agreementId, claim.key);
          if (!current) continue;
          return current.status === 'sent' || current.status === 'refused'
            ? { outcome: 'settled', row: current }
            : { outcome: 'held', row: current };
        }
        throw new Error(`the claim on ${claim.key} kept changing hands`);
      }),

    settleMail: (agreementId, key, attempt, settlement) =>
      serializeWrites(
        async () => {
          const { numUpdatedRows } = await db
            .updateTable('sent_mail')
            .set({
              status: settlement.status,
              sent_at: settlement.at,
              resends: settlement.resends,
              detail: settlement.detail ?? null,
              ...(settlement.status === 'uncertain' ? {} : { live_until: null }),
            })
            .where('agreement_id', '=', agreementId)
            .where('key', '=', key)
            .where('attempt', '=', attempt)
            .where('status', 'in', ['claimed', 'uncertain'])
            .executeTakeFirst();
          return numUpdatedRows > 0n;
        },
        { urgent: true },
      ),

    releaseMail: (agreementId, key, attempt, { at, copiesOut }) =>
      serializeWrites(async () => {
        if (copiesOut === 0) {
          await db
            .deleteFrom('sent_mail')
            .where('agreement_id', '=', agreementId)
            .where('key', '=', key)
            .where('attempt', '=', attempt)
            .where('status', '=', 'claimed')
            .execute();
          return;
        }
        // A takeover adds one resend for its own send: the row holds one fewer than the copies already out.
        await db
          .updateTable('sent_mail')
          .set({ resends: copiesOut - 1, live_until: at })
          .where('agreement_id', '=', agreementId)
          .where('key', '=', key)
          .where('attempt', '=', attempt)
          .where('status', 'in', ['claimed', 'uncertain'])
          .execute();
      }),

    saveCertificate: (certificate) =>
      serializeWrites(() =>
        db.transaction().execute(async (trx) => {
          await trx
            .insertInto('certificates')
            .values({
              agreement_id: certificate.agreementId,
              sequence: certificate.sequence,
              issued_at: certificate.issuedAt,
              sha256: certificate.sha256,
              pdf: Buffer.from(certificate.pdf).toString('base64'),
            })
            .onConflict((oc) => oc.columns(['agreement_id', 'sequence']).doNothing())
            .execute();
          // The register shows the latest certificate's hash, whichever order retries arrive in.
          const latest = await trx
            .selectFrom('certificates')
            .select('sha256')
            .where('agreement_id', '=', certificate.agreementId)
            .orderBy('sequence', 'desc')
            .limit(1)
            .executeTakeFirstOrThrow();
          await trx
            .updateTable('agreements')
            .set({ certificate_sha256: latest.sha256 })
            .where('id', '=', certificate.agreementId)
            .execute();
        }),
      ),

    async certificate(agreementId, sequence) {
      let query = db.selectFrom('certificates').selectAll().where('agreement_id', '=', agreementId);
      if (sequence !== undefined) query = query.where('sequence', '=', sequence);
      const row = await query.orderBy('sequence', 'desc').limit(1).executeTakeFirst();
      return row && certificateFromRow(row);
    },

    async history(agreementId) {
      const rows = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('agreement_id', '=', agreementId)
        .orderBy('sequence')
        .execute();
      return rows.map(auditFromRow);
    },

    async register(filter = {}) {
      let query = db.selectFrom('agreements').selectAll();
      if (filter.stage !== undefined) query = query.where('stage', '=', filter.stage);
      const rows = await query.orderBy('id').execute();
      return rows.map(agreementFromRow);
    },

    async sentMail(agreementId) {
      let query = db.selectFrom('sent_mail').selectAll();
      if (agreementId !== undefined) query = query.where('agreement_id', '=', agreementId);
      const rows = await query.orderBy('sent_at').orderBy('key').orderBy('agreement_id').execute();
      return rows.map(sentMailFromRow);
    },

    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

function chunks(events: RecordedEvent[], size: number): RecordedEvent[][] {
  const result: RecordedEvent[][] = [];
  for (let start = 0; start < events.length; start += size) result.push(events.slice(start, start + size));
  return result;
}
