import { durationFromText } from '../domain/duration.ts';

const UNITS: [name: string, ms: number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** `P7D` → `7 days`, `P1DT2H` → `1 day 2 hours`; text that is not a duration is returned as written. */
export function describeDuration(text: string): string {
  const duration = durationFromText(text);
  if (!duration) return text;
  let rest = duration.ms;
  const parts: string[] = [];
  for (const [name, ms] of UNITS) {
    const count = Math.floor(rest / ms);
    rest -= count * ms;
    if (count > 0) parts.push(`${count} ${name}${count === 1 ? '' : 's'}`);
  }
  return parts.join(' ');
}
