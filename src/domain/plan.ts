import type { TimedCommand } from './commands.ts';
import type { Duration } from './duration.ts';
import {
  approverRecipients,
  contactRecipient,
  coordinators,
  notify,
  obligationOwner,
  obligationSubject,
  signatoryRecipients,
  signingDetail,
  variationSubject,
  type Notification,
  type Recipient,
} from './notifications.ts';
import type { Commitment } from './agreement.ts';
import { openVariation } from './variations.ts';
import { durationFromText } from './duration.ts';
import {
  currentDeadline,
  missingApprovers,
  missingSignatories,
  openObligations,
  unconfirmedCommitments,
  type AgreementState,
} from './state.ts';
import { deferIntoWorkingHours } from './working-hours.ts';

/** Something the workflow will do at a moment in time unless the state changes first. */
export type PlannedAction =
  | { at: number; summary: string; type: 'notify'; notification: Notification }
  | { at: number; summary: string; type: 'command'; command: TimedCommand };

const time = (iso: string | undefined) => (iso ? Date.parse(iso) : Number.NaN);
const compact = (iso: string) => new Date(iso).toISOString().replace(/[-:]|\.\d+/g, '');

/**
 * Every timed action still ahead for this state, earliest first: reminders not yet sent, automatic launch and
 * completion. A pure function of the state, so any change (a signature, a reschedule) re-plans by itself.
 */
export function plan(state: AgreementState): PlannedAction[] {
  // States are never mutated (evolve returns a new one), so a plan can be remembered per state object.
  const remembered = plans.get(state);
  if (remembered) return remembered;
  const planned = computePlan(state);
  plans.set(state, planned);
  return planned;
}

const plans = new WeakMap<AgreementState, PlannedAction[]>();

function computePlan(state: AgreementState): PlannedAction[] {
  const actions = [
    ...approvalPlan(state),
    ...signingPlan(state),
    ...fundingPlan(state),
    ...variationFundingPlan(state),
    ...variationPlan(state),
    ...cohortPlan(state),
    ...activePlan(state),
    ...obligationsPlan(state),
    ...deadlinePlan(state),
  ];
  const notified = new Set(state.notified);
  const hours = state.agreement.reminders.workingHours;
  return actions
    .filter((action) => action.type === 'command' || !notified.has(action.notification.key))
    .filter((action) => action.type === 'command' || action.at >= replacedSince(state, action.notification.recipient))
    .map((action) =>
      action.type === 'notify'
        ? { ...action, at: deferIntoWorkingHours(action.at, action.notification.recipient.timezone, hours) }
        : action,
    )
    .sort((a, b) => a.at - b.at);
}

/** The actions due at `now`, and the moment of the next one after them (for the workflow's timer). */
export function dueActions(state: AgreementState, now: number): { due: PlannedAction[]; nextAt?: number } {
  const actions = plan(state);
  const due = actions.filter((action) => action.at <= now);
  const nextAt = actions.find((action) => action.at > now)?.at;
  return nextAt === undefined ? { due } : { due, nextAt };
}

function reminders(
  at: number,
  kind: Parameters<typeof notify>[0],
  detail: string,
  recipients: Recipient[],
  summary: string,
  about: Notification['about'] = {},
): PlannedAction[] {
  if (!Number.isFinite(at)) return [];
  return notify(kind, detail, recipients, about).map((notification) => ({
    at,
    type: 'notify' as const,
    notification,
    summary: `${summary} → ${notification.recipient.label}`,
  }));
}

/** Lead-time notices before `target`; a notice whose moment had passed when the target was set is skipped. */
function leadNotices(
  target: number,
  setAt: number,
  leads: Duration[],
  build: (lead: Duration, at: number) => PlannedAction[],
): PlannedAction[] {
  return leads.filter((lead) => target - lead.ms >= setAt).flatMap((lead) => build(lead, target - lead.ms));
}

/**
 * When the person a reminder goes to took over from someone replaced (else -Infinity): what was meant for an earlier
 * moment was meant for the person before them.
 */
function replacedSince(state: AgreementState, recipient: Recipient): number {
  const role = recipient.role === 'signatory' || recipient.role === 'approver' ? recipient.role : undefined;
  const at = role ? state.replacedAt?.[`${role}:${recipient.label}`] : undefined;
  return at ? Date.parse(at) : Number.NEGATIVE_INFINITY;
}

/** The first chase after `since` of chases every `every` from `from` (a replaced person's chases start after it). */
function firstChaseAfter(from: number, every: number, since: number): number {
  return Number.isFinite(since) && since > from ? Math.ceil((since - from) / every) : 1;
}

function nextChase(state: AgreementState, keyOf: (n: number) => string, first = 1): number {
  const notified = new Set(state.notified);
  let n = first;
  while (notified.has(keyOf(n))) n++;
  return n;
}

/** While approvals are awaited: a chase to each missing approver every `approvalChase.every`, then one escalation. */
function approvalPlan(state: AgreementState): PlannedAction[] {
  if (state.stage !== 'approval') return [];
  const enteredAt = time(state.stageEnteredAt);
  const round = state.approvalRound;
  const { every, escalateAfter } = state.agreement.approvalChase;
  const missing = missingApprovers(state);
  const chases = approverRecipients(
    state,
    missing.map((a) => a.id),
  ).flatMap((recipient) => {
    const first = firstChaseAfter(enteredAt, every.ms, replacedSince(state, recipient));
    const n = nextChase(state, (k) => `approval-chase:${round}-${k}:${recipient.email}`, first);
    return reminders(enteredAt + n * every.ms, 'approval-chase', `${round}-${n}`, [recipient], `approval chase ${n}`, {
      approver: recipient.label,
      chase: n,
    });
  });
  const escalations = missing.flatMap((approver) =>
    reminders(
      enteredAt + (escalateAfter + 1) * every.ms,
      'approval-escalation',
      `${round}-${approver.id}`,
      coordinators(state),
      `approval escalation ${approver.id}`,
      { approver: approver.id },
    ),
  );
  return [...chases, ...escalations];
}

/**
 * While the agreement is active, for each open obligation: notices before it falls due (those whose moment had passed
 * when it became tracked are skipped), then an overdue notice at its due moment and every `obligationChase.every`.
 */
function obligationsPlan(state: AgreementState): PlannedAction[] {
  if (state.stage !== 'active') return [];
  const activeSince = time(state.stageEnteredAt);
  const { every } = state.agreement.obligationChase;
  return openObligations(state).flatMap((obligation) => {
    const due = time(obligation.due);
    const trackedSince = Math.max(activeSince, time(state.obligationsAddedAt[obligation.id]) || activeSince);
    const owner = obligationOwner(state, obligation.id);
    const about = { obligation: obligationSubject(state, obligation.id) };
    const notices = leadNotices(due, trackedSince, obligation.notice, (lead, at) =>
      reminders(
        at,
        'obligation-notice',
        `${obligation.id}-${lead.iso}`,
        owner,
        `obligation notice ${obligation.id} ${lead.iso}`,
        {
          ...about,
          lead: lead.iso,
        },
      ),
    );
    const ownerEmail = owner[0]?.email ?? '';
    const n = nextChase(state, (k) => `obligation-overdue:${obligation.id}-${k}:${ownerEmail}`);
    const overdue = reminders(
      Math.max(due, trackedSince) + (n - 1) * every.ms,
      'obligation-overdue',
      `${obligation.id}-${n}`,
      [...owner, ...coordinators(state)],
      `obligation overdue ${obligation.id} ${n}`,
      { ...about, chase: n },
    );
    return [...notices, ...overdue];
  });
}

function signingPlan(state: AgreementState): PlannedAction[] {
  const ceremony = state.agreement.ceremony;
  if (state.stage !== 'signing' || !ceremony) return [];
  const ceremonyAt = time(ceremony.at);
  const { ceremonyNotice, signatureChase } = state.agreement.reminders;
  const missing = missingSignatories(state);
  const missingIds = missing.map((s) => s.id);
  const sequence = state.ceremonySequence > 1 ? `-seq${state.ceremonySequence}` : '';
  const notices = leadNotices(ceremonyAt, time(state.ceremonyScheduledAt), ceremonyNotice, (lead, at) =>
    reminders(
      at,
      'ceremony-notice',
      signingDetail(state, `${lead.iso}${sequence}`),
      [...signatoryRecipients(state, missingIds), ...coordinators(state)],
      `ceremony notice ${lead.iso}`,
      { lead: lead.iso },
    ),
  );
  const every = signatureChase.every.ms;
  const chases = signatoryRecipients(state, missingIds).flatMap((recipient, index) => {
    const signatory = missing[index]?.id ?? '';
    const first = firstChaseAfter(ceremonyAt, every, replacedSince(state, recipient));
    const n = nextChase(state, (k) => `signature-chase:${signingDetail(state, String(k))}:${recipient.email}`, first);
    const detail = signingDetail(state, String(n));
    return reminders(ceremonyAt + n * every, 'signature-chase', detail, [recipient], `signature chase ${n}`, {
      signatory,
      chase: n,
    });
  });
  const escalations = missing.flatMap((signatory) =>
    reminders(
      ceremonyAt + (signatureChase.escalateAfter + 1) * every,
      'signature-escalation',
      signingDetail(state, signatory.id),
      coordinators(state),
      `signature escalation ${signatory.id}`,
      { signatory: signatory.id },
    ),
  );
  return [...notices, ...chases, ...escalations];
}

/** The warnings before the current stage's deadline (SPEC §18), fixed at a week and a day. */
const DEADLINE_WARNINGS: Duration[] = ['P7D', 'P1D'].map((iso) => {
  const parsed = durationFromText(iso);
  if (!parsed) throw new Error(`bad deadline warning ${iso}`);
  return parsed;
});

/**
 * Before the current stage's deadline: a warning a week and a day ahead to those still to act and the coordinators
 * (skipped where its moment had passed when the deadline was set); at the deadline, the agreement is cancelled. The
 * deadline's moment is in each key, so an extended deadline warns again.
 */
function deadlinePlan(state: AgreementState): PlannedAction[] {
  const deadline = currentDeadline(state);
  if (!deadline) return [];
  const { stage, at } = deadline;
  const deadlineIso = new Date(at).toISOString();
  const stillToAct =
    stage === 'approval'
      ? approverRecipients(
          state,
          missingApprovers(state).map((a) => a.id),
        )
      : signatoryRecipients(
          state,
          missingSignatories(state).map((s) => s.id),
        );
  const missing = stillToAct.map((recipient) => recipient.label);
  const detail = (lead: Duration) =>
    stage === 'approval'
      ? `approval-${state.approvalRound}-${lead.iso}-${compact(deadlineIso)}`
      : signingDetail(state, `signing-${lead.iso}-${compact(deadlineIso)}`);
  const warnings = leadNotices(at, deadline.setAt, DEADLINE_WARNINGS, (lead, warnAt) =>
    reminders(
      warnAt,
      'deadline-warning',
      detail(lead),
      [...stillToAct, ...coordinators(state)],
      `${stage} deadline warning ${lead.iso}`,
      { lead: lead.iso, deadline: { stage, at: deadlineIso }, missing },
    ),
  );
  return [...warnings, { at, type: 'command', command: { name: 'deadlinePassed' }, summary: `${stage} deadline` }];
}

function fundingPlan(state: AgreementState): PlannedAction[] {
  if (state.stage !== 'funding') return [];
  const enteredAt = time(state.stageEnteredAt);
  return unconfirmedCommitments(state).flatMap((commitment) => commitmentChases(state, commitment, enteredAt, ''));
}

/**
 * While active, each commitment a variation added or raised (SPEC 18) is chased like any other from when the
 * variation applied; its keys carry the variation, so a raised commitment's mail is new mail.
 */
function variationFundingPlan(state: AgreementState): PlannedAction[] {
  if (state.stage !== 'active') return [];
  const outstanding = new Map(unconfirmedCommitments(state).map((commitment) => [commitment.id, commitment]));
  return Object.entries(state.fundingRequests ?? {}).flatMap(([id, request]) => {
    const commitment = outstanding.get(id);
    if (!commitment) return [];
    const about = { variation: variationSubject(state, request.variation) };
    return commitmentChases(state, commitment, time(request.at), `${request.variation}-`, about);
  });
}

/** A commitment asked for at `since`: chases every `fundingChase.every`, one escalation, and an overdue notice. */
function commitmentChases(
  state: AgreementState,
  commitment: Commitment,
  since: number,
  prefix: string,
  subject: Notification['about'] = {},
) {
  const { every, escalateAfter } = state.agreement.reminders.fundingChase;
  const about = { ...subject, commitment: commitment.id, amount: commitment.amount };
  const contact = contactRecipient(state, commitment.id);
  const contactEmail = contact[0]?.email ?? '';
  const id = `${prefix}${commitment.id}`;
  const n = nextChase(state, (k) => `funding-chase:${id}-${k}:${contactEmail}`);
  return [
    ...reminders(since + n * every.ms, 'funding-chase', `${id}-${n}`, contact, `funding chase ${commitment.id} ${n}`, {
      ...about,
      chase: n,
    }),
    ...reminders(
      since + (escalateAfter + 1) * every.ms,
      'funding-escalation',
      id,
      coordinators(state),
      `funding escalation ${commitment.id}`,
      about,
    ),
    ...(commitment.dueAt
      ? reminders(
          Math.max(time(commitment.dueAt), since),
          'funding-overdue',
          id,
          // The funder's contact gets it too (with their link, SPEC 16), not only the office that chases them.
          [...contact, ...coordinators(state)],
          `funding overdue ${commitment.id}`,
          about,
        )
      : []),
  ];
}

/** While a variation is open: its request chased to each approver still to approve, or its invitation to each signatory. */
function variationPlan(state: AgreementState): PlannedAction[] {
  const open = state.stage === 'active' ? openVariation(state) : undefined;
  if (!open) return [];
  const since = time(open.statusAt);
  const about = { variation: variationSubject(state, open.id) };
  const approving = open.status === 'approval';
  const every = approving ? state.agreement.approvalChase.every.ms : state.agreement.reminders.signatureChase.every.ms;
  const kind = approving ? 'variation-request' : 'variation-invitation';
  const recipients = approving
    ? approverRecipients(
        state,
        state.agreement.approvals.filter((a) => !open.approvals.some((g) => g.approver === a.id)).map((a) => a.id),
      )
    : signatoryRecipients(
        state,
        state.agreement.signatories.filter((s) => !open.signatures.some((g) => g.signatory === s.id)).map((s) => s.id),
      );
  return recipients.flatMap((recipient) => {
    const n = nextChase(state, (k) => `${kind}:${open.id}-${k}:${recipient.email}`);
    return reminders(since + n * every, kind, `${open.id}-${n}`, [recipient], `variation ${open.id} chase ${n}`, {
      ...about,
      [approving ? 'approver' : 'signatory']: recipient.label,
      chase: n,
    });
  });
}

function cohortPlan(state: AgreementState): PlannedAction[] {
  const cohort = state.agreement.cohort;
  if (state.stage !== 'cohort' || !cohort?.launchAt) return [];
  const launchAt = time(cohort.launchAt);
  const enteredAt = time(state.stageEnteredAt);
  const notices = leadNotices(launchAt, enteredAt, state.agreement.reminders.launchNotice, (lead, at) =>
    reminders(at, 'launch-notice', lead.iso, coordinators(state), `launch notice ${lead.iso}`, { lead: lead.iso }),
  );
  const escalationKeys = coordinators(state).map((c) => `launch-escalation:${state.agreement.id}:${c.email}`);
  const escalated = escalationKeys.some((key) => state.notified.includes(key));
  if (escalated) return notices;
  const atLaunch: PlannedAction[] =
    state.candidates.length >= cohort.minimum
      ? [{ at: launchAt, type: 'command', command: { name: 'autoLaunch' }, summary: 'automatic launch' }]
      : reminders(launchAt, 'launch-escalation', state.agreement.id, coordinators(state), 'launch escalation', {});
  return [...notices, ...atLaunch];
}

function activePlan(state: AgreementState): PlannedAction[] {
  const endsAt = state.agreement.term?.endsAt;
  if (state.stage !== 'active' || !endsAt) return [];
  const end = time(endsAt);
  const notices = leadNotices(end, time(state.termSetAt), state.agreement.reminders.renewalNotice, (lead, at) =>
    reminders(
      at,
      'renewal-notice',
      `${lead.iso}-${compact(endsAt)}`,
      coordinators(state),
      `renewal notice ${lead.iso}`,
      { lead: lead.iso },
    ),
  );
  return [...notices, { at: end, type: 'command', command: { name: 'autoComplete' }, summary: 'end of term' }];
}
