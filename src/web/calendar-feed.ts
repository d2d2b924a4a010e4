import { createEvents, type EventAttributes } from 'ics';
import { humanTime } from '../domain/human-time.ts';
import type { Locale } from '../domain/locale.ts';
import { datedItems, type DatedItem } from '../domain/portfolio.ts';
import type { DigestSource } from '../domain/digest.ts';
import { formatMinor } from '../domain/money.ts';
import { COORDINATOR_WORDS, type CoordinatorFormat } from './coordinator-words.ts';

export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';
const PRODUCT_ID = '-//agreements//coordinator calendar//EN';
/** As the ceremony invite mailed to the signatories; every other dated thing is a half-hour mark. */
const CEREMONY_DURATION = { hours: 2 };
const MARK_DURATION = { minutes: 30 };

export interface CalendarReader {
  email: string;
  locale: Locale;
  timezone: string;
}

function eventOf(item: DatedItem, reader: CalendarReader): EventAttributes {
  const words = COORDINATOR_WORDS[reader.locale];
  const f: CoordinatorFormat = {
    // Where the thing has a zone of its own (the ceremony's), it is named in it; else in the coordinator's.
    time: (iso, timezone, place) => humanTime(iso, timezone ?? reader.timezone, { locale: reader.locale, place }),
    money: (major, currency) => formatMinor(Math.round(major * 100), currency, reader.locale),
  };
  const event: EventAttributes & { timestamp: number } = {
    uid: item.uid,
    sequence: item.sequence,
    // Times go out in UTC (…Z): an instant every calendar places in the reader's own zone; the description names the
    // zone the thing happens in.
    start: Date.parse(item.at),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: item.what === 'ceremony' ? CEREMONY_DURATION : MARK_DURATION,
    title: words.summary(item),
    description: words.description(item, f),
    ...(item.venue ? { location: item.venue } : {}),
    status: item.cancelled ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: item.what === 'ceremony' ? 'BUSY' : 'FREE',
    transp: item.what === 'ceremony' ? 'OPAQUE' : 'TRANSPARENT',
    categories: [item.what],
    // The agreement's last change, not the moment of the request: the same state gives the same feed, byte for byte.
    timestamp: Date.parse(item.revisedAt),
  };
  return event;
}

/**
 * The calendar feed of one coordinator (SPEC 17): one VEVENT per dated thing of each agreement they coordinate, built
 * by `ics`. Deterministic: it depends only on the agreements' states.
 */
export function calendarFeed(sources: readonly DigestSource[], reader: CalendarReader): string {
  const items = sources.flatMap(({ view, stopped }) => datedItems(view, stopped));
  const { error, value } = createEvents(
    items.map((item) => eventOf(item, reader)),
    { productId: PRODUCT_ID, method: 'PUBLISH', calName: COORDINATOR_WORDS[reader.locale].calendarName(reader.email) },
  );
  if (error || !value) throw new Error(`could not build the calendar feed: ${error?.message ?? 'no output'}`);
  return value;
}
