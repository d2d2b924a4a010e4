import { agreementClock } from './human-time.ts';
import {
  changedPaths,
  variationDocuments,
  variationEffect,
  variationsOf,
  type Variation,
  type VariationStatus,
} from './variations.ts';
import { formatMinor, toMajor } from './money.ts';
import { plan, type PlannedAction } from './plan.ts';
import {
  confirmedAmount,
  currentDeadline,
  isOverdue,
  openObligations,
  type AgreementState,
  type Stage,
} from './state.ts';

/** What `agreements show --json` prints and the `state` Query returns. Amounts in major units. */
export interface AgreementView {
  id: string;
  title: string;
  kind: string;
  stage: Stage;
  startedAt: string;
  updatedAt: string;
  parties: { id: string; name: string }[];
  /**
   * One per signatory. `email` is the current person's: a web link made for someone since replaced (same id, another
   * email) is refused by comparing the link's email with it.
   */
  signatures: {
    signatory: string;
    name: string;
    email: string;
    party: string;
    signedAt: string | null;
    documentSha256?: string;
    /** The version of each document this signature binds to (where the agreement lists documents). */
    documents?: { id: string; sha256: string }[];
  }[];
  /** The agreement's documents at their current versions: a signature must quote each one's SHA-256. */
  documents: { id: string; title: string; sha256: string; language?: string }[];
  ceremony: { at: string; venue: string; timezone: string; sequence: number } | null;
  funding: {
    currency: string;
    required: number;
    confirmed: number;
    commitments: { id: string; funder: string; amount: number; confirmed: number; dueAt: string | null }[];
  } | null;
  cohort: {
    capacity: number;
    minimum: number;
    launchAt: string | null;
    sites: string[];
    enrolled: { name: string; email: string; party: string | null; enrolledAt: string }[];
  } | null;
  term: { endsAt: string } | null;
  /** Internal sign-off before signature, in the current round (empty when the agreement needs none). */
  approvals: { approver: string; name: string; email: string; approvedAt: string | null; note?: string }[];
  obligations: {
    id: string;
    title: string;
    due: string;
    owner: string;
    fulfilledAt: string | null;
    reference?: string;
    overdue: boolean;
  }[];
  /**
   * Variations proposed since signing (SPEC 18), oldest first. `documents` are the versions the variation makes (its
   * signatures quote them); `approvals` and `signatures` list everyone asked, with null until they act.
   */
  variations: VariationView[];
  /** The current stage's deadline (approval or signing, where `deadlines` gives one): at it, the agreement is cancelled. */
  deadline: { stage: 'approval' | 'signing'; at: string } | null;
  nextReminderAt: string | null;
  nextActionAt: string | null;
  cancelReason: string | null;
  events: number;
}

export interface VariationView {
  id: string;
  reason: string;
  status: VariationStatus;
  proposedAt: string;
  proposedBy: string;
  statusAt: string;
  /** What it changes: `term.endsAt`, `cohort.capacity`, `funding.commitments`, `obligations`, `documents`. */
  changes: string[];
  patch: Record<string, unknown>;
  /**
   * What it sets (SPEC 18), for readers that show it: the new end of term and capacity where it changes them, the
   * commitments it adds or raises (asked of their funders when it applies; `previous` today's amount while open, null
   * for a new one or once applied), and while open the obligations it adds or changes. None once withdrawn.
   */
  sets: {
    currency: string | null;
    termEndsAt: string | null;
    capacity: number | null;
    commitments: { id: string; funder: string; amount: number; previous: number | null }[];
    obligations: { id: string; title: string; due: string; added: boolean }[];
  };
  documents: { id: string; title: string; sha256: string; language?: string }[];
  approvals: { approver: string; name: string; approvedAt: string | null }[];
  signatures: {
    signatory: string;
    name: string;
    signedAt: string | null;
    documents?: { id: string; sha256: string }[];
  }[];
  withdrawnReason?: string;
}

/** A variation's effect as a view gives amounts: in major units. */
function effectView(state: AgreementState, variation: Variation): VariationView['sets'] {
  const { termEndsAt, capacity, commitments, currency, obligations } = variationEffect(state, variation);
  return {
    currency: currency ?? null,
    termEndsAt: termEndsAt ?? null,
    capacity: capacity ?? null,
    commitments: commitments.map(({ id, funder, amount, previous }) => ({
      id,
      funder,
      amount: toMajor(amount),
      previous: previous === undefined ? null : toMajor(previous),
    })),
    obligations,
  };
}

function variationView(state: AgreementState, variation: Variation): VariationView {
  const { agreement } = state;
  const approved = new Map(variation.approvals.map((a) => [a.approver, a]));
  const signed = new Map(variation.signatures.map((s) => [s.signatory, s]));
  return {
    id: variation.id,
    reason: variation.reason,
    status: variation.status,
    proposedAt: variation.proposedAt,
    proposedBy: variation.proposedBy,
    statusAt: variation.statusAt,
    changes: changedPaths(variation.patch),
    patch: variation.patch,
    sets: effectView(state, variation),
    documents: variationDocuments(state, variation).map((document) => ({ ...document })),
    approvals: agreement.approvals.map((approver) => ({
      approver: approver.id,
      name: approver.name,
      approvedAt: approved.get(approver.id)?.approvedAt ?? null,
    })),
    signatures: agreement.signatories.map((signatory) => {
      const signature = signed.get(signatory.id);
      return {
        signatory: signatory.id,
        name: signatory.name,
        signedAt: signature?.signedAt ?? null,
        ...(signature?.documents ? { documents: signature.documents } : {}),
      };
    }),
    ...(variation.withdrawnReason === undefined ? {} : { withdrawnReason: variation.withdrawnReason }),
  };
}

export function nextReminderAt(state: AgreementState): number | undefined {
  return plan(state).find((action) => action.type === 'notify')?.at;
}

/** When the earliest open obligation of a live agreement falls due. */
export function nextObligationDue(state: AgreementState): number | undefined {
  if (state.stage === 'completed' || state.stage === 'cancelled') return undefined;
  const due = openObligations(state).map((obligation) => Date.parse(obligation.due));
  return due.length > 0 ? Math.min(...due) : undefined;
}

function fundingTotals(state: AgreementState) {
  const commitments = state.agreement.funding?.commitments ?? [];
  return {
    required: commitments.reduce((sum, c) => sum + c.amount, 0),
    confirmed: commitments.reduce((sum, c) => sum + confirmedAmount(state, c.id), 0),
  };
}

/** `now` decides which open obligations are overdue: the workflow's clock in a Query, the event's time otherwise. */
export function agreementView(state: AgreementState, now = Date.parse(state.updatedAt)): AgreementView {
  const { agreement } = state;
  const approvals = new Map(state.approvals.map((approval) => [approval.approver, approval]));
  const fulfilments = new Map(state.fulfilments.map((fulfilment) => [fulfilment.obligation, fulfilment]));
  const planned = plan(state);
  const reminderAt = planned.find((action) => action.type === 'notify')?.at;
  const signatures = new Map(state.signatures.map((signature) => [signature.signatory, signature]));
  const totals = fundingTotals(state);
  const deadline = currentDeadline(state);
  return {
    id: agreement.id,
    title: agreement.title,
    kind: agreement.kind,
    stage: state.stage,
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
    parties: agreement.parties.map((party) => ({ id: party.id, name: party.name })),
    signatures: agreement.signatories.map((signatory) => {
      const signature = signatures.get(signatory.id);
      return {
        signatory: signatory.id,
        name: signatory.name,
        email: signatory.email,
        party: signatory.party,
        signedAt: signature?.signedAt ?? null,
        documentSha256: signature?.documentSha256,
        ...(signature?.documents ? { documents: signature.documents } : {}),
      };
    }),
    documents: agreement.documents.map((document) => ({ ...document })),
    ceremony: agreement.ceremony ? { ...agreement.ceremony, sequence: state.ceremonySequence } : null,
    funding: agreement.funding
      ? {
          currency: agreement.funding.currency,
          required: toMajor(totals.required),
          confirmed: toMajor(totals.confirmed),
          commitments: agreement.funding.commitments.map((c) => ({
            id: c.id,
            funder: c.funder,
            amount: toMajor(c.amount),
            confirmed: toMajor(confirmedAmount(state, c.id)),
            dueAt: c.dueAt ?? null,
          })),
        }
      : null,
    cohort: agreement.cohort
      ? {
          capacity: agreement.cohort.capacity,
          minimum: agreement.cohort.minimum,
          launchAt: agreement.cohort.launchAt ?? null,
          sites: agreement.cohort.sites,
          enrolled: state.candidates.map((c) => ({
            name: c.name,
            email: c.email,
            party: c.party ?? null,
            enrolledAt: c.enrolledAt,
          })),
        }
      : null,
    term: agreement.term ? { endsAt: agreement.term.endsAt } : null,
    approvals: agreement.approvals.map((approver) => {
      const approval = approvals.get(approver.id);
      return {
        approver: approver.id,
        name: approver.name,
        email: approver.email,
        approvedAt: approval?.approvedAt ?? null,
        ...(approval?.note === undefined ? {} : { note: approval.note }),
      };
    }),
    obligations: agreement.obligations.map((obligation) => {
      const fulfilment = fulfilments.get(obligation.id);
      return {
        id: obligation.id,
        title: obligation.title,
        due: obligation.due,
        owner: obligation.owner.name,
        fulfilledAt: fulfilment?.fulfilledAt ?? null,
        ...(fulfilment?.reference === undefined ? {} : { reference: fulfilment.reference }),
        overdue: !fulfilment && isOverdue(state.stage, obligation.due, now),
      };
    }),
    variations: variationsOf(state).map((variation) => variationView(state, variation)),
    deadline: deadline ? { stage: deadline.stage, at: new Date(deadline.at).toISOString() } : null,
    nextReminderAt: reminderAt === undefined ? null : new Date(reminderAt).toISOString(),
    nextActionAt: planned[0] ? new Date(planned[0].at).toISOString() : null,
    cancelReason: state.cancelReason ?? null,
    events: state.eventCount,
  };
}

/** One row of the register. Amounts in minor units. */
export interface RegisterRow {
  id: string;
  title: string;
  kind: string;
  parties: string[];
  stage: Stage;
  ceremonyAt: string | null;
  currency: string | null;
  fundingRequired: number;
  fundingConfirmed: number;
  cohortSize: number;
  /** When internal approval last completed (null without approvals, or before). */
  approvedAt: string | null;
  obligationsOpen: number;
  /** The due moments of the open obligations: the register counts those past due when it is read. */
  obligationsDue: string[];
  startedAt: string;
  updatedAt: string;
  /** Who made the last change and how that was established (from the records store; absent on older rows). */
  updatedBy?: string;
  updatedByProof?: string;
  /** The SHA-256 of the certificate of completion, once all have signed (from the records store). */
  certificateSha256?: string;
}

/** How many of a register row's open obligations are past due at `now` (they are tracked while it is active). */
export function obligationsOverdue(row: Pick<RegisterRow, 'stage' | 'obligationsDue'>, now: number): number {
  return row.obligationsDue.filter((due) => isOverdue(row.stage, due, now)).length;
}

export function registerRow(state: AgreementState): RegisterRow {
  const totals = fundingTotals(state);
  const open = openObligations(state);
  return {
    id: state.agreement.id,
    title: state.agreement.title,
    kind: state.agreement.kind,
    parties: state.agreement.parties.map((party) => party.id),
    stage: state.stage,
    ceremonyAt: state.agreement.ceremony?.at ?? null,
    currency: state.agreement.funding?.currency ?? null,
    fundingRequired: totals.required,
    fundingConfirmed: totals.confirmed,
    cohortSize: state.candidates.length,
    approvedAt: state.approvedAt ?? null,
    obligationsOpen: open.length,
    obligationsDue: open.map((obligation) => obligation.due),
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
  };
}

/**
 * The short markdown status the Temporal UI shows as the workflow's current details. `withTitle` for a run that has
 * no summary of its own: continue-as-new cannot carry the static summary (SDK 1.24), so the title goes in here.
 */
export function currentDetails(state: AgreementState, withTitle = false): string {
  const { agreement } = state;
  const lines = [...(withTitle ? [`**Agreement:** ${agreement.title}`] : []), `**Stage:** ${state.stage}`];
  lines.push(`**Signatures:** ${state.signatures.length} of ${agreement.signatories.length}`);
  if (agreement.funding) {
    const totals = fundingTotals(state);
    lines.push(
      `**Funding:** ${formatMinor(totals.confirmed, agreement.funding.currency)} / ${formatMinor(totals.required, agreement.funding.currency)} confirmed`,
    );
  }
  if (agreement.cohort) lines.push(`**Enrolled:** ${state.candidates.length} of ${agreement.cohort.capacity}`);
  const planned = plan(state);
  // A person reads this in the UI: a local time named by its place, never the ISO instant (which --json keeps).
  const clock = agreementClock(agreement);
  if (agreement.approvals.length > 0) {
    lines.push(`**Approvals:** ${state.approvals.length} of ${agreement.approvals.length}`);
  }
  const open = openObligations(state).sort((a, b) => Date.parse(a.due) - Date.parse(b.due));
  if (agreement.obligations.length > 0) {
    const next = open[0];
    lines.push(
      `**Obligations:** ${open.length} open of ${agreement.obligations.length}` +
        (next ? `; next ${next.title} due ${clock(next.due)}` : ''),
    );
  }
  const at = (action: PlannedAction) =>
    `${action.summary.split(' → ')[0]} at ${clock(new Date(action.at).toISOString())}`;
  const reminder = planned.find((action) => action.type === 'notify');
  lines.push(`**Next reminder:** ${reminder ? at(reminder) : 'none planned'}`);
  // An automatic step (launch at launchAt, completion at the end of term) due before any reminder is worth a line too.
  const first = planned[0];
  if (first && first.type !== 'notify') lines.push(`**Next step:** ${at(first)}`);
  // A list: the UI's markdown would run plain lines together into one paragraph.
  return lines.map((line) => `- ${line}`).join('\n');
}

/** The agreement facts a message needs (ceremony, amounts, counts), without the list of candidates. */
export type AgreementFacts = Omit<AgreementView, 'cohort'> & {
  cohort: (Omit<NonNullable<AgreementView['cohort']>, 'enrolled'> & { enrolledCount: number }) | null;
};

export function agreementFacts(state: AgreementState): AgreementFacts {
  return factsFromView(agreementView(state));
}

export function factsFromView(view: AgreementView): AgreementFacts {
  if (!view.cohort) return { ...view, cohort: null };
  const { enrolled, ...cohort } = view.cohort;
  return { ...view, cohort: { ...cohort, enrolledCount: enrolled.length } };
}
