import type { Insertable, Selectable } from 'kysely';
import type { AuditRow, SentMailRow } from '../ports/records-store.ts';
import type { RecordedEvent } from '../domain/index.ts';
import type { AgreementEvent, RegisterRow } from '../domain/index.ts';
import type { AgreementsTable, AuditEventsTable, SentMailTable } from './schema.ts';

export function agreementToRow(row: RegisterRow, lastSequence: number): Insertable<AgreementsTable> {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind,
    parties: JSON.stringify(row.parties),
    stage: row.stage,
    ceremony_at: row.ceremonyAt,
    currency: row.currency,
    funding_required: row.fundingRequired,
    funding_confirmed: row.fundingConfirmed,
    cohort_size: row.cohortSize,
    started_at: row.startedAt,
    updated_at: row.updatedAt,
    last_sequence: lastSequence,
  };
}

export function agreementFromRow(row: Selectable<AgreementsTable>): RegisterRow {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind,
    parties: JSON.parse(row.parties) as string[],
    stage: row.stage,
    ceremonyAt: row.ceremony_at,
    currency: row.currency,
    fundingRequired: Number(row.funding_required),
    fundingConfirmed: Number(row.funding_confirmed),
    cohortSize: Number(row.cohort_size),
    startedAt: row.started_at,
    updatedAt: row.updated_at,
  };
}

export function auditToRow(agreementId: string, { sequence, event }: RecordedEvent): Insertable<AuditEventsTable> {
  return {
    agreement_id: agreementId,
    sequence,
    type: event.type,
    at: event.at,
    actor: event.actor,
    data: JSON.stringify(event),
  };
}

export function auditFromRow(row: Selectable<AuditEventsTable>): AuditRow {
  return {
    agreementId: row.agreement_id,
    sequence: Number(row.sequence),
    type: row.type,
    at: row.at,
    actor: row.actor,
    data: JSON.parse(row.data) as AgreementEvent,
  };
}

export function sentMailFromRow(row: Selectable<SentMailTable>): SentMailRow {
  return {
    key: row.key,
    agreementId: row.agreement_id,
    kind: row.kind,
    recipient: row.recipient,
    subject: row.subject,
    messageId: row.message_id,
    sentAt: row.sent_at,
    status: row.status,
    detail: row.detail ?? undefined,
    resends: Number(row.resends),
    attempt: row.attempt ?? undefined,
    liveUntil: row.live_until ?? undefined,
  };
}
