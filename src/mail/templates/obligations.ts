import type { Template, TemplateInput } from './content.ts';
import { chaseNumber, leadTime, obligation, obligationFacts, openObligationsFact, readerDate, when } from './facts.ts';

const fulfilCommand = (input: TemplateInput) =>
  `agreements fulfil ${input.agreementId} --obligation ${obligation(input).id} [--reference <reference>]`;

/**
 * The coordinators mark an obligation fulfilled; an owner, often at the partner and without the CLI, tells them. A
 * coordinator chases the owner first.
 */
function fulfilAction(input: TemplateInput): string {
  if (input.notification.recipient.role === 'obligation-owner') {
    return `When it is delivered, let the partnerships office know, quoting any reference, so that they can mark it fulfilled (${fulfilCommand(input)}).`;
  }
  return `Follow up with ${obligation(input).owner ?? 'the owner'}, then mark it fulfilled with: ${fulfilCommand(input)}`;
}

export const obligationNotice: Template = (input) => {
  const { title, due } = obligation(input);
  const lead = leadTime(input);
  return {
    subject: `Due ${due ? readerDate(input, due) : 'soon'}: ${title}${lead ? ` (in ${lead})` : ''}`,
    paragraphs: [
      `“${title}”, owed under “${input.facts.title}”, is due ${due ? when(input, due) : 'soon'}${lead ? `, in ${lead}` : ''}.`,
    ],
    facts: [...obligationFacts(input), ...(lead ? [{ label: 'Notice', value: `${lead} before it is due` }] : [])],
    action: fulfilAction(input),
  };
};

export const obligationOverdue: Template = (input) => {
  const { title, due } = obligation(input);
  const chase = chaseNumber(input);
  return {
    subject: `Overdue: ${title}${due ? ` was due ${readerDate(input, due)}` : ''}${chase > 1 ? ` (reminder ${chase})` : ''}`,
    paragraphs: [
      `“${title}”, owed under “${input.facts.title}”, was due ${due ? when(input, due) : 'by now'} and has not been marked fulfilled.`,
    ],
    facts: [...obligationFacts(input), { label: 'Reminder', value: `number ${chase}` }],
    action: fulfilAction(input),
  };
};

export const obligationFulfilled: Template = (input) => {
  const found = obligation(input);
  const { reference } = input.notification.about;
  return {
    subject: `Fulfilled: ${found.title}`,
    paragraphs: [`“${found.title}”, owed under “${input.facts.title}”, has been marked fulfilled.`],
    facts: [
      ...obligationFacts(input),
      ...(found.fulfilledAt ? [{ label: 'Fulfilled', value: when(input, found.fulfilledAt) }] : []),
      ...(reference !== undefined ? [{ label: 'Reference', value: reference }] : []),
      ...openObligationsFact(input),
    ],
  };
};
