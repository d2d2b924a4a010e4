import type { AuditRow, SentMailRow } from '../ports/records-store.ts';
import { formatAmount, obligationsOverdue, toMajor, type RegisterRow } from '../domain/index.ts';
import { toCsv } from './csv.ts';
import { localTimes } from './human-times.ts';
import { majorUnits } from './money.ts';
import { toTextTable } from './text-table.ts';

/** Tables show times in the reader's zone (`timeZone`, by default theirs); JSON and CSV keep the ISO instants. */
export type RecordsFormat = 'table' | 'json' | 'csv';
export type RegisterFormat = RecordsFormat;
export type HistoryFormat = RecordsFormat;

const CSV_HEADER = [
  'id',
  'title',
  'kind',
  'parties',
  'stage',
  'ceremony_at',
  'currency',
  'funding_required',
  'funding_confirmed',
  'cohort_size',
  'approved_at',
  'obligations_open',
  'obligations_overdue',
  'started_at',
  'updated_at',
  'updated_by',
  'updated_by_proof',
  'certificate_sha256',
];

/** The register as text ending in a line break: aligned columns, a JSON array, or RFC 4180 CSV (CRLF). Amounts in major units. */
export function formatRegister(
  rows: readonly RegisterRow[],
  format: RegisterFormat,
  now = Date.now(),
  timeZone?: string,
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(
        rows.map((row) => registerJson(row, now)),
        null,
        2,
      )}\n`;
    case 'csv':
      return toCsv([CSV_HEADER, ...rows.map((row) => registerCsvRecord(row, now))]);
    case 'table': {
      const local = localTimes(timeZone);
      return toTextTable(
        [
          'ID',
          'STAGE',
          'KIND',
          'TITLE',
          'CEREMONY',
          'FUNDING (CONFIRMED / REQUIRED)',
          'COHORT',
          'OBLIGATIONS (OPEN / OVERDUE)',
          'LAST CHANGE BY',
        ],
        rows.map((row) => registerTableRow(row, now, local)),
      );
    }
  }
}

/** An agreement's audit trail as text ending in a line break: aligned columns, a JSON array or CSV. Amounts in major units. */
export function formatHistory(rows: readonly AuditRow[], format: HistoryFormat, timeZone?: string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(rows.map(historyJson), null, 2)}\n`;
    case 'csv':
      return toCsv([
        ['sequence', 'at', 'type', 'actor', 'actor_proof', 'detail'],
        ...rows.map((row) => [String(row.sequence), row.at, row.type, row.actor, row.actorProof, eventDetail(row)]),
      ]);
    case 'table': {
      const local = localTimes(timeZone);
      return toTextTable(
        ['SEQ', 'AT', 'TYPE', 'ACTOR', 'PROOF', 'DETAIL'],
        rows.map((row) => [String(row.sequence), local(row.at), row.type, row.actor, row.actorProof, eventDetail(row)]),
      );
    }
  }
}

/** An agreement's sent-mail log as text ending in a line break: aligned columns, a JSON array or CSV. */
export function formatSentMail(rows: readonly SentMailRow[], format: HistoryFormat, timeZone?: string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(rows, null, 2)}\n`;
    case 'csv':
      return toCsv([
        ['sent_at', 'kind', 'recipient', 'subject', 'status', 'resends', 'detail'],
        ...rows.map((row) => [
          row.sentAt,
          row.kind,
          row.recipient,
          row.subject,
          row.status,
          String(row.resends),
          row.detail ?? '',
        ]),
      ]);
    case 'table': {
      const local = localTimes(timeZone);
      return toTextTable(
        ['AT', 'KIND', 'TO', 'STATUS', 'RESENDS', 'DETAIL'],
        rows.map((row) => [
          local(row.sentAt),
          row.kind,
          row.recipient,
          row.status,
          String(row.resends),
          row.detail ?? '',
        ]),
      );
    }
  }
}

function registerJson(row: RegisterRow, now: number) {
  return {
    ...row,
    fundingRequired: toMajor(row.fundingRequired),
    fundingConfirmed: toMajor(row.fundingConfirmed),
    obligationsOverdue: obligationsOverdue(row, now),
  };
}

function registerCsvRecord(row: RegisterRow, now: number): string[] {
  return [
    row.id,
    row.title,
    row.kind,
    row.parties.join(';'),
    row.stage,
    row.ceremonyAt ?? '',
    row.currency ?? '',
    majorUnits(row.fundingRequired),
    majorUnits(row.fundingConfirmed),
    String(row.cohortSize),
    row.approvedAt ?? '',
    String(row.obligationsOpen),
    String(obligationsOverdue(row, now)),
    row.startedAt,
    row.updatedAt,
    row.updatedBy ?? '',
    row.updatedByProof ?? '',
    row.certificateSha256 ?? '',
  ];
}

function registerTableRow(row: RegisterRow, now: number, local: (iso: string) => string): string[] {
  const funding =
    row.currency === null
      ? '-'
      : `${row.currency} ${formatAmount(row.fundingConfirmed)} / ${formatAmount(row.fundingRequired)}`;
  const by = row.updatedBy === undefined ? '-' : `${row.updatedBy} (${row.updatedByProof ?? 'claimed'})`;
  const obligations = row.obligationsOpen === 0 ? '-' : `${row.obligationsOpen} / ${obligationsOverdue(row, now)}`;
  return [
    row.id,
    row.stage,
    row.kind,
    row.title,
    row.ceremonyAt ? local(row.ceremonyAt) : '-',
    funding,
    String(row.cohortSize),
    obligations,
    by,
  ];
}

// The audit trail keeps amounts as recorded, in minor units; what a person or a script reads is in major units.
function historyJson(row: AuditRow): AuditRow {
  return row.data.type === 'funding-confirmed'
    ? { ...row, data: { ...row.data, amount: toMajor(row.data.amount) } }
    : row;
}

/** The event's own fields, `name=value` each (its type, time, actor and proof have columns of their own). */
function eventDetail(row: AuditRow): string {
  const { type: _type, at: _at, actor: _actor, actorProof: _proof, ...fields } = row.data;
  if (row.data.type === 'funding-confirmed') Object.assign(fields, { amount: majorUnits(row.data.amount) });
  return Object.entries(fields)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
}
