import type { Template } from './content.ts';
import {
  chaseNumber,
  commitment,
  commitmentFacts,
  commitmentId,
  committedAmount,
  fundingTotalFact,
  majorAmount,
  minorAmount,
  outstanding,
  readerDate,
  when,
} from './facts.ts';

export const fundingRequest: Template = (input) => ({
  subject: `Funding request: ${commitmentId(input)}, ${committedAmount(input)}`,
  paragraphs: [
    `“${input.facts.title}” has been signed by every party. It now awaits confirmation of the funding committed under ${commitmentId(input)}.`,
  ],
  facts: commitmentFacts(input),
  action: 'Please confirm the funding (in full or in tranches) with the partnerships office, quoting your reference.',
});

export const fundingChase: Template = (input) => {
  const chase = chaseNumber(input);
  return {
    subject: `Reminder ${chase}: funding commitment ${commitmentId(input)} awaits confirmation (${outstanding(input)} outstanding)`,
    paragraphs: [
      `The funding committed under ${commitmentId(input)} for “${input.facts.title}” has not been fully confirmed yet.`,
    ],
    facts: [...commitmentFacts(input), { label: 'Reminder', value: `number ${chase}` }],
    action: 'Please confirm the funding with the partnerships office, or reply if something is holding it up.',
  };
};

export const fundingEscalation: Template = (input) => ({
  subject: `Escalation: funding commitment ${commitmentId(input)} still unconfirmed (${outstanding(input)} outstanding)`,
  paragraphs: [
    `Reminders to confirm funding commitment ${commitmentId(input)} of “${input.facts.title}” went unanswered.`,
  ],
  facts: [...commitmentFacts(input), ...fundingTotalFact(input)],
  action: `Follow up with the funder, then record the confirmation with: agreements confirm-funding ${input.agreementId} --commitment ${commitmentId(input)} --amount <amount>`,
});

export const fundingOverdue: Template = (input) => {
  const dueAt = commitment(input)?.dueAt;
  return {
    subject: `Overdue: funding commitment ${commitmentId(input)}${dueAt ? ` was due ${readerDate(input, dueAt)}` : ''} (${outstanding(input)} outstanding)`,
    paragraphs: [
      `Funding commitment ${commitmentId(input)} of “${input.facts.title}” was due ${dueAt ? when(input, dueAt) : 'by now'} and is not fully confirmed.`,
    ],
    facts: [...commitmentFacts(input), ...fundingTotalFact(input)],
    action: `Follow up with the funder, then record the confirmation with: agreements confirm-funding ${input.agreementId} --commitment ${commitmentId(input)} --amount <amount>`,
  };
};

export const fundingConfirmed: Template = (input) => {
  const { about } = input.notification;
  const found = commitment(input);
  const tranche = about.tranche !== undefined ? ` tranche ${about.tranche}` : '';
  const amount = about.amount !== undefined ? minorAmount(input, about.amount) : 'an amount';
  return {
    subject: `Funding confirmed: ${commitmentId(input)}${tranche}, ${amount}`,
    paragraphs: [`${amount} has been confirmed for commitment ${commitmentId(input)} of “${input.facts.title}”.`],
    facts: [
      { label: 'Commitment', value: commitmentId(input) },
      ...(about.tranche !== undefined ? [{ label: 'Tranche', value: String(about.tranche) }] : []),
      { label: 'Amount of this tranche', value: amount },
      ...(about.reference !== undefined ? [{ label: 'Reference', value: about.reference }] : []),
      ...(found
        ? [
            {
              label: 'Commitment confirmed',
              value: `${majorAmount(input, found.confirmed)} of ${majorAmount(input, found.amount)}`,
            },
          ]
        : []),
      ...fundingTotalFact(input),
    ],
  };
};
