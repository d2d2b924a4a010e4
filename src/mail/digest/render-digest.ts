import type { DigestAgreement, DigestMailInput } from '../../domain/digest.ts';
import { humanTime } from '../../domain/human-time.ts';
import { localeOf } from '../../domain/locale.ts';
import { formatMinor } from '../../domain/money.ts';
import { describeDuration } from '../durations.ts';
import { escapeHtml } from '../html.ts';
import { MAIL_STYLE } from '../layout.ts';
import { LAYOUT_WORDS } from '../layout-words.ts';
import { formatDate } from '../times.ts';
import { DIGEST_WORDS, type DigestFormat } from './digest-words.ts';

/** A digest as text: its subject, greeting, introduction, one section per agreement and the footer. */
export interface DigestText {
  subject: string;
  greeting: string;
  intro: string;
  sections: { heading: string; parts: { heading: string; lines: string[] }[] }[];
  empty?: string;
  footer: string;
  /** After a heading: `:` or the full-width `：`. */
  colon: string;
  /** The coordinator's portfolio page and calendar feed, each a label and its URL. */
  links: { label: string; url: string }[];
}

/** The digest's words in the coordinator's language, every moment in their timezone. */
export function digestText(
  { notification, digest }: DigestMailInput,
  links?: { portfolio: string; calendar: string },
): DigestText {
  const { recipient } = notification;
  const locale = localeOf(recipient);
  const words = DIGEST_WORDS[locale];
  const date = (iso: string) => formatDate(iso, recipient.timezone, locale);
  const formatFor = (agreement: DigestAgreement): DigestFormat => ({
    time: (iso) => humanTime(iso, recipient.timezone, { locale }),
    money: (major) => formatMinor(Math.round(major * 100), agreement.currency ?? '', locale),
    duration: (iso) => describeDuration(iso, locale),
  });
  const count = (pick: (a: DigestAgreement) => unknown[]) =>
    digest.agreements.reduce((sum, agreement) => sum + pick(agreement).length, 0);
  const { window } = digest;
  const sections = digest.agreements.map((agreement) => {
    const f = formatFor(agreement);
    const parts = [
      { heading: words.stoppedHeading, lines: agreement.stopped ? [words.stopped(agreement.stopped, f)] : [] },
      { heading: words.dueHeading, lines: agreement.due.map((item) => words.due(item, f)) },
      { heading: words.overdueHeading, lines: agreement.overdue.map((item) => words.overdue(item, f)) },
      { heading: words.changesHeading, lines: agreement.changes.map((change) => words.change(change, f)) },
    ].filter((part) => part.lines.length > 0);
    return {
      heading: words.heading(agreement.title, agreement.id, LAYOUT_WORDS[locale].stage(agreement.stage)),
      parts,
    };
  });
  return {
    subject: words.subject(
      date(window.now),
      count((a) => a.due),
      count((a) => a.overdue),
      count((a) => a.changes),
    ),
    greeting: LAYOUT_WORDS[locale].greeting(recipient.name),
    intro: words.intro(date(window.now), date(window.until), humanTime(window.since, recipient.timezone, { locale })),
    sections,
    ...(sections.length === 0 ? { empty: words.empty } : {}),
    footer: words.footer(notification.key),
    colon: LAYOUT_WORDS[locale].labelSuffix,
    links: links
      ? [
          { label: words.portfolioLink, url: links.portfolio },
          { label: words.calendarLink, url: links.calendar },
        ]
      : [],
  };
}

export function digestPlainText(text: DigestText): string {
  const lines = [text.greeting, '', text.intro, ''];
  if (text.empty) lines.push(text.empty, '');
  for (const section of text.sections) {
    lines.push(section.heading);
    for (const part of section.parts)
      lines.push(`  ${part.heading}${text.colon}`, ...part.lines.map((line) => `    - ${line}`));
    lines.push('');
  }
  // Each URL on a line of its own, as the action links are: mail readers make it clickable whole.
  for (const link of text.links) lines.push(link.label, link.url, '');
  lines.push('-- ', text.footer);
  return `${lines.join('\n')}\n`;
}

const STYLE = {
  ...MAIL_STYLE,
  heading: 'font-size: 15px; margin: 20px 0 4px;',
  part: 'margin: 8px 0 2px; color: #59636e;',
};

/** Every piece of text goes through escapeHtml: titles, names and venues are the agreements' own. */
export function digestHtml(text: DigestText, htmlLang: string): string {
  const sections = text.sections.flatMap((section) => [
    `<h3 style="${STYLE.heading}">${escapeHtml(section.heading)}</h3>`,
    ...section.parts.flatMap((part) => [
      `<p style="${STYLE.part}">${escapeHtml(part.heading)}</p>`,
      '<ul>',
      ...part.lines.map((line) => `<li>${escapeHtml(line)}</li>`),
      '</ul>',
    ]),
  ]);
  return [
    '<!DOCTYPE html>',
    `<html lang="${htmlLang}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(text.subject)}</title></head>`,
    `<body style="${STYLE.body}">`,
    `<p>${escapeHtml(text.greeting)}</p>`,
    `<p>${escapeHtml(text.intro)}</p>`,
    ...(text.empty ? [`<p>${escapeHtml(text.empty)}</p>`] : []),
    ...sections,
    ...text.links.map(
      (link) => `<p>${escapeHtml(link.label)}<br><a href="${escapeHtml(link.url)}">${escapeHtml(link.url)}</a></p>`,
    ),
    `<p style="${STYLE.footer}">${escapeHtml(text.footer)}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
