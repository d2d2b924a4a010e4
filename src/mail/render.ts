import type { MailAttachment, OutgoingMail } from '../ports/mail-transport.ts';
import { localeOf, type AgreementMailInput, type SendNotificationInput } from '../domain/index.ts';
import { ceremonyInvite, type CalendarInvite } from './calendar.ts';
import { digestHtml, digestPlainText, digestText } from './digest/render-digest.ts';
import { InvalidNotificationError } from './errors.ts';
import { assertHeaderSafe } from './header-safety.ts';
import { LAYOUT_WORDS } from './layout-words.ts';
import { LINK_WORDS } from './link-words.ts';
import { htmlBody, plainTextBody, type Envelope } from './layout.ts';
import { parseMailbox } from './mailbox.ts';
import { messageIdFor } from './message-id.ts';
import { writeMessage } from './templates/index.ts';

export { InvalidNotificationError } from './errors.ts';

export interface RenderOptions {
  /** The sender, e.g. `Partnerships Office <agreements@uob.example>` (MAIL_FROM). */
  from: string;
  /** The reader's mail link (SPEC 16), where this mail carries one: it replaces the CLI wording of the next step. */
  link?: string;
  /** A digest's reader's portfolio page and calendar feed (SPEC 17), where the worker holds link keys. */
  coordinatorLinks?: { portfolio: string; calendar: string };
  /** Files to attach (a certificate of completion), beside a calendar invite where the mail has one. */
  attachments?: MailAttachment[];
}

const KINDS_WITH_INVITE = new Set(['invitation', 'rescheduled']);

/**
 * The email for one notification: subject, plain text and HTML bodies, identifying headers, a Message-ID derived
 * from the notification key and, for ceremony invitations and reschedules, an iCalendar invite.
 * Throws InvalidNotificationError when a header value would contain a line break.
 */
export function renderNotification(input: SendNotificationInput, options: RenderOptions): OutgoingMail {
  const { agreementId, notification } = input;
  const { recipient } = notification;
  const to = { name: recipient.name, address: recipient.email };
  // Checked before rendering so a hostile value never reaches a template or the calendar builder.
  assertHeaderSafe('from', options.from);
  assertHeaderSafe('recipient name', to.name);
  assertHeaderSafe('recipient address', to.address);
  assertHeaderSafe('notification key', notification.key);
  const identity = {
    from: options.from,
    to,
    messageId: messageIdFor(notification.key, agreementId),
    headers: { 'X-Agreement-Id': agreementId, 'X-Notification-Key': notification.key },
  };
  const locale = localeOf(recipient);

  if ('digest' in input) {
    const text = digestText(input, options.coordinatorLinks);
    const subject = `[${agreementId}] ${text.subject}`;
    assertHeaderSafe('subject', subject);
    return { ...identity, subject, text: digestPlainText(text), html: digestHtml(text, LAYOUT_WORDS[locale].htmlLang) };
  }
  const { kind } = notification;
  if (kind === 'digest') throw new InvalidNotificationError('a digest mail must carry its digest');
  const { facts } = input;
  const written = writeMessage(kind, { agreementId, notification, facts });
  const linkWords = options.link === undefined ? undefined : LINK_WORDS[locale][recipient.role];
  const content = linkWords
    ? { ...written, action: linkWords.action, link: { url: options.link as string, label: linkWords.button } }
    : written;
  const subject = `[${agreementId}] ${content.subject}`;
  assertHeaderSafe('subject', subject);

  const envelope: Envelope = {
    recipientName: recipient.name,
    role: recipient.role,
    locale,
    agreementId,
    title: facts.title,
    stage: facts.stage,
    notificationKey: notification.key,
  };
  const invite = inviteFor(input, options.from);
  const attachments = [
    ...(invite
      ? [
          {
            filename: invite.filename,
            content: invite.content,
            contentType: 'text/calendar; charset=utf-8; method=REQUEST',
          },
        ]
      : []),
    ...(options.attachments ?? []),
  ];
  return {
    ...identity,
    subject,
    text: plainTextBody(content, envelope),
    html: htmlBody(content, envelope, subject),
    ...(invite ? { icalEvent: invite } : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}

function inviteFor({ agreementId, notification, facts }: AgreementMailInput, from: string): CalendarInvite | undefined {
  if (!KINDS_WITH_INVITE.has(notification.kind) || !facts.ceremony) return undefined;
  return ceremonyInvite({
    agreementId,
    title: facts.title,
    ceremony: facts.ceremony,
    organizer: parseMailbox(from),
    attendee: { name: notification.recipient.name, address: notification.recipient.email },
    issuedAt: facts.updatedAt,
    locale: localeOf(notification.recipient),
  });
}
