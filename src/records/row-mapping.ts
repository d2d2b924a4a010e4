import type { Insertable, Selectable } from 'kysely';
import type { AuditRow, CertificateRow, SentMailRow } from '../ports/records-store.ts';
import type { RecordedEvent } from '../domain/index.ts';
import type { AgreementEvent, RegisterRow } from '../domain/index.ts';
import type { AgreementsTable, AuditEventsTable, CertificatesTable, SentMailTable } from './schema.ts';

/** The actors of events the workflow makes itself: a planned moment (`system`), a cancel through Temporal (`temporal`). */
const WORKFLOW_ACTORS = new Set(['system', 'temporal']);

/** How an actor was established, for rows that do not say: the workflow's own events, and those from before. */
export function actorProofOf(actor: string, recorded: string | null | undefined): string {
  return recorded ?? (WORKFLOW_ACTORS.has(actor) ? 'system' : 'claimed');
}

export function agreementToRow(
  row: RegisterRow,
  lastSequence: number,
  lastEvent?: AgreementEvent,
): Insertable<AgreementsTable> {
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
    approved_at: row.approvedAt,
    obligations_open: row.obligationsOpen,
    obligations_due: JSON.stringify(row.obligationsDue),
    started_at: row.startedAt,
    updated_at: row.updatedAt,
    last_sequence: lastSequence,
    updated_by: lastEvent?.actor ?? null,
    updated_by_proof: lastEvent === undefined ? null : actorProofOf(lastEvent.actor, lastEvent.actorProof),
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
    approvedAt: row.approved_at,
    obligationsOpen: Number(row.obligations_open),
    obligationsDue: JSON.parse(row.obligations_due) as string[],
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    ...(row.updated_by === null
      ? {}
      : { updatedBy: row.updated_by, updatedByProof: actorProofOf(row.updated_by, row.updated_by_proof) }),
    ...(row.certificate_sha256 === null ? {} : { certificateSha256: row.certificate_sha256 }),
  };
}

export function auditToRow(agreementId: string, { sequence, event }: RecordedEvent): Insertable<AuditEventsTable> {
  return {
    agreement_id: agreementId,
    sequence,
    type: event.type,
    at: event.at,
    actor: event.actor,
    actor_proof: event.actorProof ?? null,
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
    actorProof: actorProofOf(row.actor, row.actor_proof),
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

export function certificateFromRow(row: Selectable<CertificatesTable>): CertificateRow {
  return {
    agreementId: row.agreement_id,
    sequence: Number(row.sequence),
    issuedAt: row.issued_at,
    sha256: row.sha256,
    pdf: new Uint8Array(Buffer.from(row.pdf, 'base64')),
  };
}
