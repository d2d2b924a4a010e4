import type { Locale } from '../domain/locale.ts';
import type { Role } from '../domain/notifications.ts';
import { escapeHtml } from './html.ts';
import { LAYOUT_WORDS } from './layout-words.ts';
import type { MessageContent } from './templates/index.ts';

/** The parts around a template's content: who it is for and which agreement it belongs to. */
export interface Envelope {
  recipientName: string;
  role: Role;
  locale: Locale;
  agreementId: string;
  title: string;
  stage: string;
  notificationKey: string;
}

function footerLines(envelope: Envelope): string[] {
  const words = LAYOUT_WORDS[envelope.locale];
  return [
    words.footer(envelope.title, envelope.agreementId, words.stage(envelope.stage)),
    words.reason(envelope.role, envelope.notificationKey),
  ];
}

export function plainTextBody(content: MessageContent, envelope: Envelope): string {
  const words = LAYOUT_WORDS[envelope.locale];
  const labelWidth = Math.max(0, ...content.facts.map((fact) => fact.label.length)) + 1;
  const lines = [
    words.greeting(envelope.recipientName),
    '',
    ...content.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...content.facts.map((fact) => `  ${`${fact.label}${words.labelSuffix}`.padEnd(labelWidth)} ${fact.value}`),
    ...(content.facts.length > 0 ? [''] : []),
    ...(content.action ? [`${words.nextStep}${content.action}`, ''] : []),
    ...(content.link ? [content.link.url, ''] : []),
    '-- ',
    ...footerLines(envelope),
  ];
  return `${lines.join('\n')}\n`;
}

/** The styles every mail shares (inline: mail clients drop style sheets); the digest adds its own beside them. */
export const MAIL_STYLE = {
  body: 'font-family: Arial, Helvetica, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328;',
  footer: 'margin-top: 24px; font-size: 12px; color: #59636e;',
};

const STYLE = {
  ...MAIL_STYLE,
  label: 'padding: 4px 16px 4px 0; vertical-align: top; color: #59636e; white-space: nowrap;',
  value: 'padding: 4px 0; vertical-align: top;',
  action: 'padding: 8px 12px; background: #f6f8fa; border-left: 3px solid #0969da;',
  button:
    'display: inline-block; padding: 10px 18px; background: #0969da; color: #ffffff; font-weight: bold; text-decoration: none; border-radius: 6px;',
};

/** Every piece of text goes through escapeHtml here; templates cannot emit markup. */
export function htmlBody(content: MessageContent, envelope: Envelope, subject: string): string {
  const words = LAYOUT_WORDS[envelope.locale];
  const paragraphs = content.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`);
  const rows = content.facts.map(
    (fact) =>
      `<tr><th scope="row" align="left" style="${STYLE.label}">${escapeHtml(fact.label)}</th><td style="${STYLE.value}">${escapeHtml(fact.value)}</td></tr>`,
  );
  const table =
    rows.length > 0 ? [`<table role="presentation" cellspacing="0" cellpadding="0">`, ...rows, '</table>'] : [];
  const action = content.action
    ? [
        `<p style="${STYLE.action}"><strong>${escapeHtml(words.nextStep.trimEnd())}</strong>${words.nextStep.endsWith(' ') ? ' ' : ''}${escapeHtml(content.action)}</p>`,
      ]
    : [];
  const button = content.link
    ? [`<p><a href="${escapeHtml(content.link.url)}" style="${STYLE.button}">${escapeHtml(content.link.label)}</a></p>`]
    : [];
  const footer = footerLines(envelope)
    .map((line) => escapeHtml(line))
    .join('<br>');
  return [
    '<!DOCTYPE html>',
    `<html lang="${words.htmlLang}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="${STYLE.body}">`,
    `<p>${escapeHtml(words.greeting(envelope.recipientName))}</p>`,
    ...paragraphs,
    ...table,
    ...action,
    ...button,
    `<p style="${STYLE.footer}">${footer}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
