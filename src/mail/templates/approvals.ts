import type { Template, TemplateInput } from './content.ts';
import {
  agreementFacts,
  approvalFacts,
  approverId,
  approverName,
  ceremonyFacts,
  chaseNumber,
  summaryFacts,
  termFacts,
} from './facts.ts';

/** What an approver types to approve, or to send the agreement back. */
function approverCommands(input: TemplateInput): string {
  const id = input.agreementId;
  const approver = approverId(input) ?? '<your approver id>';
  return (
    `approve with: agreements approve ${id} --approver ${approver} [--note "<note>"] — ` +
    `or send it back with: agreements request-changes ${id} --approver ${approver} --reason "<what must change>"`
  );
}

export const approvalRequest: Template = (input) => ({
  subject: `Approval requested: ${input.facts.title}`,
  paragraphs: [
    `“${input.facts.title}” has been submitted for internal approval, and your approval is requested before it goes to signature.`,
    'It goes to signature once every approver has approved it; a request for changes sends it back to draft.',
  ],
  facts: [...summaryFacts(input), ...termFacts(input), ...approvalFacts(input)],
  action: `Please review the agreement, then ${approverCommands(input)}`,
});

export const approvalChase: Template = (input) => {
  const chase = chaseNumber(input);
  return {
    subject: `Reminder ${chase}: your approval of “${input.facts.title}” is still needed`,
    paragraphs: [
      `“${input.facts.title}” is still awaiting your approval. It cannot go to signature until every approver has approved it.`,
    ],
    facts: [...approvalFacts(input), ...ceremonyFacts(input), { label: 'Reminder', value: `number ${chase}` }],
    action: `Please ${approverCommands(input)}`,
  };
};

export const approvalEscalation: Template = (input) => {
  const name = approverName(input);
  return {
    subject: `Escalation: approval by ${name} still missing`,
    paragraphs: [
      `Reminders to ${name} to approve “${input.facts.title}” went unanswered. The agreement cannot go to signature until every approver has approved it.`,
    ],
    facts: [...approvalFacts(input), ...ceremonyFacts(input), ...agreementFacts(input)],
    action: `Follow up with ${name}, then record the approval with: agreements approve ${input.agreementId} --approver ${approverId(input) ?? '<approver id>'}`,
  };
};

export const changesRequested: Template = (input) => {
  const name = approverName(input);
  const reason = input.notification.about.reason ?? 'no reason given';
  return {
    subject: `Changes requested by ${name}: ${input.facts.title}`,
    paragraphs: [
      `${name} has asked for changes to “${input.facts.title}” before approving it: “${reason}”`,
      'The agreement is back in draft, and the approvals given so far have been cleared: every approver is asked again once it is resubmitted.',
    ],
    facts: [{ label: 'Requested by', value: name }, { label: 'Reason', value: reason }, ...agreementFacts(input)],
    action: `Amend the draft (agreements amend ${input.agreementId} --file <patch>), then submit it for approval again with: agreements submit ${input.agreementId}`,
  };
};
