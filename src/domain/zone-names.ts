import type { Locale } from './locale.ts';
import { timeZoneFormatter } from './time-zone-format.ts';

// ICU names China's zone "GMT+8" in English; people in the partnership write CST, and 北京时间 in Chinese.
const ENGLISH_ABBREVIATIONS: Record<string, string> = {
  'Asia/Shanghai': 'CST',
  'Asia/Chongqing': 'CST',
  'Asia/Harbin': 'CST',
  'Asia/Hong_Kong': 'HKT',
  'Asia/Singapore': 'SGT',
  'Asia/Tokyo': 'JST',
};
const CHINESE_NAMES: Record<string, string> = {
  'Asia/Shanghai': '北京时间',
  'Asia/Chongqing': '北京时间',
  'Asia/Harbin': '北京时间',
  UTC: '协调世界时',
  'Etc/UTC': '协调世界时',
};

const SHORT_NAME: Intl.DateTimeFormatOptions = { timeZoneName: 'short' };
const GENERIC_NAME: Intl.DateTimeFormatOptions = { timeZoneName: 'shortGeneric' };

function zoneNamePart(options: Intl.DateTimeFormatOptions, timeZone: string, locale: string, at: Date): string {
  const part = timeZoneFormatter(options, timeZone, locale)
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/**
 * What a reader calls the zone at `iso`: `BST`, `GMT`, `CST` in English; `北京时间`, `英国时间` in Chinese.
 * English names are the season's (BST in summer), Chinese ones the zone's, as each language writes them.
 */
export function zoneName(timeZone: string, locale: Locale, iso: string): string {
  const at = new Date(iso);
  if (locale === 'zh-CN') return CHINESE_NAMES[timeZone] ?? zoneNamePart(GENERIC_NAME, timeZone, 'zh-CN', at);
  const short = zoneNamePart(SHORT_NAME, timeZone, 'en-GB', at);
  return /^GMT[+-]/.test(short) ? (ENGLISH_ABBREVIATIONS[timeZone] ?? short) : short;
}

/** `Nanjing` for `Asia/Shanghai`'s own city when no place is known: the last part of the IANA name. */
export function zoneCity(timeZone: string): string {
  return (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
}
