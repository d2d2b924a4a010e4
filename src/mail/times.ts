import { timeZoneFormatter } from '../domain/index.ts';

/** Where a moment is also shown: the ceremony's timezone, and its venue when the moment is the ceremony itself. */
export interface ReferenceZone {
  timezone: string;
  place?: string;
}

interface LocalMoment {
  date: string;
  time: string;
}

const LOCAL_MOMENT: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};

function localMoment(iso: string, timezone: string): LocalMoment {
  const parts = new Map(
    timeZoneFormatter(LOCAL_MOMENT, timezone)
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.get(type) ?? '';
  return {
    date: `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`,
    time: `${part('hour')}:${part('minute')}`,
  };
}

/** `15 Jan 2027`: the calendar date of `iso` in `timezone`. */
export function formatDate(iso: string, timezone: string): string {
  return localMoment(iso, timezone).date.replace(/^\S+ /, '');
}

/**
 * `Fri 15 Jan 2027, 02:00 (Europe/London) — 10:00 in Nanjing (Asia/Shanghai)`: the moment in the reader's timezone,
 * then in the reference timezone (with its date only when that differs).
 */
export function formatMoment(iso: string, readerTimezone: string, reference?: ReferenceZone): string {
  const reader = localMoment(iso, readerTimezone);
  const place = reference?.place ? ` in ${reference.place}` : '';
  if (!reference || reference.timezone === readerTimezone) {
    return `${reader.date}, ${reader.time}${place} (${readerTimezone})`;
  }
  const there = localMoment(iso, reference.timezone);
  const thereDate = there.date === reader.date ? '' : `${there.date}, `;
  return `${reader.date}, ${reader.time} (${readerTimezone}) — ${thereDate}${there.time}${place} (${reference.timezone})`;
}
