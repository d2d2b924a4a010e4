import { timeZoneFormatter } from '../domain/time-zone-format.ts';

const LOCAL: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
};

/** `2026-12-10 10:00:00 Asia/Shanghai (GMT+08:00)`: the moment as a person in that zone read it, zone and offset named. */
export function zoneTime(iso: string, timeZone: string): string {
  const parts = new Map(
    timeZoneFormatter(LOCAL, timeZone, 'en-GB')
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.get(type) ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${timeZone} (${part('timeZoneName')})`;
}

/** `2026-12-10 02:00:00 UTC`: the same moment in UTC, to the second. */
export function utcTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
