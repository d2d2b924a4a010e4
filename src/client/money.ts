import { formatMinor } from '../domain/money.ts';

/**
 * `500000.5`, `GBP` → `GBP 500,000.50`: amounts in major units, as the agreement's view has them, through the domain's
 * formatter, so that the CLI, the mail and the status lines write an amount the same way.
 */
export const money = (major: number, currency: string): string => formatMinor(Math.round(major * 100), currency);

const plainDecimal = new Intl.NumberFormat('en', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  useGrouping: false,
});

/**
 * Minor units → `1350000.05`, no grouping: the machine form (CSV, a table's detail column). Given to the formatter as
 * an exact decimal string (`135000005E-2`), so no amount is ever off by a cent through floating point.
 */
export const majorUnits = (minor: number): string => plainDecimal.format(`${Math.trunc(minor)}E-2` as `${number}`);
