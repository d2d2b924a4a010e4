import { localeOf, type Locale } from '../../domain/locale.ts';
import { formatMinor } from '../../domain/money.ts';
import { describeDuration } from '../durations.ts';
import { formatDate, formatMoment } from '../times.ts';
import type { Fact, MessageContent, TemplateInput } from './content.ts';
import { WORDS, type Words } from './words.ts';

export function readerTimezone(input: TemplateInput): string {
  return input.notification.recipient.timezone;
}

export function readerLocale(input: TemplateInput): Locale {
  return localeOf(input.notification.recipient);
}

export function wordsFor(input: TemplateInput): Words {
  return WORDS[readerLocale(input)];
}

/** A moment in the reader's timezone and the ceremony's. */
export function when(input: TemplateInput, iso: string): string {
  const ceremony = input.facts.ceremony;
  return formatMoment(
    iso,
    readerTimezone(input),
    ceremony ? { timezone: ceremony.timezone } : undefined,
    readerLocale(input),
  );
}

/** The calendar date of a moment in the reader's timezone. */
export function readerDate(input: TemplateInput, iso: string): string {
  return formatDate(iso, readerTimezone(input), readerLocale(input));
}

export function ceremonyWhen(input: TemplateInput): string {
  const ceremony = input.facts.ceremony;
  if (!ceremony) return wordsFor(input).notScheduled;
  return formatMoment(
    ceremony.at,
    readerTimezone(input),
    { timezone: ceremony.timezone, place: ceremony.venue },
    readerLocale(input),
  );
}

/** `signing ceremony in Nanjing, 15 Jan 2027` (the date as it is at the venue). */
export function ceremonyHeadline(input: TemplateInput): string {
  const ceremony = input.facts.ceremony;
  const words = wordsFor(input);
  if (!ceremony) return words.signingCeremony;
  return words.ceremonyHeadline(ceremony.venue, formatDate(ceremony.at, ceremony.timezone, readerLocale(input)));
}

export function ceremonyFacts(input: TemplateInput): Fact[] {
  const ceremony = input.facts.ceremony;
  if (!ceremony) return [];
  const words = wordsFor(input);
  return [
    { label: words.when, value: ceremonyWhen(input) },
    { label: words.where, value: ceremony.venue },
  ];
}

export function currency(input: TemplateInput): string {
  return input.facts.funding?.currency ?? '';
}

/** An amount held in minor units (as in a notification's `about.amount`). */
export function minorAmount(input: TemplateInput, minor: number): string {
  return formatMinor(minor, currency(input), readerLocale(input));
}

/** An amount in major units (as in the agreement facts). */
export function majorAmount(input: TemplateInput, major: number): string {
  return minorAmount(input, Math.round(major * 100));
}

export function partyName(input: TemplateInput, partyId: string): string {
  return input.facts.parties.find((party) => party.id === partyId)?.name ?? partyId;
}

/** ` (text)` after a name, or `（text）` in Chinese. */
export function aside(input: TemplateInput, text: string): string {
  return readerLocale(input) === 'zh-CN' ? `（${text}）` : ` (${text})`;
}

export function signatoryName(input: TemplateInput, signatoryId: string | undefined): string {
  const signature = input.facts.signatures.find((s) => s.signatory === signatoryId);
  return signature
    ? `${signature.name}${aside(input, partyName(input, signature.party))}`
    : (signatoryId ?? wordsFor(input).aSignatory);
}

/** The signatories still to sign: as named in the notification, else every signature not yet recorded. */
export function missingSignatories(input: TemplateInput): string[] {
  const named = input.notification.about.missing;
  const ids = named ?? input.facts.signatures.filter((s) => s.signedAt === null).map((s) => s.signatory);
  return ids.map((id) => signatoryName(input, id));
}

export function signatureCount(input: TemplateInput): string {
  const { signatures } = input.facts;
  return wordsFor(input).countOf(signatures.filter((s) => s.signedAt !== null).length, signatures.length);
}

export function commitment(input: TemplateInput) {
  const id = input.notification.about.commitment;
  return input.facts.funding?.commitments.find((c) => c.id === id);
}

export const commitmentId = (input: TemplateInput) => input.notification.about.commitment ?? 'commitment';

/** The amount the notification is about, else the whole commitment. */
export function committedAmount(input: TemplateInput): string {
  const { amount } = input.notification.about;
  const found = commitment(input);
  if (amount !== undefined) return minorAmount(input, amount);
  return found ? majorAmount(input, found.amount) : '';
}

export function outstanding(input: TemplateInput): string {
  const found = commitment(input);
  return found ? majorAmount(input, Math.max(0, found.amount - found.confirmed)) : committedAmount(input);
}

export function commitmentFacts(input: TemplateInput): Fact[] {
  const { about } = input.notification;
  const words = wordsFor(input);
  const found = commitment(input);
  const facts: Fact[] = [{ label: words.commitment, value: about.commitment ?? words.unknown }];
  if (found) facts.push({ label: words.funder, value: partyName(input, found.funder) });
  const amount =
    about.amount !== undefined
      ? minorAmount(input, about.amount)
      : found
        ? majorAmount(input, found.amount)
        : undefined;
  if (amount) facts.push({ label: words.amountCommitted, value: amount });
  if (found) {
    facts.push({ label: words.confirmedSoFar, value: majorAmount(input, found.confirmed) });
    facts.push({ label: words.outstanding, value: majorAmount(input, Math.max(0, found.amount - found.confirmed)) });
    if (found.dueAt) facts.push({ label: words.due, value: when(input, found.dueAt) });
  }
  return facts;
}

export function fundingTotalFact(input: TemplateInput): Fact[] {
  const funding = input.facts.funding;
  if (!funding) return [];
  const words = wordsFor(input);
  return [
    {
      label: words.agreementFunding,
      value: words.confirmedOf(majorAmount(input, funding.confirmed), majorAmount(input, funding.required)),
    },
  ];
}

export function cohortFacts(input: TemplateInput): Fact[] {
  const cohort = input.facts.cohort;
  if (!cohort) return [];
  const words = wordsFor(input);
  const facts: Fact[] = [
    { label: words.enrolled, value: words.enrolledOf(cohort.enrolledCount, cohort.capacity, cohort.minimum) },
    { label: words.sites, value: cohort.sites.join(words.nameSeparator) },
  ];
  if (cohort.launchAt) facts.push({ label: words.launch, value: when(input, cohort.launchAt) });
  return facts;
}

export function leadTime(input: TemplateInput): string | undefined {
  const lead = input.notification.about.lead;
  return lead ? describeDuration(lead, readerLocale(input)) : undefined;
}

export function chaseNumber(input: TemplateInput): number {
  return input.notification.about.chase ?? 1;
}

/** The agreement's kind as the reader's language names it. */
export function kindName(input: TemplateInput): string {
  const kinds: Record<string, string> = wordsFor(input).kinds;
  return kinds[input.facts.kind] ?? input.facts.kind;
}

export function agreementFacts(input: TemplateInput): Fact[] {
  const { facts } = input;
  const words = wordsFor(input);
  return [
    { label: words.agreement, value: facts.title },
    { label: words.parties, value: facts.parties.map((party) => party.name).join(words.nameSeparator) },
  ];
}

/** The agreement's documents at the versions a signature binds to: a signatory checks the text they hold against them. */
export function documentFacts(input: TemplateInput): Fact[] {
  const words = wordsFor(input);
  return input.facts.documents.map((document) => ({
    label: document.title,
    value: words.documentVersion(document.sha256),
  }));
}

/** The whole agreement at a glance, for a reader about to act on all of it (a draft's coordinator, an approver). */
export function summaryFacts(input: TemplateInput): Fact[] {
  return [
    ...agreementFacts(input),
    { label: wordsFor(input).kind, value: kindName(input) },
    ...ceremonyFacts(input),
    ...fundingTotalFact(input),
    ...cohortFacts(input),
  ];
}

export function termFacts(input: TemplateInput): Fact[] {
  const term = input.facts.term;
  return term ? [{ label: wordsFor(input).termEnds, value: when(input, term.endsAt) }] : [];
}

/** The approver a mail is about: named in the notification, else its reader (an approver's recipient label is its id). */
export function approverId(input: TemplateInput): string | undefined {
  const { about, recipient } = input.notification;
  if (about.approver !== undefined) return about.approver;
  return input.facts.approvals.some((a) => a.approver === recipient.label) ? recipient.label : undefined;
}

/** An approver as the agreement names it (`Legal Services`), else its id. */
export function approverName(input: TemplateInput, id = approverId(input)): string {
  return input.facts.approvals.find((a) => a.approver === id)?.name ?? id ?? wordsFor(input).unknown;
}

/** How many approvals the current round has, and who has still to give one. */
export function approvalFacts(input: TemplateInput): Fact[] {
  const { approvals } = input.facts;
  if (approvals.length === 0) return [];
  const words = wordsFor(input);
  const awaiting = approvals.filter((a) => a.approvedAt === null).map((a) => a.name);
  return [
    { label: words.approvals, value: words.countOf(approvals.length - awaiting.length, approvals.length) },
    { label: words.awaitingApproval, value: awaiting.length > 0 ? awaiting.join(words.nameSeparator) : words.none },
  ];
}

/** The obligation a mail is about, with what the agreement's facts add: its owner and its fulfilment. */
export function obligation(input: TemplateInput) {
  const about = input.notification.about.obligation;
  const tracked = input.facts.obligations.find((o) => o.id === about?.id);
  const unknown = wordsFor(input).unknown;
  return {
    id: about?.id ?? unknown,
    title: about?.title ?? unknown,
    due: about?.due ?? tracked?.due,
    owner: tracked?.owner,
    fulfilledAt: tracked?.fulfilledAt ?? null,
  };
}

export function obligationFacts(input: TemplateInput): Fact[] {
  const words = wordsFor(input);
  const { id, title, due, owner } = obligation(input);
  return [
    { label: words.obligation, value: `${title}${aside(input, id)}` },
    ...(due ? [{ label: words.due, value: when(input, due) }] : []),
    ...(owner ? [{ label: words.owner, value: owner }] : []),
  ];
}

/** The obligations still open, of all the agreement has. */
export function openObligationsFact(input: TemplateInput): Fact[] {
  const { obligations } = input.facts;
  if (obligations.length === 0) return [];
  const open = obligations.filter((o) => o.fulfilledAt === null).length;
  return [{ label: wordsFor(input).openObligations, value: wordsFor(input).countOf(open, obligations.length) }];
}

/** The words of a mail saying that someone sent the agreement back to draft, and why. */
export interface SentBackWords {
  noReason: string;
  subject: (who: string, title: string) => string;
  paragraphs: (who: string, title: string, reason: string) => string[];
  /** The label of who sent it back (`Requested by`, `Declined by`). */
  by: string;
  reason: string;
  action: (id: string) => string;
}

/** A mail to the coordinators that `who` sent the agreement back to draft (changes requested, a signature declined). */
export function sentBackToDraft(input: TemplateInput, words: SentBackWords, who: string, more: Fact[]): MessageContent {
  const reason = input.notification.about.reason ?? words.noReason;
  return {
    subject: words.subject(who, input.facts.title),
    paragraphs: words.paragraphs(who, input.facts.title, reason),
    facts: [{ label: words.by, value: who }, { label: words.reason, value: reason }, ...more, ...agreementFacts(input)],
    action: words.action(input.agreementId),
  };
}
