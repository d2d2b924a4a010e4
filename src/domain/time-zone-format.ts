/**
 * One `Intl.DateTimeFormat` per (options, timezone), made once: building a formatter costs far more than using one,
 * and plans, mail and the CLI format many moments in a handful of zones. `options` must be a module constant.
 */
const formatters = new WeakMap<Intl.DateTimeFormatOptions, Map<string, Intl.DateTimeFormat>>();

export function timeZoneFormatter(options: Intl.DateTimeFormatOptions, timeZone: string): Intl.DateTimeFormat {
  let byZone = formatters.get(options);
  if (!byZone) {
    byZone = new Map();
    formatters.set(options, byZone);
  }
  let formatter = byZone.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
    byZone.set(timeZone, formatter);
  }
  return formatter;
}
