import type { ReminderPolicy } from './agreement.ts';
import { timeZoneFormatter } from './time-zone-format.ts';

export type WorkingHours = NonNullable<ReminderPolicy['workingHours']>;

const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface LocalTime {
  year: number;
  month: number;
  day: number;
  minutes: number;
  weekday: (typeof WEEKDAY_NAMES)[number];
}

const LOCAL_CLOCK: Intl.DateTimeFormatOptions = {
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
};

function localTime(at: number, timeZone: string): LocalTime {
  const parts = timeZoneFormatter(LOCAL_CLOCK, timeZone).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const year = part('year');
  const month = part('month');
  const day = part('day');
  const weekday = WEEKDAY_NAMES[new Date(Date.UTC(year, month - 1, day)).getUTCDay()] ?? 'sun';
  return { year, month, day, minutes: part('hour') * 60 + part('minute'), weekday };
}

/** The instant at which the wall clock in `timeZone` reads the given local date and minute of day. */
function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day) + minutes * MINUTE;
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const local = localTime(guess, timeZone);
    const shown = Date.UTC(local.year, local.month - 1, local.day) + local.minutes * MINUTE;
    guess += wall - shown;
  }
  return guess;
}

const toMinutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/**
 * Moves a reminder due outside the recipient's working hours to the next working moment, in their own timezone
 * (09:00 in Nanjing is 01:00 or 02:00 in Birmingham). A time already inside working hours is returned unchanged.
 */
export function deferIntoWorkingHours(at: number, timeZone: string, hours: WorkingHours | undefined): number {
  if (!hours) return at;
  const start = toMinutes(hours.start);
  const end = toMinutes(hours.end);
  const local = localTime(at, timeZone);
  if (hours.days.includes(local.weekday) && local.minutes >= start && local.minutes < end) return at;
  for (let offset = 0; offset <= 7; offset++) {
    const day = localTime(Date.UTC(local.year, local.month - 1, local.day) + offset * DAY + 12 * 60 * MINUTE, 'UTC');
    if (!hours.days.includes(day.weekday)) continue;
    const opening = instantOf(day.year, day.month, day.day, start, timeZone);
    if (opening > at) return opening;
  }
  return at;
}
