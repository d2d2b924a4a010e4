import { describeMs, durationFromText } from '../domain/duration.ts';
import type { Locale } from '../domain/locale.ts';

/** `P7D` → `7 days` (`7天`), `P1DT2H` → `1 day 2 hours`; text that is not a duration is returned as written. */
export function describeDuration(text: string, locale: Locale = 'en'): string {
  const duration = durationFromText(text);
  return duration ? describeMs(duration.ms, locale) : text;
}
