import type { ColumnType, Generated } from 'kysely';
import type { EventType, Stage } from '../domain/index.ts';
import type { SentMailStatus } from '../ports/records-store.ts';

/** Integer minor units: `bigint` on PostgreSQL, which `pg` hands back as a string. */
type MinorUnits = ColumnType<number | string, number, number>;

export interface AgreementsTable {
  id: string;
  title: string;
  kind: string;
  /** JSON array of party ids. */
  parties: string;
  stage: Stage;
  ceremony_at: string | null;
  currency: string | null;
  funding_required: MinorUnits;
  funding_confirmed: MinorUnits;
  cohort_size: number;
  started_at: string;
  updated_at: string;
  /** Highest audit sequence this row reflects; the row never moves back to an older one. */
  last_sequence: number;
  /** The actor of that last event, and how it was established (null on rows from before verified actors). */
  updated_by: string | null;
  updated_by_proof: string | null;
  approved_at: string | null;
  obligations_open: Generated<number>;
  /** JSON array of the open obligations' due moments: overdue is counted when the register is read. */
  obligations_due: Generated<string>;
  /** The SHA-256 of the latest certificate of completion (null until all have signed). */
  certificate_sha256: Generated<string | null>;
}

export interface CertificatesTable {
  agreement_id: string;
  /** The audit row of the moment it certifies (the stage change the last signature caused). */
  sequence: number;
  issued_at: string;
  sha256: string;
  /** The PDF, base64. */
  pdf: string;
}

export interface AuditEventsTable {
  agreement_id: string;
  sequence: number;
  type: EventType;
  at: string;
  actor: string;
  /** `claimed`, `token:<key id>`; null for the workflow's own events and rows from before verified actors. */
  actor_proof: string | null;
  /** The whole event as JSON. */
  data: string;
}

export interface SentMailTable {
  key: string;
  agreement_id: string;
  kind: string;
  recipient: string;
  subject: string;
  message_id: string;
  sent_at: string;
  status: SentMailStatus;
  detail: string | null;
  resends: Generated<number>;
  attempt: string | null;
  live_until: string | null;
}

export interface RecordsDatabase {
  agreements: AgreementsTable;
  audit_events: AuditEventsTable;
  sent_mail: SentMailTable;
  certificates: CertificatesTable;
}
