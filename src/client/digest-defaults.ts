/** When the digest runs unless --cron says otherwise (apart from digest-schedule.ts, so help needs no Temporal client). */
export const DEFAULT_DIGEST_CRON = '0 8 * * MON';
export const DEFAULT_DIGEST_TIMEZONE = 'Europe/London';
