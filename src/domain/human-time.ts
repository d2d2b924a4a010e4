import type { Locale } from './locale.ts';
import { timeZoneFormatter } from './time-zone-format.ts';
import { zoneCity, zoneName } from './zone-names.ts';

const DATE_AND_CLOCK: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};

/** A moment's local date and clock in one zone, as the locale writes them. */
export interface LocalMoment {
  /** `15 Jan 2027` / `2027年1月15日` */
  date: string;
  /** `Fri` / `周五` */
  weekday: string;
  /** `10:00` */
  time: string;
}

const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', 'zh-CN': 'zh-CN' };

export function localMoment(iso: string, timeZone: string, locale: Locale = 'en'): LocalMoment {
  const parts = new Map(
    timeZoneFormatter(DATE_AND_CLOCK, timeZone, INTL_LOCALE[locale])
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.get(type) ?? '';
  const date =
    locale === 'zh-CN'
      ? `${part('year')}年${part('month').replace(/\D/g, '')}月${part('day')}日`
      : `${part('day')} ${part('month')} ${part('year')}`;
  return { date, weekday: part('weekday'), time: `${part('hour')}:${part('minute')}` };
}

/**
 * A moment as a person reads it: `15 Jan 2027, 10:00 CST (Nanjing)` or `2027年1月15日 10:00 (北京时间)`.
 * Formatted from the instant alone (never the clock), so it is deterministic inside a workflow.
 */
export function humanTime(iso: string, timeZone: string, options: { place?: string; locale?: Locale } = {}): string {
  const locale = options.locale ?? 'en';
  const moment = localMoment(iso, timeZone, locale);
  const zone = zoneName(timeZone, locale, iso);
  if (locale === 'zh-CN') return `${moment.date} ${moment.time} (${options.place ? `${options.place}，` : ''}${zone})`;
  return `${moment.date}, ${moment.time} ${zone}${options.place ? ` (${options.place})` : ''}`;
}

/**
 * The zone an agreement's moments are shown in where no one reader is known (the Temporal UI): the ceremony's, named
 * by its venue, else the first coordinator's, named by its city.
 */
export function agreementClock(agreement: {
  ceremony?: { venue: string; timezone: string } | undefined;
  coordinators: readonly { timezone?: string | undefined }[];
}): (iso: string) => string {
  if (agreement.ceremony) {
    const { timezone, venue } = agreement.ceremony;
    return (iso) => humanTime(iso, timezone, { place: venue });
  }
  const timezone = agreement.coordinators[0]?.timezone ?? 'UTC';
  return (iso) => humanTime(iso, timezone, { place: zoneCity(timezone) });
}
