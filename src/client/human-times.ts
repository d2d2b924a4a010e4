import { humanTime } from '../domain/human-time.ts';

/** The reader's zone: the TZ variable, or the machine's own. */
export const readerTimeZone = (): string => new Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Moments as the person at the terminal reads them: `15 Jan 2027, 02:00 GMT` in `timeZone`, by default their own (the
 * `TZ` variable or the system's). `--json` and CSV keep the ISO instants.
 */
export function localTimes(timeZone = readerTimeZone()): (iso: string) => string {
  return (iso) => humanTime(iso, timeZone);
}

/** One moment as `localTimes` gives it. */
export const localTime = (iso: string, timeZone?: string): string => localTimes(timeZone)(iso);
