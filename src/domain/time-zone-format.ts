/**
 * One `Intl.DateTimeFormat` per (options, locale, timezone), made once: building a formatter costs far more than using
 * one, and plans, mail and the CLI format many moments in a handful of zones. `options` must be a module constant.
 */
const formatters = new WeakMap<Intl.DateTimeFormatOptions, Map<string, Intl.DateTimeFormat>>();

export function timeZoneFormatter(
  options: Intl.DateTimeFormatOptions,
  timeZone: string,
  locale = 'en-GB',
): Intl.DateTimeFormat {
  let byZone = formatters.get(options);
  if (!byZone) {
    byZone = new Map();
    formatters.set(options, byZone);
  }
  const key = `${locale} ${timeZone}`;
  let formatter = byZone.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    byZone.set(key, formatter);
  }
  return formatter;
}
