import type { AuditRow, SentMailRow } from '../ports/records-store.ts';
import { obligationsOverdue, toMajor, type RegisterRow } from '../domain/index.ts';
import { toCsv } from './csv.ts';
import { toTextTable } from './text-table.ts';

export type RegisterFormat = 'table' | 'json' | 'csv';
export type HistoryFormat = 'table' | 'json';

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
];

/** The register as text ending in a line break: aligned columns, a JSON array, or RFC 4180 CSV (CRLF). Amounts in major units. */
export function formatRegister(rows: readonly RegisterRow[], format: RegisterFormat, now = Date.now()): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(
        rows.map((row) => registerJson(row, now)),
        null,
        2,
      )}\n`;
    case 'csv':
      return toCsv([CSV_HEADER, ...rows.map((row) => registerCsvRecord(row, now))]);
    case 'table':
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
        rows.map((row) => registerTableRow(row, now)),
      );
  }
}

/** An agreement's audit trail as text ending in a line break: aligned columns or a JSON array. Amounts in major units. */
export function formatHistory(rows: readonly AuditRow[], format: HistoryFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(rows.map(historyJson), null, 2)}\n`;
    case 'table':
      return toTextTable(
        ['SEQ', 'AT', 'TYPE', 'ACTOR', 'PROOF', 'DETAIL'],
        rows.map((row) => [String(row.sequence), row.at, row.type, row.actor, row.actorProof, eventDetail(row)]),
      );
  }
}

/** An agreement's sent-mail log as text ending in a line break: aligned columns or a JSON array. */
export function formatSentMail(rows: readonly SentMailRow[], format: HistoryFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(rows, null, 2)}\n`;
    case 'table':
      return toTextTable(
        ['AT', 'KIND', 'TO', 'STATUS', 'RESENDS', 'DETAIL'],
        rows.map((row) => [row.sentAt, row.kind, row.recipient, row.status, String(row.resends), row.detail ?? '']),
      );
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
  ];
}

function registerTableRow(row: RegisterRow, now: number): string[] {
  const funding =
    row.currency === null
      ? '-'
      : `${row.currency} ${majorUnits(row.fundingConfirmed, true)} / ${majorUnits(row.fundingRequired, true)}`;
  const by = row.updatedBy === undefined ? '-' : `${row.updatedBy} (${row.updatedByProof ?? 'claimed'})`;
  const obligations = row.obligationsOpen === 0 ? '-' : `${row.obligationsOpen} / ${obligationsOverdue(row, now)}`;
  return [
    row.id,
    row.stage,
    row.kind,
    row.title,
    row.ceremonyAt ?? '-',
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

/** Minor units → `1350000.50` (or `1,350,000.50`), in integer arithmetic so no amount is ever off by a cent. */
function majorUnits(minor: number, grouped = false): string {
  const sign = minor < 0 ? '-' : '';
  const cents = Math.abs(Math.trunc(minor));
  const whole = String(Math.floor(cents / 100));
  const fraction = String(cents % 100).padStart(2, '0');
  return `${sign}${grouped ? whole.replace(/\B(?=(\d{3})+$)/g, ',') : whole}.${fraction}`;
}
