import type { DocumentVersion } from './events.ts';
import type { Locale } from './locale.ts';
import { agreementSchemas, type Agreement } from './agreement.ts';

import { FINAL_STAGES, type Stage } from './stages.ts';
import type { FundingRequest, Variation } from './variations.ts';

export { FINAL_STAGES, STAGES, type Stage } from './stages.ts';

export function isFinal(stage: Stage): boolean {
  return FINAL_STAGES.includes(stage);
}

export interface Signature {
  signatory: string;
  signedAt: string;
  documentSha256?: string;
  documents?: DocumentVersion[];
  /** Its row in the audit trail, and how its actor was established (absent on signatures carried from before). */
  sequence?: number;
  proof?: string;
}

export interface Confirmation {
  commitment: string;
  tranche: number;
  /** Minor units. */
  amount: number;
  reference?: string;
  at: string;
}

export interface Approval {
  approver: string;
  approvedAt: string;
  note?: string;
  /** Its row in the audit trail, and how its actor was established (absent on approvals carried from before). */
  sequence?: number;
  proof?: string;
}

export interface Fulfilment {
  obligation: string;
  fulfilledAt: string;
  reference?: string;
}

export interface Candidate {
  name: string;
  email: string;
  party?: string;
  locale?: Locale;
  enrolledAt: string;
}

/** Everything the lifecycle knows about one agreement; plain JSON so it can be queried and carried across continue-as-new. */
export interface AgreementState {
  /** The agreement file as written, kept current by amend, reschedule and renew. */
  document: Record<string, unknown>;
  agreement: Agreement;
  stage: Stage;
  startedAt: string;
  updatedAt: string;
  stageEnteredAt: string;
  /** When the current ceremony time was set (submit or reschedule): notices whose lead had already passed are not sent. */
  ceremonyScheduledAt?: string;
  /** Rises with each reschedule: the calendar invite's SEQUENCE. */
  ceremonySequence: number;
  termSetAt?: string;
  signatures: Signature[];
  confirmations: Confirmation[];
  candidates: Candidate[];
  /** Approvals given in the current round; cleared when an approver requests changes. */
  approvals: Approval[];
  /** Rises each time the agreement enters approval, so each round's requests and chases are new mail. */
  approvalRound: number;
  /**
   * Rises each time the agreement enters signing; a decline sends it back to draft, so the next submit is a new round.
   * Round 1's notification keys are as they always were; later rounds put `r<round>:` before the detail.
   */
  signingRound: number;
  /** When the agreement last went from approval to signing. */
  approvedAt?: string;
  fulfilments: Fulfilment[];
  /** When each obligation added after the draft was added: notices whose lead had passed by then are not sent. */
  obligationsAddedAt: Record<string, string>;
  cancelReason?: string;
  /**
   * When each signatory or approver (by `signatory:<id>` / `approver:<id>`) was last replaced: reminders meant for a
   * moment before it are not sent to the new person.
   */
  replacedAt?: Record<string, string>;
  /** The current stage's deadline as moved by `extend`, and when it was moved; cleared when the stage changes. */
  deadlineExtension?: { until: string; at: string };
  /** Variations proposed while active, in order (SPEC 18); absent on states carried from before variations. */
  variations?: Variation[];
  /** Commitments a variation added or raised, by id: asked for and chased while the agreement stays active. */
  fundingRequests?: Record<string, FundingRequest>;
  /** Accepted events so far; the next event's sequence number is this plus one. */
  eventCount: number;
  /** Keys of timed notifications already issued, so the plan never issues one twice. */
  notified: string[];
}

export function confirmedAmount(state: AgreementState, commitmentId: string): number {
  return state.confirmations
    .filter((confirmation) => confirmation.commitment === commitmentId)
    .reduce((sum, confirmation) => sum + confirmation.amount, 0);
}

export function unconfirmedCommitments(state: AgreementState) {
  return (state.agreement.funding?.commitments ?? []).filter(
    (commitment) => confirmedAmount(state, commitment.id) < commitment.amount,
  );
}

export function missingSignatories(state: AgreementState) {
  const signed = new Set(state.signatures.map((signature) => signature.signatory));
  return state.agreement.signatories.filter((signatory) => !signed.has(signatory.id));
}

/**
 * A state carried over from a run of an older version, given the parts that version did not know (approvals,
 * obligations), so every run works on the same shape.
 */
export function withCurrentShape(state: AgreementState): AgreementState {
  const agreement = state.agreement as Partial<Agreement> & Agreement;
  const defaults = agreementSchemas().chaseDefaults;
  return {
    ...state,
    agreement: {
      ...agreement,
      approvals: agreement.approvals ?? [],
      approvalChase: agreement.approvalChase ?? defaults.approvalChase,
      obligations: agreement.obligations ?? [],
      obligationChase: agreement.obligationChase ?? defaults.obligationChase,
      documents: agreement.documents ?? [],
    },
    approvals: state.approvals ?? [],
    approvalRound: state.approvalRound ?? 0,
    // Runs before decline existed entered signing at most once.
    signingRound: state.signingRound ?? (state.stage === 'draft' || state.stage === 'approval' ? 0 : 1),
    fulfilments: state.fulfilments ?? [],
    obligationsAddedAt: state.obligationsAddedAt ?? {},
    variations: state.variations ?? [],
  };
}

/** The stages that may have a deadline (`deadlines` in the agreement file). */
export type DeadlineStage = 'approval' | 'signing';

export interface Deadline {
  stage: DeadlineStage;
  /** Epoch milliseconds. */
  at: number;
  /** When this deadline was set: warnings whose moment had passed by then are not sent. */
  setAt: number;
}

/**
 * The current stage's deadline, if it has one: approval's counted from entering approval, signing's from the ceremony
 * time (so it moves with a reschedule), either as moved by `extend`.
 */
export function currentDeadline(state: AgreementState): Deadline | undefined {
  const stage = state.stage;
  if (stage !== 'approval' && stage !== 'signing') return undefined;
  const extension = state.deadlineExtension;
  if (extension) return { stage, at: Date.parse(extension.until), setAt: Date.parse(extension.at) };
  const length = state.agreement.deadlines?.[stage];
  if (!length) return undefined;
  if (stage === 'approval') {
    const entered = Date.parse(state.stageEnteredAt);
    return { stage, at: entered + length.ms, setAt: entered };
  }
  const ceremony = state.agreement.ceremony;
  if (!ceremony) return undefined;
  const setAt = Date.parse(state.ceremonyScheduledAt ?? state.stageEnteredAt);
  return { stage, at: Date.parse(ceremony.at) + length.ms, setAt };
}

/** Whom a mail link was made for (SPEC 16): their part (a role and the id it acts on) and their address. */
export interface LinkedPerson {
  role: 'approver' | 'signatory' | 'funding-contact' | 'obligation-owner';
  id: string;
  email: string;
}

/**
 * Why a mail link's recipient may no longer act, or undefined while they may: the part they were sent it for is now
 * someone else's (a signatory or approver replaced keeps the id, not the email), or another address's.
 */
export function linkedPersonRefusal(state: AgreementState, person: LinkedPerson): string | undefined {
  const { agreement } = state;
  const current =
    person.role === 'signatory'
      ? agreement.signatories.find((s) => s.id === person.id)?.email
      : person.role === 'approver'
        ? agreement.approvals.find((a) => a.id === person.id)?.email
        : person.role === 'funding-contact'
          ? agreement.funding?.commitments.find((c) => c.id === person.id)?.contact.email
          : agreement.obligations.find((o) => o.id === person.id)?.owner.email;
  if (current === undefined || current === person.email.toLowerCase()) return undefined;
  const part = person.role.replace('-', ' ');
  return `this mail link was made for ${person.email}, who is no longer the ${part} "${person.id}"; ask the coordinators`;
}

export function missingApprovers(state: AgreementState) {
  const approved = new Set(state.approvals.map((approval) => approval.approver));
  return state.agreement.approvals.filter((approver) => !approved.has(approver.id));
}

export function openObligations(state: AgreementState) {
  const fulfilled = new Set(state.fulfilments.map((fulfilment) => fulfilment.obligation));
  return state.agreement.obligations.filter((obligation) => !fulfilled.has(obligation.id));
}

/** Obligations are tracked while the agreement is active: one unfulfilled past its due moment is overdue. */
export function isOverdue(stage: Stage, due: string, now: number): boolean {
  return stage === 'active' && Date.parse(due) <= now;
}

/** The stage after `from`, skipping stages whose section the agreement lacks. */
export function stageAfter(agreement: Agreement, from: Stage): Stage {
  const order: Stage[] = ['signing', 'funding', 'cohort', 'active'];
  const present = (stage: Stage) =>
    stage === 'active' || (stage === 'funding' && agreement.funding) || (stage === 'cohort' && agreement.cohort);
  const rest = order.slice(order.indexOf(from) + 1);
  return rest.find(present) ?? 'active';
}

/** Remembers that timed notifications were issued, so the plan moves on to the next one. */
export function markNotified(state: AgreementState, keys: readonly string[]): AgreementState {
  return keys.length === 0 ? state : { ...state, notified: [...state.notified, ...keys] };
}
