import type { DigestSnapshot } from './digest-snapshot.ts';
import type { AgreementEvent } from './events.ts';
import type { MailKind, Notification, Recipient } from './notifications.ts';
import type { Stage } from './state.ts';

/** The sent-mail log files each row under an agreement id; a digest, about many agreements, under this one. */
export const DIGEST_LOG_ID = 'digest';
export const DIGEST_HORIZON_MS = 7 * 24 * 3600_000;

/** The digest's span: changes since the last digest, what falls due from now until `until` (7 days on). */
export interface DigestWindow {
  since: string;
  now: string;
  until: string;
}

export type DueItem =
  | { what: 'ceremony'; at: string; venue: string }
  | { what: 'reminder'; at: string; kind: MailKind; lead?: string }
  | { what: 'launch'; at: string }
  | { what: 'term-end'; at: string }
  | { what: 'deadline'; at: string; stage: 'approval' | 'signing' }
  | { what: 'funding-due'; at: string; commitment: string }
  | { what: 'obligation'; at: string; obligation: string; title: string; owner: string };

export type OverdueItem =
  | { what: 'funding'; since: string; commitment: string; outstanding: number; currency: string }
  | { what: 'signatures'; since: string; missing: string[] }
  | { what: 'launch'; since: string; enrolled: number; minimum: number }
  | { what: 'obligation'; since: string; obligation: string; title: string; owner: string }
  /** A variation open for longer than a digest's week: who it still waits on. */
  | { what: 'variation'; since: string; variation: string; status: 'approval' | 'signing'; missing: string[] };

/**
 * An agreement whose workflow was stopped in Temporal since the last digest (terminated by an operator, failed or timed
 * out) rather than completed or cancelled through the lifecycle: nothing about it will go out any more.
 */
export interface DigestStop {
  how: 'terminated' | 'failed' | 'timed-out';
  at: string;
}

/** What the digest is built from for one agreement: its Query's answer, and how it stopped if it did. */
export type DigestSource = DigestSnapshot & { stopped?: DigestStop };

/** One accepted event of the audit trail since the last digest. */
export interface DigestChange {
  at: string;
  actor: string;
  event: AgreementEvent;
}

export interface DigestAgreement {
  id: string;
  title: string;
  stage: Stage;
  /** The agreement's currency, for the amounts its changes name. */
  currency?: string;
  due: DueItem[];
  overdue: OverdueItem[];
  changes: DigestChange[];
  stopped?: DigestStop;
}

export interface Digest {
  runDate: string;
  window: DigestWindow;
  agreements: DigestAgreement[];
}

/** The digest mail of one coordinator; its key is `digest:<schedule run date>:<email>`, sent once like every mail. */
export interface DigestMailInput {
  /** DIGEST_LOG_ID: where the sent-mail log files it. */
  agreementId: string;
  notification: Notification & { kind: 'digest' };
  digest: Digest;
}

const within = (iso: string | null | undefined, from: string, to: string): iso is string =>
  iso !== null && iso !== undefined && Date.parse(iso) >= Date.parse(from) && Date.parse(iso) < Date.parse(to);
const before = (iso: string | null | undefined, moment: string): iso is string =>
  iso !== null && iso !== undefined && Date.parse(iso) < Date.parse(moment);
const byTime = <T extends { at: string }>(items: T[]) => items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

/** Obligations are tracked while the agreement is active: the open ones fall due, or are overdue. */
const trackedObligations = (view: DigestSnapshot['view']) =>
  view.stage === 'active' ? view.obligations.filter((o) => o.fulfilledAt === null) : [];

function dueItems({ view, planned }: DigestSnapshot, window: DigestWindow): DueItem[] {
  const { now, until } = window;
  const open = !['active', 'completed', 'cancelled'].includes(view.stage);
  const items: DueItem[] = [];
  if (view.ceremony && (view.stage === 'draft' || view.stage === 'signing') && within(view.ceremony.at, now, until))
    items.push({ what: 'ceremony', at: view.ceremony.at, venue: view.ceremony.venue });
  for (const step of planned) {
    if (step.kind === 'automatic-launch' || step.kind === 'end-of-term' || step.kind === 'deadline') continue;
    if (!within(step.at, now, until)) continue;
    items.push({ what: 'reminder', at: step.at, kind: step.kind, lead: step.lead });
  }
  if (view.deadline && within(view.deadline.at, now, until))
    items.push({ what: 'deadline', at: view.deadline.at, stage: view.deadline.stage });
  if (open && within(view.cohort?.launchAt, now, until)) items.push({ what: 'launch', at: view.cohort.launchAt });
  if (view.stage === 'active' && within(view.term?.endsAt, now, until))
    items.push({ what: 'term-end', at: view.term.endsAt });
  for (const c of view.funding?.commitments ?? []) {
    if (open && c.confirmed < c.amount && within(c.dueAt, now, until))
      items.push({ what: 'funding-due', at: c.dueAt, commitment: c.id });
  }
  for (const o of trackedObligations(view)) {
    if (within(o.due, now, until))
      items.push({ what: 'obligation', at: o.due, obligation: o.id, title: o.title, owner: o.owner });
  }
  return byTime(items);
}

export function overdueItems({ view }: DigestSnapshot, now: string): OverdueItem[] {
  const items: OverdueItem[] = [];
  // In active, only a commitment a variation added or raised can be outstanding.
  if ((view.stage === 'funding' || view.stage === 'active') && view.funding) {
    for (const c of view.funding.commitments) {
      if (c.confirmed < c.amount && before(c.dueAt, now)) {
        const outstanding = Math.round((c.amount - c.confirmed) * 100) / 100;
        items.push({ what: 'funding', since: c.dueAt, commitment: c.id, outstanding, currency: view.funding.currency });
      }
    }
  }
  const missing = view.signatures.filter((s) => s.signedAt === null).map((s) => s.name);
  if (view.stage === 'signing' && missing.length > 0 && before(view.ceremony?.at, now))
    items.push({ what: 'signatures', since: view.ceremony.at, missing });
  const cohort = view.cohort;
  if (view.stage === 'cohort' && cohort && cohort.enrolled.length < cohort.minimum && before(cohort.launchAt, now))
    items.push({ what: 'launch', since: cohort.launchAt, enrolled: cohort.enrolled.length, minimum: cohort.minimum });
  const waiting = new Date(Date.parse(now) - DIGEST_HORIZON_MS).toISOString();
  for (const v of view.variations ?? []) {
    if ((v.status === 'approval' || v.status === 'signing') && before(v.statusAt, waiting)) {
      const people =
        v.status === 'approval'
          ? v.approvals.map((a) => ({ name: a.name, done: a.approvedAt }))
          : v.signatures.map((x) => ({ name: x.name, done: x.signedAt }));
      const missing = people.filter((p) => p.done === null).map((p) => p.name);
      items.push({ what: 'variation', since: v.statusAt, variation: v.id, status: v.status, missing });
    }
  }
  // Against the digest's own moment, not the view's flag: what is not yet overdue here is listed as due instead.
  for (const o of trackedObligations(view)) {
    if (before(o.due, now))
      items.push({ what: 'obligation', since: o.due, obligation: o.id, title: o.title, owner: o.owner });
  }
  return items;
}

/**
 * One digest per coordinator over every agreement they coordinate: what falls due in the window, what is overdue, what
 * changed since the last digest. A coordinator whose agreements hold nothing still gets one (it says so). `snapshots`
 * include the agreements that ended (completed or cancelled) since the last digest: they show under their final stage
 * with the changes that ended them. One stopped in Temporal (`stopped`) shows that instead of what would have fallen due.
 */
export function buildDigests(
  snapshots: DigestSource[],
  changes: ReadonlyMap<string, DigestChange[]>,
  window: DigestWindow,
  runDate: string,
): DigestMailInput[] {
  const byEmail = new Map<string, { recipient: Recipient; agreements: DigestAgreement[] }>();
  for (const snapshot of [...snapshots].sort((a, b) => a.view.id.localeCompare(b.view.id))) {
    const { view, stopped } = snapshot;
    const agreement: DigestAgreement = {
      id: view.id,
      title: view.title,
      stage: view.stage,
      currency: view.funding?.currency,
      // A stopped workflow sends no reminder and chases nothing: listing them would promise what will not happen.
      due: stopped ? [] : dueItems(snapshot, window),
      overdue: stopped ? [] : overdueItems(snapshot, window.now),
      changes: (changes.get(view.id) ?? []).filter((change) => within(change.at, window.since, window.now)),
      ...(stopped ? { stopped } : {}),
    };
    const worthSaying =
      agreement.due.length + agreement.overdue.length + agreement.changes.length > 0 || stopped !== undefined;
    for (const recipient of snapshot.coordinators) {
      const entry = byEmail.get(recipient.email) ?? { recipient, agreements: [] };
      if (worthSaying) entry.agreements.push(agreement);
      byEmail.set(recipient.email, entry);
    }
  }
  return [...byEmail.values()].map(({ recipient, agreements }) => ({
    agreementId: DIGEST_LOG_ID,
    notification: { key: `digest:${runDate}:${recipient.email}`, kind: 'digest', recipient, about: {} },
    digest: { runDate, window, agreements },
  }));
}

/** The date (YYYY-MM-DD) of a moment in a timezone: a Monday 07:00 run in Shanghai is dated that Monday. */
export function calendarDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
