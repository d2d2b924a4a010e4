import { createEvent, type EventAttributes } from 'ics';
import type { Locale } from '../domain/locale.ts';
import { zoneName } from '../domain/zone-names.ts';
import { InvalidNotificationError } from './errors.ts';
import type { Mailbox } from './mailbox.ts';

export const INVITE_FILENAME = 'invite.ics';
const CEREMONY_DURATION = { hours: 2 };

export interface CeremonyInviteInput {
  agreementId: string;
  title: string;
  ceremony: { at: string; venue: string; timezone: string; sequence: number };
  organizer: Mailbox;
  attendee: { name: string; address: string };
  /** When this revision of the invite was issued (DTSTAMP); passed in so a re-render is identical. */
  issuedAt: string;
  /** The attendee's language: the event's title and description are written in it. */
  locale: Locale;
}

export interface CalendarInvite {
  method: 'REQUEST';
  content: string;
  filename: string;
}

/** One UID per agreement's ceremony: calendars update the same event on every reschedule. */
export function ceremonyUid(agreementId: string): string {
  return `ceremony-${agreementId}@agreements.local`;
}

// iCalendar parameter values (CN=…) cannot carry a double quote at all, and `ics` only backslash-escapes it.
const parameterSafe = (text: string) => text.replace(/"/g, "'");

function eventText({ title, agreementId, ceremony, locale }: CeremonyInviteInput) {
  if (locale === 'zh-CN') {
    return {
      title: `签约仪式：${title}`,
      description: `“${title}”（${agreementId}）签约仪式，地点：${ceremony.venue}（${zoneName(ceremony.timezone, locale, ceremony.at)}）。`,
    };
  }
  return {
    title: `Signing ceremony: ${title}`,
    description: `Signing ceremony of “${title}” (${agreementId}) in ${ceremony.venue} (${ceremony.timezone}).`,
  };
}

export function ceremonyInvite(input: CeremonyInviteInput): CalendarInvite {
  const { ceremony } = input;
  const attributes: EventAttributes = {
    productId: '-//agreements//ceremony invite//EN',
    method: 'REQUEST',
    uid: ceremonyUid(input.agreementId),
    sequence: ceremony.sequence,
    start: Date.parse(ceremony.at),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: CEREMONY_DURATION,
    ...eventText(input),
    location: ceremony.venue,
    status: 'CONFIRMED',
    busyStatus: 'BUSY',
    organizer: { name: parameterSafe(input.organizer.name ?? input.organizer.address), email: input.organizer.address },
    attendees: [
      {
        name: parameterSafe(input.attendee.name),
        email: input.attendee.address,
        rsvp: true,
        partstat: 'NEEDS-ACTION',
        role: 'REQ-PARTICIPANT',
      },
    ],
  };
  // `timestamp` (DTSTAMP) is accepted by ics' schema but missing from its types; without it DTSTAMP is "now".
  const stamp = { timestamp: Date.parse(input.issuedAt) };
  const { error, value } = createEvent({ ...attributes, ...stamp });
  if (error || !value)
    throw new InvalidNotificationError(`could not build the calendar invite: ${error?.message ?? 'no output'}`);
  return { method: 'REQUEST', content: value, filename: INVITE_FILENAME };
}
