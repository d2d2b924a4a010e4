import type { Locale } from './locale.ts';
import type { DeadlineStage, Stage } from './state.ts';
import type { VariationStatus } from './variations.ts';

/** One document as signed: its id and the SHA-256 of its version. */
export interface DocumentVersion {
  id: string;
  sha256: string;
}

interface EventBase {
  at: string;
  actor: string;
  /**
   * How the actor was established: `claimed` (taken as given), `token:<key id>` (an actor token the workers checked),
   * `link:<key id>` (a mail link's token), `unverified` (a cancel requested through Temporal, which names no actor).
   * Absent on events the workflow made itself (actor `system`) and on those recorded before actors were verified.
   */
  actorProof?: string;
}

/** Accepted facts about an agreement, one audit row each. */
export type AgreementEvent = EventBase &
  (
    | { type: 'started'; title: string }
    | { type: 'amended'; patch: Record<string, unknown> }
    | { type: 'rescheduled'; ceremonyAt: string; venue: string; sequence: number }
    | {
        type: 'signed';
        signatory: string;
        signedAt: string;
        /** The one hash a signatory quoted of an agreement that lists no documents (kept as given, unchecked). */
        documentSha256?: string;
        /** Where the agreement lists documents: the version of each that was signed, checked to be the current one. */
        documents?: DocumentVersion[];
      }
    | { type: 'funding-confirmed'; commitment: string; tranche: number; amount: number; reference?: string }
    | { type: 'enrolled'; name: string; email: string; party?: string; locale?: Locale }
    | { type: 'withdrawn'; email: string }
    | { type: 'renewed'; until: string }
    | { type: 'approved'; approver: string; note?: string }
    | { type: 'changes-requested'; approver: string; reason: string }
    | { type: 'declined'; signatory: string; reason: string }
    | { type: 'deadline-extended'; stage: DeadlineStage; until: string }
    | {
        type: 'replaced';
        role: 'signatory' | 'approver';
        /** The person's id, which the replacement keeps: what was given to that id goes to the new person. */
        id: string;
        previous: { name: string; email: string; locale?: Locale };
        name: string;
        email: string;
        title?: string;
        locale?: Locale;
        reason: string;
      }
    | { type: 'obligation-added'; obligation: Record<string, unknown> }
    | { type: 'fulfilled'; obligation: string; reference?: string }
    | { type: 'stage-changed'; from: Stage; to: Stage; reason: StageChangeReason; detail?: string }
    /** A variation of an active agreement (SPEC 18) proposed: it goes to `to` first (approval, or signing without approvers). */
    | {
        type: 'variation-proposed';
        variation: string;
        reason: string;
        patch: Record<string, unknown>;
        to: 'approval' | 'signing';
      }
    | { type: 'variation-approved'; variation: string; approver: string; note?: string }
    | {
        type: 'variation-signed';
        variation: string;
        signatory: string;
        signedAt: string;
        documents?: DocumentVersion[];
      }
    /** A variation moved on: to signing (all approved), applied (all signed: its patch now holds), or withdrawn. */
    | {
        type: 'variation-status-changed';
        variation: string;
        from: VariationStatus;
        to: 'signing' | 'applied' | 'withdrawn';
        reason?: string;
      }
    /** A cancel requested through Temporal (its UI, `temporal workflow cancel`) that the workers did not apply. */
    | { type: 'temporal-cancel-requested'; refusal: string }
  );

export type StageChangeReason =
  | 'submitted'
  | 'all-approved'
  | 'changes-requested'
  | 'declined'
  | 'all-signed'
  | 'fully-funded'
  | 'launched'
  | 'launched-automatically'
  | 'completed'
  | 'term-ended'
  | 'cancelled'
  | 'deadline-passed';

export type EventType = AgreementEvent['type'];
