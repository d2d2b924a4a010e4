import type { Template } from './content.ts';
import {
  agreementFacts,
  ceremonyFacts,
  fundingTotalFact,
  leadTime,
  signatureCount,
  summaryFacts,
  when,
} from './facts.ts';
import { formatDate } from '../times.ts';

export const started: Template = (input) => ({
  subject: `Agreement started: ${input.facts.title}`,
  paragraphs: [`“${input.facts.title}” has been started and is in draft.`],
  facts: summaryFacts(input),
  action: `Review the draft, then submit it for ${input.facts.approvals.length > 0 ? 'internal approval' : 'signature'} with: agreements submit ${input.agreementId}`,
});

export const renewalNotice: Template = (input) => {
  const lead = leadTime(input);
  const endsAt = input.facts.term?.endsAt;
  const timezone = input.notification.recipient.timezone;
  return {
    subject: `Renewal due: term ends ${endsAt ? formatDate(endsAt, timezone) : 'soon'}${lead ? ` (in ${lead})` : ''}`,
    paragraphs: [
      `The term of “${input.facts.title}” ends ${endsAt ? when(input, endsAt) : 'soon'}${lead ? `, in ${lead}` : ''}. Without a renewal the agreement completes then.`,
    ],
    facts: [...agreementFacts(input), ...(endsAt ? [{ label: 'Term ends', value: when(input, endsAt) }] : [])],
    action: `To extend the term: agreements renew ${input.agreementId} --until <ISO date-time>`,
  };
};

export const completed: Template = (input) => ({
  subject: `Completed: ${input.facts.title}`,
  paragraphs: [`“${input.facts.title}” has completed. Thank you to every party involved.`],
  facts: [
    ...agreementFacts(input),
    { label: 'Signatures', value: signatureCount(input) },
    ...fundingTotalFact(input),
    ...(input.facts.cohort ? [{ label: 'Cohort', value: `${input.facts.cohort.enrolledCount} candidates` }] : []),
  ],
});

export const cancelled: Template = (input) => {
  const reason = input.notification.about.reason ?? input.facts.cancelReason ?? 'no reason given';
  return {
    subject: `Cancelled: ${input.facts.title}`,
    paragraphs: [
      `“${input.facts.title}” has been cancelled.`,
      input.facts.ceremony ? 'Any planned signing ceremony for it will not take place.' : '',
    ].filter((paragraph) => paragraph !== ''),
    facts: [{ label: 'Reason', value: reason }, ...agreementFacts(input), ...ceremonyFacts(input)],
  };
};

export const deliveryFailed: Template = (input) => {
  const undelivered = input.notification.about.undelivered;
  return {
    subject: `Mail could not be delivered to ${undelivered?.recipient ?? 'a recipient'}`,
    paragraphs: [
      // Also sent when a message could not be built at all (an address or name no mail header can carry), so the
      // reason, not this sentence, says whether a mail server refused it.
      `A “${undelivered?.kind ?? 'notification'}” message about “${input.facts.title}” could not be delivered and will not be retried.`,
      `Reason given: ${input.notification.about.reason ?? 'not stated'}`,
    ],
    facts: [...agreementFacts(input), { label: 'Recipient', value: undelivered?.recipient ?? 'unknown' }],
    action: 'Check the address in the agreement and contact the recipient another way.',
  };
};
