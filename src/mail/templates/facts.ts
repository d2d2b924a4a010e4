import { formatMinor } from '../../domain/money.ts';
import { describeDuration } from '../durations.ts';
import { formatDate, formatMoment } from '../times.ts';
import type { Fact, TemplateInput } from './content.ts';

export function readerTimezone(input: TemplateInput): string {
  return input.notification.recipient.timezone;
}

/** A moment in the reader's timezone and the ceremony's. */
export function when(input: TemplateInput, iso: string): string {
  const ceremony = input.facts.ceremony;
  return formatMoment(iso, readerTimezone(input), ceremony ? { timezone: ceremony.timezone } : undefined);
}

export function ceremonyWhen(input: TemplateInput): string {
  const ceremony = input.facts.ceremony;
  if (!ceremony) return 'not scheduled';
  return formatMoment(ceremony.at, readerTimezone(input), { timezone: ceremony.timezone, place: ceremony.venue });
}

/** `signing ceremony in Nanjing, 15 Jan 2027` (the date as it is at the venue). */
export function ceremonyHeadline(input: TemplateInput): string {
  const ceremony = input.facts.ceremony;
  if (!ceremony) return 'signing ceremony';
  return `signing ceremony in ${ceremony.venue}, ${formatDate(ceremony.at, ceremony.timezone)}`;
}

export function ceremonyFacts(input: TemplateInput): Fact[] {
  const ceremony = input.facts.ceremony;
  if (!ceremony) return [];
  return [
    { label: 'When', value: ceremonyWhen(input) },
    { label: 'Where', value: ceremony.venue },
  ];
}

export function currency(input: TemplateInput): string {
  return input.facts.funding?.currency ?? '';
}

/** An amount held in minor units (as in a notification's `about.amount`). */
export function minorAmount(input: TemplateInput, minor: number): string {
  return formatMinor(minor, currency(input));
}

/** An amount in major units (as in the agreement facts). */
export function majorAmount(input: TemplateInput, major: number): string {
  return formatMinor(Math.round(major * 100), currency(input));
}

export function partyName(input: TemplateInput, partyId: string): string {
  return input.facts.parties.find((party) => party.id === partyId)?.name ?? partyId;
}

export function signatoryName(input: TemplateInput, signatoryId: string | undefined): string {
  const signature = input.facts.signatures.find((s) => s.signatory === signatoryId);
  return signature ? `${signature.name} (${partyName(input, signature.party)})` : (signatoryId ?? 'a signatory');
}

/** The signatories still to sign: as named in the notification, else every signature not yet recorded. */
export function missingSignatories(input: TemplateInput): string[] {
  const named = input.notification.about.missing;
  const ids = named ?? input.facts.signatures.filter((s) => s.signedAt === null).map((s) => s.signatory);
  return ids.map((id) => signatoryName(input, id));
}

export function signatureCount(input: TemplateInput): string {
  const { signatures } = input.facts;
  return `${signatures.filter((s) => s.signedAt !== null).length} of ${signatures.length}`;
}

export function commitment(input: TemplateInput) {
  const id = input.notification.about.commitment;
  return input.facts.funding?.commitments.find((c) => c.id === id);
}

export function commitmentFacts(input: TemplateInput): Fact[] {
  const { about } = input.notification;
  const found = commitment(input);
  const facts: Fact[] = [{ label: 'Commitment', value: about.commitment ?? 'unknown' }];
  if (found) facts.push({ label: 'Funder', value: partyName(input, found.funder) });
  const amount =
    about.amount !== undefined
      ? minorAmount(input, about.amount)
      : found
        ? majorAmount(input, found.amount)
        : undefined;
  if (amount) facts.push({ label: 'Amount committed', value: amount });
  if (found) {
    facts.push({ label: 'Confirmed so far', value: majorAmount(input, found.confirmed) });
    facts.push({ label: 'Outstanding', value: majorAmount(input, Math.max(0, found.amount - found.confirmed)) });
    if (found.dueAt) facts.push({ label: 'Due', value: when(input, found.dueAt) });
  }
  return facts;
}

export function fundingTotalFact(input: TemplateInput): Fact[] {
  const funding = input.facts.funding;
  if (!funding) return [];
  return [
    {
      label: 'Agreement funding',
      value: `${majorAmount(input, funding.confirmed)} of ${majorAmount(input, funding.required)} confirmed`,
    },
  ];
}

export function cohortFacts(input: TemplateInput): Fact[] {
  const cohort = input.facts.cohort;
  if (!cohort) return [];
  const facts: Fact[] = [
    {
      label: 'Enrolled',
      value: `${cohort.enrolledCount} of ${cohort.capacity} places (minimum ${cohort.minimum} to launch)`,
    },
    { label: 'Sites', value: cohort.sites.join(', ') },
  ];
  if (cohort.launchAt) facts.push({ label: 'Launch', value: when(input, cohort.launchAt) });
  return facts;
}

export function leadTime(input: TemplateInput): string | undefined {
  const lead = input.notification.about.lead;
  return lead ? describeDuration(lead) : undefined;
}

export function chaseNumber(input: TemplateInput): number {
  return input.notification.about.chase ?? 1;
}

export function agreementFacts(input: TemplateInput): Fact[] {
  const { facts } = input;
  return [
    { label: 'Agreement', value: facts.title },
    { label: 'Parties', value: facts.parties.map((party) => party.name).join(', ') },
  ];
}
