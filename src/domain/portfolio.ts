import { overdueItems, type DigestSource, type DigestStop, type OverdueItem } from './digest.ts';
import type { Recipient } from './notifications.ts';
import type { Stage } from './state.ts';
import type { AgreementView } from './view.ts';

/**
 * A coordinator's view beyond the Temporal UI (SPEC 17): every dated thing of the agreements they coordinate, for the
 * calendar feed and the portfolio page, read from the same `digest` Query answers the weekly digest is built from.
 */

export type DatedWhat =
  'ceremony' | 'approval-deadline' | 'signing-deadline' | 'funding-due' | 'launch' | 'obligation-due' | 'term-end';

/** One dated thing of an agreement: one VEVENT of the calendar feed, one mark on the portfolio's timeline. */
export interface DatedItem {
  /** Stable for as long as the thing exists, however often it moves. */
  uid: string;
  what: DatedWhat;
  agreementId: string;
  title: string;
  at: string;
  /**
   * Rises whenever the thing may have moved: the ceremony's own reschedule count, else the agreement's accepted event
   * count (every move of a date is an accepted event, and the count never falls), so the same state gives the same feed.
   */
  sequence: number;
  /** When this revision was made (the agreement's last change): DTSTAMP. */
  revisedAt: string;
  /** The zone the thing happens in: the ceremony's, else undefined (the reader's own). */
  timezone?: string;
  venue?: string;
  commitment?: string;
  obligation?: { id: string; title: string; owner: string };
  /** Already dealt with: the ceremony signed, the commitment confirmed, the obligation fulfilled, the cohort launched. */
  done: boolean;
  /** The agreement was cancelled (or stopped in Temporal): the thing will not happen. */
  cancelled: boolean;
}

const AFTER_SIGNING: readonly Stage[] = ['funding', 'cohort', 'active', 'completed'];
const AFTER_COHORT: readonly Stage[] = ['active', 'completed'];

/** The dated things of one agreement, in time order. */
export function datedItems(view: AgreementView, stopped?: DigestStop): DatedItem[] {
  const cancelled = view.stage === 'cancelled' || stopped !== undefined;
  const base = { agreementId: view.id, title: view.title, revisedAt: view.updatedAt, sequence: view.events, cancelled };
  const uid = (what: string) => `${what}.${view.id}@calendar.agreements.local`;
  const items: DatedItem[] = [];
  if (view.ceremony)
    items.push({
      ...base,
      uid: uid('ceremony'),
      what: 'ceremony',
      at: view.ceremony.at,
      sequence: view.ceremony.sequence,
      timezone: view.ceremony.timezone,
      venue: view.ceremony.venue,
      done: AFTER_SIGNING.includes(view.stage),
    });
  if (view.deadline)
    items.push({
      ...base,
      uid: uid(`${view.deadline.stage}-deadline`),
      what: view.deadline.stage === 'approval' ? 'approval-deadline' : 'signing-deadline',
      at: view.deadline.at,
      done: false,
    });
  for (const c of view.funding?.commitments ?? [])
    if (c.dueAt)
      items.push({
        ...base,
        uid: uid(`funding-${c.id}`),
        what: 'funding-due',
        at: c.dueAt,
        commitment: c.id,
        done: c.confirmed >= c.amount,
      });
  if (view.cohort?.launchAt)
    items.push({
      ...base,
      uid: uid('launch'),
      what: 'launch',
      at: view.cohort.launchAt,
      done: AFTER_COHORT.includes(view.stage),
    });
  for (const o of view.obligations)
    items.push({
      ...base,
      uid: uid(`obligation-${o.id}`),
      what: 'obligation-due',
      at: o.due,
      obligation: { id: o.id, title: o.title, owner: o.owner },
      done: o.fulfilledAt !== null,
    });
  if (view.term)
    items.push({
      ...base,
      uid: uid('term-end'),
      what: 'term-end',
      at: view.term.endsAt,
      done: view.stage === 'completed',
    });
  return items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The agreements `email` coordinates, by id. */
export const coordinatedBy = (sources: readonly DigestSource[], email: string): DigestSource[] =>
  sources
    .filter((source) => source.coordinators.some((c) => sameEmail(c.email, email)))
    .sort((a, b) => a.view.id.localeCompare(b.view.id));

/** The coordinator as their agreements name them (their locale and timezone); the first agreement's wins. */
export const coordinatorIn = (sources: readonly DigestSource[], email: string): Recipient | undefined =>
  sources.flatMap((source) => source.coordinators).find((c) => sameEmail(c.email, email));

/** A stage reached, and when, as the agreement's state tells it. */
export interface Milestone {
  what: 'started' | 'approved' | 'signed' | 'ended';
  at: string;
}

/** The moments the state keeps of the stages so far: started, approved (all approvals), signed (all signatures), ended. */
function milestones(view: AgreementView): Milestone[] {
  const last = (times: (string | null)[]) =>
    times.length > 0 && times.every((t) => t !== null)
      ? times.reduce<string>((a, b) => ((b as string) > a ? (b as string) : a), times[0] as string)
      : undefined;
  const found: Milestone[] = [{ what: 'started', at: view.startedAt }];
  const approved = last(view.approvals.map((a) => a.approvedAt));
  if (approved) found.push({ what: 'approved', at: approved });
  const signed = last(view.signatures.map((s) => s.signedAt));
  if (signed) found.push({ what: 'signed', at: signed });
  if (view.stage === 'completed' || view.stage === 'cancelled') found.push({ what: 'ended', at: view.updatedAt });
  return found.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export interface FundingTotal {
  currency: string;
  required: number;
  confirmed: number;
}

export interface PortfolioAgreement {
  id: string;
  title: string;
  stage: Stage;
  startedAt: string;
  milestones: Milestone[];
  dated: DatedItem[];
  /** Open dated things from now on. */
  coming: DatedItem[];
  overdue: OverdueItem[];
  /** Amounts in major units. */
  funding: FundingTotal | null;
  stopped?: DigestStop;
}

export interface Portfolio {
  /** As the agreements name the coordinator; undefined when they coordinate none. */
  coordinator?: Recipient;
  now: string;
  agreements: PortfolioAgreement[];
  /** Funding confirmed against required per currency, over the agreements with funding. */
  totals: FundingTotal[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The portfolio of `email` at `now`: only the agreements they coordinate. */
export function portfolio(sources: readonly DigestSource[], email: string, now: string): Portfolio {
  const mine = coordinatedBy(sources, email);
  const agreements = mine.map(({ view, coordinators, planned, stopped }): PortfolioAgreement => {
    const dated = datedItems(view, stopped);
    return {
      id: view.id,
      title: view.title,
      stage: view.stage,
      startedAt: view.startedAt,
      milestones: milestones(view),
      dated,
      coming: dated.filter((item) => !item.done && !item.cancelled && Date.parse(item.at) >= Date.parse(now)),
      overdue: stopped ? [] : overdueItems({ view, coordinators, planned }, now),
      funding: view.funding
        ? { currency: view.funding.currency, required: view.funding.required, confirmed: view.funding.confirmed }
        : null,
      ...(stopped ? { stopped } : {}),
    };
  });
  const totals = new Map<string, FundingTotal>();
  for (const { funding } of agreements) {
    if (!funding) continue;
    const total = totals.get(funding.currency) ?? { currency: funding.currency, required: 0, confirmed: 0 };
    total.required = round2(total.required + funding.required);
    total.confirmed = round2(total.confirmed + funding.confirmed);
    totals.set(funding.currency, total);
  }
  return {
    coordinator: coordinatorIn(mine, email),
    now,
    agreements,
    totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}
