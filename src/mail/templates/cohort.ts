import type { Template, TemplateInput } from './content.ts';
import { cohortFacts, leadTime, when } from './facts.ts';

function enrolment(input: TemplateInput): string {
  const cohort = input.facts.cohort;
  return cohort ? `${cohort.enrolledCount} of ${cohort.capacity} enrolled` : 'no cohort';
}

export const launchNotice: Template = (input) => {
  const lead = leadTime(input);
  const cohort = input.facts.cohort;
  const belowMinimum = cohort !== null && cohort.enrolledCount < cohort.minimum;
  return {
    subject: `Cohort launch${lead ? ` in ${lead}` : ''}: ${enrolment(input)}`,
    paragraphs: [
      `The cohort of “${input.facts.title}” launches ${cohort?.launchAt ? when(input, cohort.launchAt) : 'soon'}.`,
      belowMinimum
        ? `Only ${cohort.enrolledCount} candidates are enrolled; at least ${cohort.minimum} are needed for the launch to go ahead.`
        : 'Enough candidates are enrolled for the launch to go ahead.',
    ],
    facts: cohortFacts(input),
    ...(belowMinimum
      ? { action: `Enrol more candidates with: agreements enrol ${input.agreementId} --name <name> --email <email>` }
      : {}),
  };
};

export const launchEscalation: Template = (input) => {
  const cohort = input.facts.cohort;
  return {
    subject: `Escalation: cohort below minimum at launch (${cohort?.enrolledCount ?? 0} enrolled, minimum ${cohort?.minimum ?? 0})`,
    paragraphs: [
      `The launch time of “${input.facts.title}” has been reached with fewer candidates than the minimum, so the cohort was not launched automatically.`,
    ],
    facts: cohortFacts(input),
    action: `Enrol more candidates, then launch with: agreements launch ${input.agreementId} — or cancel with: agreements cancel ${input.agreementId} --reason <reason>`,
  };
};

export const enrolled: Template = (input) => {
  const cohort = input.facts.cohort;
  return {
    subject: `You are enrolled: ${input.facts.title}`,
    paragraphs: [
      `You have been enrolled in “${input.facts.title}”.`,
      cohort?.launchAt
        ? `The programme launches ${when(input, cohort.launchAt)}.`
        : 'You will hear from us when the programme launches.',
    ],
    facts: [
      { label: 'Programme', value: input.facts.title },
      { label: 'Partners', value: input.facts.parties.map((party) => party.name).join(', ') },
      ...(cohort ? [{ label: 'Sites', value: cohort.sites.join(', ') }] : []),
    ],
  };
};

export const welcome: Template = (input) => {
  const cohort = input.facts.cohort;
  return {
    subject: `Welcome: ${input.facts.title} has launched`,
    paragraphs: [
      `Welcome to “${input.facts.title}”. The programme has launched and your research time is split between ${cohort?.sites.join(' and ') ?? 'the partner sites'}.`,
    ],
    facts: [
      { label: 'Programme', value: input.facts.title },
      { label: 'Partners', value: input.facts.parties.map((party) => party.name).join(', ') },
      ...(cohort ? [{ label: 'Cohort', value: `${cohort.enrolledCount} candidates` }] : []),
      ...(input.facts.term ? [{ label: 'Runs until', value: when(input, input.facts.term.endsAt) }] : []),
    ],
  };
};

export const launched: Template = (input) => {
  const cohort = input.facts.cohort;
  return {
    subject: `Launched: cohort of ${cohort?.enrolledCount ?? 0} started`,
    paragraphs: [`“${input.facts.title}” is active: the cohort has launched.`],
    facts: [
      ...cohortFacts(input).filter((fact) => fact.label !== 'Launch'),
      ...(input.facts.term ? [{ label: 'Term ends', value: when(input, input.facts.term.endsAt) }] : []),
    ],
  };
};
