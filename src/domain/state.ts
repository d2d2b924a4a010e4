import type { Locale } from './locale.ts';
import type { Agreement } from './agreement.ts';

export const STAGES = ['draft', 'signing', 'funding', 'cohort', 'active', 'completed', 'cancelled'] as const;
export type Stage = (typeof STAGES)[number];
export const FINAL_STAGES: readonly Stage[] = ['completed', 'cancelled'];

export function isFinal(stage: Stage): boolean {
  return FINAL_STAGES.includes(stage);
}

export interface Signature {
  signatory: string;
  signedAt: string;
  documentSha256?: string;
}

export interface Confirmation {
  commitment: string;
  tranche: number;
  /** Minor units. */
  amount: number;
  reference?: string;
  at: string;
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
  cancelReason?: string;
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
