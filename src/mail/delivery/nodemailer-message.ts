import { randomBytes } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';
import type { OutgoingMail } from '../../ports/mail-transport.ts';
import { InvalidNotificationError } from '../errors.ts';
import { assertHeaderSafe } from '../header-safety.ts';

// One secret per process, numbered per message, is as unguessable and unique a MIME boundary as nodemailer's own
// random bytes per part, without a system call for each.
const boundarySecret = randomBytes(12).toString('hex');
let boundariesIssued = 0;

function nextBaseBoundary(): string {
  boundariesIssued += 1;
  return `${boundarySecret}-${boundariesIssued.toString(36)}`;
}

/**
 * The nodemailer options for a rendered mail. The Message-ID is always ours (derived from the notification key),
 * never one nodemailer makes up.
 */
export function toNodemailerMessage(mail: OutgoingMail): SendMailOptions & { baseBoundary: string } {
  if (!/^<[^<>\s]+@[^<>\s]+>$/.test(mail.messageId))
    throw new InvalidNotificationError(`invalid Message-ID ${JSON.stringify(mail.messageId)}`);
  for (const [name, value] of Object.entries(mail.headers)) assertHeaderSafe(`header ${name}`, value);
  const { icalEvent } = mail;
  // nodemailer already adds an icalEvent as both a text/calendar alternative and an invite.ics attachment;
  // passing the same file again as an attachment would attach it twice.
  const attachments = (mail.attachments ?? []).filter(
    (attachment) => !icalEvent || attachment.content !== icalEvent.content,
  );
  return {
    messageId: mail.messageId,
    from: mail.from,
    to: { name: mail.to.name, address: mail.to.address },
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: { ...mail.headers },
    attachments: attachments.map(({ filename, content, contentType }) => ({
      filename,
      // nodemailer takes bytes as a Buffer (a view on the same memory, not a copy).
      content:
        typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength),
      contentType,
    })),
    ...(icalEvent
      ? { icalEvent: { method: icalEvent.method, content: icalEvent.content, filename: icalEvent.filename } }
      : {}),
    // Our text is mostly Latin: choosing up front spares nodemailer counting characters in every part and header.
    textEncoding: 'quoted-printable',
    // The content is always inline text: never let a message read local files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
    baseBoundary: nextBaseBoundary(),
  };
}
