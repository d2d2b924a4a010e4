import type { AgreementEvent } from './events.ts';
import { applyMergePatch } from './merge-patch.ts';
import type { AgreementState } from './state.ts';
import { parseAgreement } from './validation.ts';
import type { Agreement } from './agreement.ts';
import { evolveVariation } from './variations.ts';

function reparse(document: Record<string, unknown>): Agreement {
  const parsed = parseAgreement(document);
  // decide() validated this document before the event was accepted, so failure here is a programming error.
  if (!parsed.ok) throw new Error(`accepted event left an invalid agreement: ${parsed.errors.join('; ')}`);
  return parsed.value;
}

export type DocumentEvent = Extract<
  AgreementEvent,
  { type: 'amended' | 'rescheduled' | 'renewed' | 'obligation-added' | 'replaced' }
>;

/** The agreement document after an event that changes it; decide() validates it before accepting the event. */
export function documentAfter(document: Record<string, unknown>, event: DocumentEvent): Record<string, unknown> {
  switch (event.type) {
    case 'amended':
      return applyMergePatch(document, event.patch);
    case 'rescheduled':
      return { ...document, ceremony: { ...(document.ceremony as object), at: event.ceremonyAt, venue: event.venue } };
    case 'renewed':
      return { ...document, term: { endsAt: event.until } };
    case 'obligation-added': {
      const obligations = Array.isArray(document.obligations) ? (document.obligations as unknown[]) : [];
      return { ...document, obligations: [...obligations, event.obligation] };
    }
    case 'replaced': {
      // The new person keeps the id (and a signatory the party); the old one's own timezone, title and language go.
      const list = event.role === 'signatory' ? 'signatories' : 'approvals';
      const people = Array.isArray(document[list]) ? (document[list] as Record<string, unknown>[]) : [];
      const replacement = (old: Record<string, unknown>) => ({
        id: event.id,
        name: event.name,
        ...(event.title === undefined ? {} : { title: event.title }),
        ...(event.role === 'signatory' ? { party: old.party } : {}),
        email: event.email,
        ...(event.locale === undefined ? {} : { locale: event.locale }),
      });
      return { ...document, [list]: people.map((person) => (person.id === event.id ? replacement(person) : person)) };
    }
  }
}

/** The state after `events` were accepted by decide(). Pure. */
export function evolve(state: AgreementState, events: readonly AgreementEvent[]): AgreementState {
  return events.reduce(apply, state);
}

function apply(previous: AgreementState, event: AgreementEvent): AgreementState {
  const state: AgreementState = { ...previous, eventCount: previous.eventCount + 1, updatedAt: event.at };
  switch (event.type) {
    case 'started':
    case 'temporal-cancel-requested':
      return state;
    case 'amended': {
      const document = documentAfter(state.document, event);
      return { ...state, document, agreement: reparse(document) };
    }
    case 'rescheduled': {
      const document = documentAfter(state.document, event);
      return {
        ...state,
        document,
        agreement: reparse(document),
        ceremonySequence: event.sequence,
        ceremonyScheduledAt: event.at,
      };
    }
    case 'signed':
      return {
        ...state,
        signatures: [
          ...state.signatures,
          {
            signatory: event.signatory,
            signedAt: event.signedAt,
            documentSha256: event.documentSha256,
            ...(event.documents ? { documents: event.documents } : {}),
            ...auditOf(state, event),
          },
        ],
      };
    case 'funding-confirmed':
      return {
        ...state,
        confirmations: [
          ...state.confirmations,
          {
            commitment: event.commitment,
            tranche: event.tranche,
            amount: event.amount,
            at: event.at,
            reference: event.reference,
          },
        ],
      };
    case 'enrolled':
      return {
        ...state,
        candidates: [
          ...state.candidates,
          {
            name: event.name,
            email: event.email,
            enrolledAt: event.at,
            party: event.party,
            locale: event.locale,
          },
        ],
      };
    case 'withdrawn':
      return { ...state, candidates: state.candidates.filter((candidate) => candidate.email !== event.email) };
    case 'renewed': {
      const document = documentAfter(state.document, event);
      return { ...state, document, agreement: reparse(document), termSetAt: event.at };
    }
    case 'approved':
      return {
        ...state,
        approvals: [
          ...state.approvals,
          { approver: event.approver, approvedAt: event.at, note: event.note, ...auditOf(state, event) },
        ],
      };
    case 'changes-requested':
      return { ...state, approvals: [] };
    case 'declined':
      return { ...state, signatures: [] };
    case 'replaced': {
      const document = documentAfter(state.document, event);
      const replacedAt = { ...state.replacedAt, [`${event.role}:${event.id}`]: event.at };
      return { ...state, document, agreement: reparse(document), replacedAt };
    }
    case 'deadline-extended':
      return { ...state, deadlineExtension: { until: event.until, at: event.at } };
    case 'obligation-added': {
      const document = documentAfter(state.document, event);
      const id = String(event.obligation.id);
      return {
        ...state,
        document,
        agreement: reparse(document),
        obligationsAddedAt: { ...state.obligationsAddedAt, [id]: event.at },
      };
    }
    case 'variation-proposed':
    case 'variation-approved':
    case 'variation-signed':
    case 'variation-status-changed':
      return evolveVariation(state, event, reparse);
    case 'fulfilled':
      return {
        ...state,
        fulfilments: [
          ...state.fulfilments,
          { obligation: event.obligation, fulfilledAt: event.at, reference: event.reference },
        ],
      };
    case 'stage-changed': {
      // A deadline extended is the stage's own: the next stage starts from its own deadline.
      const { deadlineExtension: _extension, ...rest } = state;
      return {
        ...rest,
        stage: event.to,
        stageEnteredAt: event.at,
        ...(event.to === 'approval' ? { approvalRound: state.approvalRound + 1, approvals: [] } : {}),
        ...(event.from === 'approval' && event.to === 'signing' ? { approvedAt: event.at } : {}),
        ...(event.to === 'signing' ? { ceremonyScheduledAt: event.at, signingRound: state.signingRound + 1 } : {}),
        ...(event.to === 'active' ? { termSetAt: event.at } : {}),
        ...(event.to === 'cancelled' ? { cancelReason: event.detail } : {}),
      };
    }
    default:
      return unreachable(event);
  }
}

/** Where an event stands in the audit trail (`state` already counts it) and how its actor was established. */
function auditOf(state: AgreementState, event: AgreementEvent): { sequence: number; proof?: string } {
  return { sequence: state.eventCount, ...(event.actorProof === undefined ? {} : { proof: event.actorProof }) };
}

function unreachable(event: never): never {
  throw new Error(`unknown event ${JSON.stringify(event)}`);
}

/** A new agreement before its `started` event (returned with it, to be applied like any other event). */
export function initialState(
  document: Record<string, unknown>,
  agreement: Agreement,
  now: number,
  actor = 'coordinator',
) {
  const at = new Date(now).toISOString();
  const started: AgreementEvent = { type: 'started', at, actor, title: agreement.title };
  const state: AgreementState = {
    document,
    agreement,
    stage: 'draft',
    startedAt: at,
    updatedAt: at,
    stageEnteredAt: at,
    ceremonySequence: 1,
    signatures: [],
    confirmations: [],
    candidates: [],
    approvals: [],
    approvalRound: 0,
    signingRound: 0,
    fulfilments: [],
    obligationsAddedAt: {},
    variations: [],
    eventCount: 0,
    notified: [],
  };
  return { state, events: [started] };
}
