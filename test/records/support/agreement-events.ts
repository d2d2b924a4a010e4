import type {
  AgreementEvent,
  RecordedEvent,
  RecordEventsInput,
  RegisterRow,
  Stage,
} from '../../../src/domain/index.ts';
import { actorProofOf } from '../../../src/records/row-mapping.ts';
import type { AuditRow } from '../../../src/ports/records-store.ts';

const START = Date.parse('2025-03-03T09:00:00.000Z');
const at = (minutes: number) => new Date(START + minutes * 60_000).toISOString();

const COORDINATOR = 'coordinator@bham.example';
/** Deliberately above 2^31 minor units, so PostgreSQL's bigint columns are exercised. */
const FUNDING_REQUIRED = 3_000_000_000_00;

/** The opening of a UoB–JITRI joint PhD agreement, then as many enrolments as asked for. */
export function lifecycleEvents(count: number): RecordedEvent[] {
  const script: AgreementEvent[] = [
    { type: 'started', at: at(0), actor: COORDINATOR, title: 'UoB–JITRI joint PhD programme' },
    { type: 'stage-changed', at: at(5), actor: COORDINATOR, from: 'draft', to: 'signing', reason: 'submitted' },
    {
      type: 'signed',
      at: at(60),
      actor: 'vc-uob',
      signatory: 'vc-uob',
      signedAt: at(60),
      documentSha256: 'a1'.repeat(32),
    },
    { type: 'signed', at: at(90), actor: 'jitri-president', signatory: 'jitri-president', signedAt: at(90) },
    { type: 'stage-changed', at: at(90), actor: 'system', from: 'signing', to: 'funding', reason: 'all-signed' },
    {
      type: 'funding-confirmed',
      at: at(200),
      actor: 'finance@bham.example',
      commitment: 'uob-stipends',
      tranche: 1,
      amount: 1_500_000_000_00,
      reference: 'PO-77,"A"',
    },
    {
      type: 'funding-confirmed',
      at: at(300),
      actor: 'finance@jitri.example',
      commitment: 'jitri-fees',
      tranche: 1,
      amount: 1_500_000_000_00,
    },
    { type: 'stage-changed', at: at(300), actor: 'system', from: 'funding', to: 'cohort', reason: 'fully-funded' },
  ];
  const events = script.slice(0, count);
  for (let n = 1; events.length < count; n += 1) {
    events.push({
      type: 'enrolled',
      at: at(400 + n),
      actor: COORDINATOR,
      name: `Candidate ${n}`,
      email: `candidate${n}@example.org`,
      party: 'uob',
    });
  }
  return events.map((event, index) => ({ sequence: index + 1, event }));
}

/** The register row after `events` (which must start at sequence 1). */
export function registerAfter(
  agreementId: string,
  events: readonly RecordedEvent[],
  title = 'UoB–JITRI joint PhD programme',
): RegisterRow {
  let stage: Stage = 'draft';
  let fundingConfirmed = 0;
  let cohortSize = 0;
  for (const { event } of events) {
    if (event.type === 'stage-changed') stage = event.to;
    if (event.type === 'funding-confirmed') fundingConfirmed += event.amount;
    if (event.type === 'enrolled') cohortSize += 1;
  }
  return {
    id: agreementId,
    title,
    kind: 'joint-phd',
    parties: ['uob', 'jitri'],
    stage,
    ceremonyAt: '2025-04-10T14:00:00+08:00',
    currency: 'GBP',
    fundingRequired: FUNDING_REQUIRED,
    fundingConfirmed,
    cohortSize,
    approvedAt: null,
    obligationsOpen: 0,
    obligationsDue: [],
    startedAt: events[0]?.event.at ?? at(0),
    updatedAt: events.at(-1)?.event.at ?? at(0),
  };
}

/** What the workflow sends for events `from`..`to` (1-based, inclusive) of `all`: those events and the register after them. */
export function recordBatch(
  agreementId: string,
  all: readonly RecordedEvent[],
  from: number,
  to: number,
): RecordEventsInput {
  return {
    agreementId,
    events: all.slice(from - 1, to),
    register: registerAfter(agreementId, all.slice(0, to)),
  };
}

/** The register row a store holds after `events`: the workflow's row, with who made the last change and how. */
export function storedRegisterAfter(agreementId: string, events: readonly RecordedEvent[]): RegisterRow {
  const last = events.at(-1)?.event;
  const row = registerAfter(agreementId, events);
  return last === undefined
    ? row
    : { ...row, updatedBy: last.actor, updatedByProof: actorProofOf(last.actor, last.actorProof) };
}

/** The audit rows a store holds for `events` of one agreement, in order. */
export function auditRowsOf(agreementId: string, events: readonly RecordedEvent[]): AuditRow[] {
  return events.map(({ sequence, event }) => ({
    agreementId,
    sequence,
    type: event.type,
    at: event.at,
    actor: event.actor,
    actorProof: actorProofOf(event.actor, event.actorProof),
    data: event,
  }));
}
