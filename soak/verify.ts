import type { AuditRow, RecordsStore } from '../src/ports/records-store.ts';
import { scheduledMailKeys } from './scheduled-mail.ts';
import type { AgreementsClient } from '../src/client/agreements-client.ts';
import {
  evolve,
  initialState,
  notificationsForEvent,
  parseAgreement,
  type AgreementEvent,
} from '../src/domain/index.ts';
import { workflowIdFor } from '../src/wire/contract.ts';
import type { DriveOutcome } from './scenario.ts';
import type { ReceivedMail } from '../test/mail/support/smtp-sink.ts';

export interface AgreementFindings {
  id: string;
  /** The register's stage for this agreement (records store). */
  registerStage: string | undefined;
  auditRows: number;
  /** The workflow's own count of accepted events (its final state), when it finished. */
  workflowEvents: number | undefined;
  auditGaps: number[];
  auditDuplicates: number[];
  /** Keys that had to arrive: event-caused ones (replayed from the audit trail), the workflow's scheduled sends, the log's 'sent' rows. */
  expectedKeys: number;
  missing: string[];
  /** Keys the sink received more than once, with their arrival times (resends the log owns to are not among them). */
  duplicates: { key: string; count: number; receivedAt: number[] }[];
  /**
   * Copies sent again, with the same Message-ID, because the sender could not know whether the server had the first
   * (a line broken after the final dot, an attempt killed after it); the sent-mail log counts each one.
   */
  uncertainResends: number;
  /** Keys in the sink that nothing asked for. */
  unexpected: string[];
  /** Commands whose effect the audit trail shows more than once (a retried command applied twice). */
  appliedTwice: string[];
  /** Commands the driver saw succeed whose effect the audit trail lacks. */
  lost: string[];
  /** How many mails of each kind arrived (coverage of every notification kind). */
  kinds: Record<string, number>;
}

/** Keys of every mail activity the workflow scheduled, from its event history (the server's record). */
async function scheduledKeys(agreements: AgreementsClient, id: string): Promise<string[]> {
  const history = await agreements.client.withDeadline(Date.now() + 60_000, () =>
    agreements.client.workflow.getHandle(workflowIdFor(id)).fetchHistory(),
  );
  return scheduledMailKeys(history);
}

/** The notifications the accepted events cause, replaying the audit trail through the pure domain. */
function eventCausedKeys(document: Record<string, unknown>, rows: AuditRow[]): string[] {
  const parsed = parseAgreement(document);
  const first = rows[0];
  if (!parsed.ok || !first) return [];
  let state = initialState(document, parsed.value, Date.parse(first.at)).state;
  const keys: string[] = [];
  for (const row of rows) {
    const event: AgreementEvent = row.data;
    state = evolve(state, [event]);
    keys.push(...notificationsForEvent(state, event).map((notification) => notification.key));
  }
  return keys;
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Effects the audit trail shows twice, and effects the driver was told happened that it lacks. */
function commandEffects(rows: AuditRow[], outcome: DriveOutcome): { appliedTwice: string[]; lost: string[] } {
  const events = rows.map((row) => row.data);
  const appliedTwice: string[] = [];
  const twice = (what: string, counts: Map<string, number>) => {
    for (const [key, count] of counts) if (count > 1) appliedTwice.push(`${what} ${key} ×${count}`);
  };
  twice(
    'signed',
    countBy(events, (e) => (e.type === 'signed' ? e.signatory : undefined)),
  );
  twice(
    'enrolled',
    countBy(events, (e) => (e.type === 'enrolled' ? e.email : undefined)),
  );
  twice(
    'tranche',
    countBy(events, (e) => (e.type === 'funding-confirmed' ? `${e.commitment}#${e.tranche}` : undefined)),
  );
  twice(
    'stage',
    countBy(events, (e) => (e.type === 'stage-changed' ? e.to : undefined)),
  );
  const count = (type: AgreementEvent['type']) => events.filter((e) => e.type === type).length;
  const confirmed = count('funding-confirmed');
  if (confirmed > outcome.confirmations)
    appliedTwice.push(`funding-confirmed ×${confirmed} for ${outcome.confirmations} commands`);
  const lost: string[] = [];
  if (count('signed') < outcome.signatures) lost.push(`signed ×${count('signed')} for ${outcome.signatures} commands`);
  if (confirmed < outcome.confirmations)
    lost.push(`funding-confirmed ×${confirmed} for ${outcome.confirmations} commands`);
  if (count('enrolled') < outcome.enrolled)
    lost.push(`enrolled ×${count('enrolled')} for ${outcome.enrolled} candidates`);
  return { appliedTwice, lost };
}

/** Audits one agreement from the records store, the sink and the workflow's history. */
export async function auditAgreement(input: {
  agreements: AgreementsClient;
  records: RecordsStore;
  document: Record<string, unknown>;
  outcome: DriveOutcome;
  mails: ReceivedMail[];
  registerStage: string | undefined;
}): Promise<AgreementFindings> {
  const { agreements, records, document, outcome, mails } = input;
  const id = outcome.id;
  const rows = await records.history(id);

  const sequences = countBy(rows, (row) => String(row.sequence));
  const workflowEvents = outcome.final?.events;
  const highest = Math.max(workflowEvents ?? 0, ...rows.map((row) => row.sequence));
  const auditGaps: number[] = [];
  for (let sequence = 1; sequence <= highest; sequence++)
    if (!sequences.has(String(sequence))) auditGaps.push(sequence);
  const auditDuplicates: number[] = [];
  for (const [sequence, count] of sequences)
    for (let extra = 1; extra < count; extra++) auditDuplicates.push(Number(sequence));
  // Rows beyond what the workflow accepted would be events it never had.
  if (workflowEvents !== undefined)
    for (const row of rows) if (row.sequence > workflowEvents) auditDuplicates.push(row.sequence);

  const scheduled = await scheduledKeys(agreements, id);
  const log = await records.sentMail(id);
  const logged = log.filter((row) => row.status === 'sent').map((row) => row.key);
  // A mail the server refused for good (5xx) is logged 'refused' and reported instead; it cannot arrive.
  const refused = new Set(log.filter((row) => row.status === 'refused').map((row) => row.key));
  const resendsOf = new Map(log.map((row) => [row.key, row.resends]));
  const expected = new Set(
    [...eventCausedKeys(document, rows), ...scheduled, ...logged].filter((key) => !refused.has(key)),
  );

  const received = countBy(mails, (mail) => mail.key);
  const missing = [...expected].filter((key) => !received.has(key)).sort();
  const copies = [...received].filter(([, count]) => count > 1);
  const owned = (key: string, count: number) =>
    new Set(mails.filter((mail) => mail.key === key).map((mail) => mail.messageId)).size === 1 &&
    (resendsOf.get(key) ?? 0) >= count - 1;
  const uncertainResends = copies
    .filter(([key, count]) => owned(key, count))
    .reduce((n, [, count]) => n + count - 1, 0);
  const duplicates = copies
    .filter(([key, count]) => !owned(key, count))
    .map(([key, count]) => ({
      key,
      count,
      receivedAt: mails.filter((mail) => mail.key === key).map((mail) => mail.receivedAt),
    }));
  const unexpected = [...received.keys()].filter((key) => !expected.has(key)).sort();
  const kinds = Object.fromEntries(countBy(mails, (mail) => mail.key.split(':')[0]));
  return {
    id,
    registerStage: input.registerStage,
    auditRows: rows.length,
    workflowEvents,
    auditGaps,
    auditDuplicates,
    expectedKeys: expected.size,
    missing,
    duplicates,
    uncertainResends,
    unexpected,
    ...commandEffects(rows, outcome),
    kinds,
  };
}
