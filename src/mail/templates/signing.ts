import type { Template } from './content.ts';
import {
  agreementFacts,
  ceremonyFacts,
  ceremonyHeadline,
  ceremonyWhen,
  chaseNumber,
  leadTime,
  missingSignatories,
  signatoryName,
  signatureCount,
  when,
} from './facts.ts';

export const invitation: Template = (input) => ({
  subject: `Invitation: ${ceremonyHeadline(input)}`,
  paragraphs: [
    `You are invited to the signing ceremony of “${input.facts.title}”.`,
    `The ceremony takes place ${ceremonyWhen(input)}. A calendar invitation is attached.`,
  ],
  facts: [
    ...ceremonyFacts(input),
    { label: 'Signatories', value: input.facts.signatures.map((s) => signatoryName(input, s.signatory)).join('; ') },
    ...agreementFacts(input),
  ],
  action: 'Please accept the calendar invitation to confirm your attendance.',
});

export const ceremonyNotice: Template = (input) => {
  const lead = leadTime(input);
  const missing = missingSignatories(input);
  return {
    subject: `Reminder: ${ceremonyHeadline(input)}${lead ? ` (in ${lead})` : ''}`,
    paragraphs: [
      `The signing ceremony of “${input.facts.title}” is ${lead ? `${lead} away` : 'coming up'}: ${ceremonyWhen(input)}.`,
    ],
    facts: [
      ...ceremonyFacts(input),
      { label: 'Signatures', value: signatureCount(input) },
      ...(missing.length > 0 ? [{ label: 'Still to sign', value: missing.join('; ') }] : []),
      ...(lead ? [{ label: 'Notice', value: `${lead} before the ceremony` }] : []),
    ],
  };
};

export const rescheduled: Template = (input) => ({
  subject: `Rescheduled: ${ceremonyHeadline(input)}`,
  paragraphs: [
    `The signing ceremony of “${input.facts.title}” has been moved to ${ceremonyWhen(input)}.`,
    'The attached calendar invitation replaces the earlier one.',
  ],
  facts: [
    ...ceremonyFacts(input),
    ...(input.facts.ceremony
      ? [{ label: 'Invitation update', value: `revision ${input.facts.ceremony.sequence}` }]
      : []),
    ...agreementFacts(input),
  ],
  action: 'Please accept the updated calendar invitation.',
});

export const signatureRecorded: Template = (input) => {
  const signatory = input.notification.about.signatory;
  const signature = input.facts.signatures.find((s) => s.signatory === signatory);
  const missing = missingSignatories(input);
  return {
    subject: `Signature recorded: ${signature?.name ?? signatory ?? 'signatory'} (${signatureCount(input)})`,
    paragraphs: [`${signatoryName(input, signatory)} has signed “${input.facts.title}”.`],
    facts: [
      ...(signature?.signedAt ? [{ label: 'Signed', value: when(input, signature.signedAt) }] : []),
      ...(signature?.documentSha256 ? [{ label: 'Document SHA-256', value: signature.documentSha256 }] : []),
      { label: 'Signatures', value: signatureCount(input) },
      {
        label: 'Still to sign',
        value: missing.length > 0 ? missing.join('; ') : 'nobody — all signatures are recorded',
      },
    ],
  };
};

export const signatureChase: Template = (input) => {
  const chase = chaseNumber(input);
  return {
    subject: `Reminder ${chase}: your signature on “${input.facts.title}” is still needed`,
    paragraphs: [
      `The signing ceremony was held ${ceremonyWhen(input)}, and your signature on “${input.facts.title}” has not been recorded yet.`,
    ],
    facts: [
      ...ceremonyFacts(input),
      { label: 'Signatures', value: signatureCount(input) },
      { label: 'Reminder', value: `number ${chase}` },
    ],
    action: 'Please sign the agreement and let the partnerships office know, or reply if something is holding it up.',
  };
};

export const signatureEscalation: Template = (input) => {
  const missing = missingSignatories(input);
  const named = input.notification.about.signatory;
  return {
    subject: `Escalation: signature of ${named ? signatoryName(input, named) : missing.join('; ')} still missing`,
    paragraphs: [
      `Reminders to sign “${input.facts.title}” went unanswered. The agreement cannot move on until every signature is recorded.`,
    ],
    facts: [
      { label: 'Missing signatories', value: missing.join('; ') || 'none' },
      { label: 'Signatures', value: signatureCount(input) },
      ...ceremonyFacts(input),
    ],
    action: `Follow up with the signatory, then record the signature with: agreements sign ${input.agreementId} --signatory <id>`,
  };
};
