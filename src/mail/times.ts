import { localMoment, zoneName, type Locale } from '../domain/index.ts';

/** Where a moment is also shown: the ceremony's timezone, and its venue when the moment is the ceremony itself. */
export interface ReferenceZone {
  timezone: string;
  place?: string;
}

/** `15 Jan 2027` / `2027年1月15日`: the calendar date of `iso` in `timezone`. */
export function formatDate(iso: string, timezone: string, locale: Locale = 'en'): string {
  return localMoment(iso, timezone, locale).date;
}

/**
 * `Fri 15 Jan 2027, 02:00 (Europe/London) — 10:00 in Nanjing (Asia/Shanghai)`: the moment in the reader's timezone,
 * then in the reference timezone (with its date only when that differs). In Chinese:
 * `2027年1月15日（周五）02:00 (英国时间)，即Nanjing当地时间 10:00 (北京时间)`.
 */
export function formatMoment(
  iso: string,
  readerTimezone: string,
  reference?: ReferenceZone,
  locale: Locale = 'en',
): string {
  return locale === 'zh-CN'
    ? chineseMoment(iso, readerTimezone, reference)
    : englishMoment(iso, readerTimezone, reference);
}

function englishMoment(iso: string, readerTimezone: string, reference?: ReferenceZone): string {
  const reader = localMoment(iso, readerTimezone);
  const readerDate = `${reader.weekday} ${reader.date}`;
  const place = reference?.place ? ` in ${reference.place}` : '';
  if (!reference || reference.timezone === readerTimezone) {
    return `${readerDate}, ${reader.time}${place} (${readerTimezone})`;
  }
  const there = localMoment(iso, reference.timezone);
  const thereDate = there.date === reader.date ? '' : `${there.weekday} ${there.date}, `;
  return `${readerDate}, ${reader.time} (${readerTimezone}) — ${thereDate}${there.time}${place} (${reference.timezone})`;
}

function chineseMoment(iso: string, readerTimezone: string, reference?: ReferenceZone): string {
  const reader = localMoment(iso, readerTimezone, 'zh-CN');
  const readerZone = zoneName(readerTimezone, 'zh-CN', iso);
  const readerText = `${reader.date}（${reader.weekday}）${reader.time}`;
  if (!reference || reference.timezone === readerTimezone) {
    return `${readerText} (${reference?.place ? `${reference.place}，` : ''}${readerZone})`;
  }
  const there = localMoment(iso, reference.timezone, 'zh-CN');
  const thereDate = there.date === reader.date ? '' : there.date;
  const thereZone = zoneName(reference.timezone, 'zh-CN', iso);
  // "即北京时间 08:00" where the zone's name says where; with a venue, "即Nanjing当地时间 10:00 (北京时间)".
  if (!reference.place) return `${readerText} (${readerZone})，即${thereZone}${thereDate} ${there.time}`;
  return `${readerText} (${readerZone})，即${reference.place}当地时间${thereDate} ${there.time} (${thereZone})`;
}
