import type { Locale } from './locale.ts';

/** A duration as written in a reminder policy: `iso` is its canonical label (used in notification keys), `ms` its length. */
export interface Duration {
  iso: string;
  ms: number;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const SHORT_DURATION = /^(\d+)\s*(w|d|h|m|s)$/;
const SHORT_UNITS: Record<string, number> = { w: WEEK, d: DAY, h: HOUR, m: MINUTE, s: SECOND };

/** Parses `P14D`, `PT30S`, `P1DT2H`, `14d`, `30s`; returns undefined for anything else (including zero). */
export function durationFromText(text: string): Duration | undefined {
  const trimmed = text.trim();
  const short = SHORT_DURATION.exec(trimmed.toLowerCase());
  if (short) return durationFromMs(Number(short[1]) * (SHORT_UNITS[short[2] ?? 's'] ?? SECOND));
  const iso = ISO_DURATION.exec(trimmed.toUpperCase());
  if (!iso || trimmed.toUpperCase() === 'P' || trimmed.toUpperCase().endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = iso;
  const ms =
    Number(weeks ?? 0) * WEEK +
    Number(days ?? 0) * DAY +
    Number(hours ?? 0) * HOUR +
    Number(minutes ?? 0) * MINUTE +
    Number(seconds ?? 0) * SECOND;
  return durationFromMs(ms);
}

const UNITS: [name: string, chinese: string, ms: number][] = [
  ['day', '天', DAY],
  ['hour', '小时', HOUR],
  ['minute', '分钟', MINUTE],
  ['second', '秒', SECOND],
];

/** 172800000 → `2 days`, 93600000 → `1 day 2 hours`; in Chinese `2天`, `1天2小时`. */
export function describeMs(ms: number, locale: Locale = 'en'): string {
  let rest = ms;
  const parts: string[] = [];
  for (const [name, chinese, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(locale === 'zh-CN' ? `${count}${chinese}` : `${count} ${name}${count === 1 ? '' : 's'}`);
  }
  if (parts.length === 0) return locale === 'zh-CN' ? `${ms}毫秒` : `${ms} ms`;
  return parts.join(locale === 'zh-CN' ? '' : ' ');
}

export function durationFromMs(ms: number): Duration | undefined {
  if (!Number.isSafeInteger(ms) || ms <= 0) return undefined;
  return { iso: isoLabel(ms), ms };
}

function isoLabel(ms: number): string {
  const days = Math.floor(ms / DAY);
  let rest = ms - days * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  rest -= minutes * MINUTE;
  const seconds = Math.round(rest / SECOND);
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
