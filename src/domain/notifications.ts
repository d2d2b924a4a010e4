import type { AgreementEvent } from './events.ts';
import type { Locale } from './locale.ts';
import type { AgreementState } from './state.ts';
import { changedPaths, variationsOf } from './variations.ts';

export const NOTIFICATION_KINDS = [
  'started',
  'invitation',
  'ceremony-notice',
  'rescheduled',
  'signature-recorded',
  'signature-chase',
  'signature-escalation',
  'signature-declined',
  'deadline-warning',
  'person-replaced',
  'funding-request',
  'funding-chase',
  'funding-escalation',
  'funding-overdue',
  'funding-confirmed',
  'launch-notice',
  'launch-escalation',
  'enrolled',
  'welcome',
  'launched',
  'renewal-notice',
  'approval-request',
  'approval-chase',
  'approval-escalation',
  'changes-requested',
  'obligation-notice',
  'obligation-overdue',
  'obligation-fulfilled',
  'completed',
  'cancelled',
  'temporal-cancel-refused',
  'delivery-failed',
  'completion-certificate',
  'variation-request',
  'variation-invitation',
  'variation-applied',
  'variation-withdrawn',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
/** Every kind of mail: an agreement's notifications, and the coordinators' digest over all their agreements (§15). */
export type MailKind = NotificationKind | 'digest';

export type Role = 'coordinator' | 'signatory' | 'funding-contact' | 'candidate' | 'approver' | 'obligation-owner';

export interface Recipient {
  name: string;
  email: string;
  timezone: string;
  /** Absent for English, so mail to English readers crosses Temporal exactly as before locales existed. */
  locale?: Locale;
  role: Role;
  /** Who this is without personal data, for UI summaries: a signatory or commitment id, or the role. */
  label: string;
}

/** What a message is about, beyond the agreement itself (which signatory, which commitment, which lead time …). */
export interface NotificationSubject {
  signatory?: string;
  commitment?: string;
  amount?: number;
  tranche?: number;
  reference?: string;
  lead?: string;
  chase?: number;
  reason?: string;
  missing?: string[];
  /** An approver's id (approval mail, changes-requested). */
  approver?: string;
  /** An approver's note, or the approvals still awaited. */
  note?: string;
  /** An obligation: its id, title and due moment. */
  obligation?: { id: string; title: string; due: string };
  /** Who replaced whom (person-replaced): the names, old and new. */
  replacement?: { previous: string; current: string };
  /** A stage's deadline (deadline-warning): which stage, and when. */
  deadline?: { stage: 'approval' | 'signing'; at: string };
  /** A certificate of completion (completion-certificate): its audit row, by which the records keep it. */
  certificate?: { sequence: number };
  /** A variation (SPEC 18): its id, why, and the sections it changes (`term.endsAt`, `funding.commitments`, …). */
  variation?: { id: string; reason: string; changes: string[] };
  /** For delivery-failed: the notification that could not be delivered, and to whom. */
  undelivered?: { kind: MailKind; recipient: string; key: string };
}

/** One logical email: the key is `<kind>:<detail>:<recipient email>` and is sent at most once, ever. */
export interface Notification {
  key: string;
  kind: MailKind;
  recipient: Recipient;
  about: NotificationSubject;
}

export function notificationKey(kind: NotificationKind, detail: string, email: string): string {
  return `${kind}:${detail}:${email}`;
}

export function notify(
  kind: NotificationKind,
  detail: string,
  recipients: Recipient[],
  about: NotificationSubject = {},
): Notification[] {
  const seen = new Set<string>();
  return recipients
    .filter((recipient) => !seen.has(recipient.email) && seen.add(recipient.email))
    .map((recipient) => ({ key: notificationKey(kind, detail, recipient.email), kind, recipient, about }));
}

/**
 * The detail of a notification of the signing stage, in the current signing round. A decline starts the signing over,
 * so each round's mail must be new mail: round 1 keeps the keys it always had (recorded histories, sent-mail logs and
 * tests stay valid, and no earlier key can begin with `r<n>:`), later rounds put the round first (`invitation:r2:1:…`).
 */
export function signingDetail(state: AgreementState, detail: string): string {
  return state.signingRound > 1 ? `r${state.signingRound}:${detail}` : detail;
}

const DEFAULT_TIMEZONE = 'UTC';

function partyTimezone(state: AgreementState, partyId: string | undefined): string {
  return state.agreement.parties.find((party) => party.id === partyId)?.timezone ?? DEFAULT_TIMEZONE;
}

export function coordinators(state: AgreementState): Recipient[] {
  return state.agreement.coordinators.map((c, index) => ({
    name: c.name,
    email: c.email,
    timezone: c.timezone ?? DEFAULT_TIMEZONE,
    locale: c.locale,
    role: 'coordinator',
    label: `coordinator ${index + 1}`,
  }));
}

export function signatoryRecipients(state: AgreementState, ids?: readonly string[]): Recipient[] {
  return state.agreement.signatories
    .filter((s) => !ids || ids.includes(s.id))
    .map((s) => ({
      name: s.name,
      email: s.email,
      timezone: s.timezone ?? partyTimezone(state, s.party),
      locale: s.locale,
      role: 'signatory',
      label: s.id,
    }));
}

export function contactRecipient(state: AgreementState, commitmentId: string): Recipient[] {
  const commitment = state.agreement.funding?.commitments.find((c) => c.id === commitmentId);
  if (!commitment) return [];
  const { contact } = commitment;
  return [
    {
      name: contact.name,
      email: contact.email,
      timezone: contact.timezone ?? partyTimezone(state, commitment.funder),
      locale: contact.locale,
      role: 'funding-contact',
      label: `${commitment.id} contact`,
    },
  ];
}

/** Approvers are offices of the agreement's own side: without a timezone of their own, they keep the first coordinator's. */
export function approverRecipients(state: AgreementState, ids?: readonly string[]): Recipient[] {
  const fallback = state.agreement.coordinators[0]?.timezone ?? DEFAULT_TIMEZONE;
  return state.agreement.approvals
    .filter((a) => !ids || ids.includes(a.id))
    .map((a) => ({
      name: a.name,
      email: a.email,
      timezone: a.timezone ?? fallback,
      locale: a.locale,
      role: 'approver',
      label: a.id,
    }));
}

export function obligationOwner(state: AgreementState, obligationId: string): Recipient[] {
  const obligation = state.agreement.obligations.find((o) => o.id === obligationId);
  if (!obligation) return [];
  const { owner } = obligation;
  return [
    {
      name: owner.name,
      email: owner.email,
      timezone: owner.timezone ?? state.agreement.coordinators[0]?.timezone ?? DEFAULT_TIMEZONE,
      locale: owner.locale,
      role: 'obligation-owner',
      label: `${obligation.id} owner`,
    },
  ];
}

/** What a mail about an obligation says of it. */
export function obligationSubject(state: AgreementState, obligationId: string): NotificationSubject['obligation'] {
  const obligation = state.agreement.obligations.find((o) => o.id === obligationId);
  return obligation ? { id: obligation.id, title: obligation.title, due: obligation.due } : undefined;
}

export function candidateRecipients(state: AgreementState, emails?: readonly string[]): Recipient[] {
  // Numbered by place in the cohort (as it is at the time), so that the Temporal UI's summary of the mail to a newly
  // enrolled candidate does not always read "candidate 1".
  return state.candidates
    .map((c, index) => ({
      name: c.name,
      email: c.email,
      timezone: partyTimezone(state, c.party),
      locale: c.locale,
      role: 'candidate' as const,
      label: `candidate ${index + 1}`,
    }))
    .filter((recipient) => !emails || emails.includes(recipient.email));
}

/** The emails an accepted event causes (timed reminders come from the plan instead). `state` is the state after the event. */
export function notificationsForEvent(state: AgreementState, event: AgreementEvent): Notification[] {
  const id = state.agreement.id;
  const everyoneWhoSigns = [...signatoryRecipients(state), ...coordinators(state)];
  switch (event.type) {
    case 'started':
      return notify('started', id, coordinators(state));
    case 'rescheduled':
      return state.stage === 'signing'
        ? notify('rescheduled', signingDetail(state, String(event.sequence)), everyoneWhoSigns)
        : [];
    case 'signed':
      return notify('signature-recorded', signingDetail(state, event.signatory), coordinators(state), {
        signatory: event.signatory,
      });
    case 'declined':
      // Always with its round: a decline ends the round it happens in, so there is one per round at most.
      return notify('signature-declined', `r${state.signingRound}`, coordinators(state), {
        signatory: event.signatory,
        reason: event.reason,
      });
    case 'funding-confirmed': {
      const detail = `${event.commitment}-tranche-${event.tranche}`;
      const about = {
        commitment: event.commitment,
        amount: event.amount,
        tranche: event.tranche,
        reference: event.reference,
      };
      return notify(
        'funding-confirmed',
        detail,
        [...coordinators(state), ...contactRecipient(state, event.commitment)],
        about,
      );
    }
    case 'enrolled':
      return notify('enrolled', id, candidateRecipients(state, [event.email]));
    case 'changes-requested':
      return notify('changes-requested', String(state.approvalRound), coordinators(state), {
        approver: event.approver,
        reason: event.reason,
      });
    case 'replaced':
      return notificationsForReplacement(state, event);
    case 'fulfilled':
      return notify('obligation-fulfilled', event.obligation, coordinators(state), {
        obligation: obligationSubject(state, event.obligation),
        reference: event.reference,
      });
    case 'stage-changed':
      return [...notificationsForStage(state, event), ...certificateMail(state, event)];
    case 'variation-proposed':
    case 'variation-status-changed':
      return notificationsForVariation(state, event);
    case 'temporal-cancel-requested':
      // Numbered by the event: each request (one per run at most) is its own mail.
      return notify('temporal-cancel-refused', String(state.eventCount), coordinators(state), {
        reason: event.refusal,
      });
    default:
      return [];
  }
}

/** What a mail says of a variation. */
export function variationSubject(state: AgreementState, id: string): NotificationSubject['variation'] {
  const variation = variationsOf(state).find((v) => v.id === id);
  return variation ? { id, reason: variation.reason, changes: changedPaths(variation.patch) } : undefined;
}

/**
 * A variation's rounds: its request to the approvers, then its invitation to the signatories; once it applies, the
 * coordinators and signatories are told, the certificate goes out again, and each commitment it added or raised is
 * asked of its funder (keyed by the variation, so a raised commitment's request is new mail).
 */
function notificationsForVariation(
  state: AgreementState,
  event: Extract<AgreementEvent, { type: 'variation-proposed' | 'variation-status-changed' }>,
): Notification[] {
  const id = event.variation;
  const about = { variation: variationSubject(state, id) };
  const to = event.to;
  if (to === 'approval') return notify('variation-request', id, approverRecipients(state), about);
  if (to === 'signing') return notify('variation-invitation', id, signatoryRecipients(state), about);
  if (to === 'withdrawn') {
    // Those it was waiting on are told it is off, so their link's page and the chases stop making sense to them.
    const asked = event.from === 'approval' ? approverRecipients(state) : signatoryRecipients(state);
    return notify('variation-withdrawn', id, [...coordinators(state), ...asked], {
      ...about,
      ...(event.reason === undefined ? {} : { reason: event.reason }),
    });
  }
  const funding = Object.entries(state.fundingRequests ?? {})
    .filter(([, request]) => request.variation === id)
    .flatMap(([commitment]) => {
      const amount = state.agreement.funding?.commitments.find((c) => c.id === commitment)?.amount;
      return notify('funding-request', `${id}-${commitment}`, contactRecipient(state, commitment), {
        ...about,
        commitment,
        ...(amount === undefined ? {} : { amount }),
      });
    });
  return [
    ...notify('variation-applied', id, [...coordinators(state), ...signatoryRecipients(state)], about),
    ...certificateMail(state, event),
    ...funding,
  ];
}

/**
 * The certificate of completion goes to the coordinators and the signatories once the last signature is in, and again
 * when a variation applies.
 */
function certificateMail(state: AgreementState, event: AgreementEvent) {
  const certified =
    (event.type === 'stage-changed' && event.reason === 'all-signed') ||
    (event.type === 'variation-status-changed' && event.to === 'applied');
  if (!certified) return [];
  const sequence = state.eventCount;
  // A variation's certificate says so in its mail too, as its PDF does.
  const variation =
    event.type === 'variation-status-changed' ? { variation: variationSubject(state, event.variation) } : {};
  return notify('completion-certificate', String(sequence), [...coordinators(state), ...signatoryRecipients(state)], {
    certificate: { sequence },
    ...variation,
  });
}

/**
 * A person replaced: the coordinators and the person replaced are told, and the new person gets what the old one had in
 * this stage (the invitation with its calendar invite, or the approval request). The event's sequence number is in
 * each key, so a person replaced and later brought back is still sent their mail.
 */
function notificationsForReplacement(state: AgreementState, event: Extract<AgreementEvent, { type: 'replaced' }>) {
  const sequence = `replace${state.eventCount}`;
  const current =
    event.role === 'signatory' ? signatoryRecipients(state, [event.id]) : approverRecipients(state, [event.id]);
  const previous = current.map((recipient) => ({
    ...recipient,
    name: event.previous.name,
    email: event.previous.email,
    locale: event.previous.locale,
  }));
  const about = {
    [event.role]: event.id,
    reason: event.reason,
    replacement: { previous: event.previous.name, current: event.name },
  };
  const handedOver =
    event.role === 'signatory' && state.stage === 'signing'
      ? notify('invitation', signingDetail(state, `${state.ceremonySequence}-${sequence}`), current)
      : event.role === 'approver' && state.stage === 'approval'
        ? notify('approval-request', `${state.approvalRound}-${sequence}`, current)
        : [];
  return [...notify('person-replaced', sequence, [...coordinators(state), ...previous], about), ...handedOver];
}

function notificationsForStage(state: AgreementState, event: Extract<AgreementEvent, { type: 'stage-changed' }>) {
  const id = state.agreement.id;
  const everyoneWhoSigns = [...signatoryRecipients(state), ...coordinators(state)];
  switch (event.to) {
    case 'approval':
      return notify('approval-request', String(state.approvalRound), approverRecipients(state));
    case 'signing':
      return notify('invitation', signingDetail(state, String(state.ceremonySequence)), everyoneWhoSigns);
    case 'funding':
      return (state.agreement.funding?.commitments ?? []).flatMap((commitment) =>
        notify('funding-request', commitment.id, contactRecipient(state, commitment.id), {
          commitment: commitment.id,
          amount: commitment.amount,
        }),
      );
    case 'active':
      return event.from === 'cohort'
        ? [
            ...notify('welcome', id, candidateRecipients(state)),
            ...notify('launched', id, [...coordinators(state), ...signatoryRecipients(state)]),
          ]
        : [];
    case 'completed':
      return notify('completed', id, everyoneWhoSigns);
    case 'cancelled':
      return notify('cancelled', id, everyoneWhoSigns, { reason: event.detail });
    default:
      return [];
  }
}

/**
 * Tells the coordinators that a mail was refused for good (a 5xx for a bad address), so a person can fix the address.
 * Nothing is reported about a report, and a coordinator's own refused address is not reported to itself.
 */
export function deliveryFailureReport(state: AgreementState, failed: Notification, reason: string): Notification[] {
  if (failed.kind === 'delivery-failed') return [];
  const detail = failed.key.replace(/:/g, '~');
  const recipients = coordinators(state).filter((c) => c.email !== failed.recipient.email);
  return notify('delivery-failed', detail, recipients, {
    reason,
    undelivered: { kind: failed.kind, recipient: failed.recipient.email, key: failed.key },
  });
}
