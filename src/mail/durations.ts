import { describeMs, durationFromText } from '../domain/duration.ts';

/** `P7D` → `7 days`, `P1DT2H` → `1 day 2 hours`; text that is not a duration is returned as written. */
export function describeDuration(text: string): string {
  const duration = durationFromText(text);
  return duration ? describeMs(duration.ms) : text;
}
