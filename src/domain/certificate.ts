import type { AgreementEvent } from './events.ts';
import type { AgreementState, Approval, Signature } from './state.ts';
import { variationsOf } from './variations.ts';

/** One signature as the certificate states it: who, when (in their zone and in UTC), how proven, its audit row. */
export interface CertifiedSignature {
  signatory: string;
  name: string;
  title?: string;
  party: string;
  email: string;
  /** The signatory's zone (their own, else their party's): the certificate gives the time in it and in UTC. */
  timezone: string;
  signedAt: string;
  /** `claimed`, `token:<key id>` or `link:<key id>`. */
  proof: string;
  /** Its row in the audit trail (absent for a signature carried from a run older than certificates). */
  sequence?: number;
}

export interface CertifiedApproval {
  approver: string;
  name: string;
  timezone: string;
  approvedAt: string;
  note?: string;
  proof: string;
  sequence?: number;
}

/**
 * What a certificate of completion states (SPEC 18), fixed when the last signature is in: the same facts always make
 * the same PDF, so a retried activity writes the same bytes and the same SHA-256.
 */
export interface CertificateFacts {
  agreementId: string;
  title: string;
  kind: string;
  /** When the last signature made the agreement signed: the certificate's date. */
  issuedAt: string;
  /** The audit row of that moment (the stage change the last signature caused). */
  sequence: number;
  /** The zone the agreement's times are read in where no person's applies (the ceremony's, else the first party's). */
  timezone: string;
  parties: { id: string; name: string; timezone: string }[];
  documents: { id: string; title: string; sha256: string; language?: string }[];
  signatures: CertifiedSignature[];
  approvals: CertifiedApproval[];
  /** Where a variation applied (SPEC 18): which, why, and its proposal's audit row; its own signatures and approvals. */
  variation?: { id: string; reason: string; proposedSequence: number };
}

/** How an actor's proof reads where an event carried none: events from before verified actors were claimed. */
const CLAIMED = 'claimed';

/**
 * The certificate an event calls for, if any: the stage change the last signature causes. `state` is the state after
 * the event, so its count of events is the event's own sequence number.
 */
export function certificateFor(state: AgreementState, event: AgreementEvent): CertificateFacts | undefined {
  if (event.type === 'variation-status-changed' && event.to === 'applied') {
    const variation = variationsOf(state).find((v) => v.id === event.variation);
    if (!variation) return undefined;
    return {
      ...certificateOf(state, event, variation.signatures, variation.approvals),
      variation: { id: variation.id, reason: variation.reason, proposedSequence: variation.sequence },
    };
  }
  if (event.type !== 'stage-changed' || event.reason !== 'all-signed') return undefined;
  return certificateOf(state, event, state.signatures, state.approvals);
}

function certificateOf(
  state: AgreementState,
  event: AgreementEvent,
  signed: readonly Signature[],
  approved: readonly Approval[],
): CertificateFacts {
  const { agreement } = state;
  const partyOf = (id: string) => agreement.parties.find((party) => party.id === id);
  const fallbackZone = agreement.ceremony?.timezone ?? agreement.parties[0]?.timezone ?? 'UTC';
  const signatures = signed.flatMap((signature): CertifiedSignature[] => {
    const signatory = agreement.signatories.find((s) => s.id === signature.signatory);
    if (!signatory) return [];
    const party = partyOf(signatory.party);
    return [
      {
        signatory: signatory.id,
        name: signatory.name,
        ...(signatory.title === undefined ? {} : { title: signatory.title }),
        party: party?.name ?? signatory.party,
        email: signatory.email,
        timezone: signatory.timezone ?? party?.timezone ?? fallbackZone,
        signedAt: signature.signedAt,
        proof: signature.proof ?? CLAIMED,
        ...(signature.sequence === undefined ? {} : { sequence: signature.sequence }),
      },
    ];
  });
  const approverZone = agreement.coordinators[0]?.timezone ?? fallbackZone;
  const approvals = approved.flatMap((approval): CertifiedApproval[] => {
    const approver = agreement.approvals.find((a) => a.id === approval.approver);
    if (!approver) return [];
    return [
      {
        approver: approver.id,
        name: approver.name,
        timezone: approver.timezone ?? approverZone,
        approvedAt: approval.approvedAt,
        ...(approval.note === undefined ? {} : { note: approval.note }),
        proof: approval.proof ?? CLAIMED,
        ...(approval.sequence === undefined ? {} : { sequence: approval.sequence }),
      },
    ];
  });
  return {
    agreementId: agreement.id,
    title: agreement.title,
    kind: agreement.kind,
    issuedAt: event.at,
    sequence: state.eventCount,
    timezone: fallbackZone,
    parties: agreement.parties.map(({ id, name, timezone }) => ({ id, name, timezone })),
    documents: agreement.documents.map((document) => ({ ...document })),
    signatures,
    approvals,
  };
}
