import type { Role } from '../domain/notifications.ts';
import { escapeHtml } from './html.ts';
import type { MessageContent } from './templates/index.ts';

/** The parts around a template's content: who it is for and which agreement it belongs to. */
export interface Envelope {
  recipientName: string;
  role: Role;
  agreementId: string;
  title: string;
  stage: string;
  notificationKey: string;
}

const ROLE_PHRASES: Record<Role, string> = {
  coordinator: 'a coordinator of this agreement',
  signatory: 'a signatory of this agreement',
  'funding-contact': 'the contact for a funding commitment of this agreement',
  candidate: 'a candidate enrolled under this agreement',
};

function footerLines(envelope: Envelope): string[] {
  return [
    `${envelope.title} (${envelope.agreementId}) · stage: ${envelope.stage}`,
    `You receive this email as ${ROLE_PHRASES[envelope.role]}. Reference: ${envelope.notificationKey}`,
  ];
}

export function plainTextBody(content: MessageContent, envelope: Envelope): string {
  const labelWidth = Math.max(0, ...content.facts.map((fact) => fact.label.length)) + 1;
  const lines = [
    `Dear ${envelope.recipientName},`,
    '',
    ...content.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...content.facts.map((fact) => `  ${`${fact.label}:`.padEnd(labelWidth)} ${fact.value}`),
    ...(content.facts.length > 0 ? [''] : []),
    ...(content.action ? [`Next step: ${content.action}`, ''] : []),
    '-- ',
    ...footerLines(envelope),
  ];
  return `${lines.join('\n')}\n`;
}

const STYLE = {
  body: 'font-family: Arial, Helvetica, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328;',
  label: 'padding: 4px 16px 4px 0; vertical-align: top; color: #59636e; white-space: nowrap;',
  value: 'padding: 4px 0; vertical-align: top;',
  action: 'padding: 8px 12px; background: #f6f8fa; border-left: 3px solid #0969da;',
  footer: 'margin-top: 24px; font-size: 12px; color: #59636e;',
};

/** Every piece of text goes through escapeHtml here; templates cannot emit markup. */
export function htmlBody(content: MessageContent, envelope: Envelope, subject: string): string {
  const paragraphs = content.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`);
  const rows = content.facts.map(
    (fact) =>
      `<tr><th scope="row" align="left" style="${STYLE.label}">${escapeHtml(fact.label)}</th><td style="${STYLE.value}">${escapeHtml(fact.value)}</td></tr>`,
  );
  const table =
    rows.length > 0 ? [`<table role="presentation" cellspacing="0" cellpadding="0">`, ...rows, '</table>'] : [];
  const action = content.action
    ? [`<p style="${STYLE.action}"><strong>Next step:</strong> ${escapeHtml(content.action)}</p>`]
    : [];
  const footer = footerLines(envelope)
    .map((line) => escapeHtml(line))
    .join('<br>');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="${STYLE.body}">`,
    `<p>Dear ${escapeHtml(envelope.recipientName)},</p>`,
    ...paragraphs,
    ...table,
    ...action,
    `<p style="${STYLE.footer}">${footer}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
