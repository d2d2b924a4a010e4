/**
 * Amounts as the CLI prints them, through Intl.NumberFormat (grouping and decimals by the formatter, not by hand).
 * Amounts in minor units are given to the formatter as exact decimal strings (`135000005E-2`), so no amount is ever
 * off by a cent through floating point. Two decimals always: the domain keeps every currency in hundredths.
 */
const formatters = new Map<string, Intl.NumberFormat>();
const TWO_DECIMALS = { minimumFractionDigits: 2, maximumFractionDigits: 2 } as const;
const plainDecimal = new Intl.NumberFormat('en', { ...TWO_DECIMALS, useGrouping: false });
const groupedDecimal = new Intl.NumberFormat('en-GB', TWO_DECIMALS);

function currencyFormat(currency: string): Intl.NumberFormat | undefined {
  let format = formatters.get(currency);
  if (!format && /^[A-Za-z]{3}$/.test(currency)) {
    format = new Intl.NumberFormat('en-GB', { style: 'currency', currency, currencyDisplay: 'code', ...TWO_DECIMALS });
    formatters.set(currency, format);
  }
  return format;
}

/** Intl's spacing is a no-break space; a terminal table and a grep want a plain one. */
const plainSpaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

type Decimal = Parameters<Intl.NumberFormat['format']>[0];

function withCurrency(amount: Decimal, currency: string): string {
  const format = currencyFormat(currency);
  // A currency Intl does not know (or none) keeps its code in front of the grouped amount.
  if (!format) return `${currency} ${groupedDecimal.format(amount)}`.trim();
  return plainSpaces(format.format(amount));
}

/** `500000.5`, `GBP` → `GBP 500,000.50` (amounts in major units, as the agreement's view has them). */
export const money = (major: number, currency: string): string => withCurrency(major, currency);

/** `135000005` (minor units), `GBP` → `GBP 1,350,000.05`. */
export const moneyFromMinor = (minor: number, currency: string): string =>
  withCurrency(minorAsDecimal(minor), currency);

/** Minor units → `1350000.05`, no grouping: the machine form (CSV, a table's detail column). */
export const majorUnits = (minor: number): string => plainDecimal.format(minorAsDecimal(minor));

/** Grouped, without a currency: `1,350,000.05`. */
export const groupedMajorUnits = (minor: number): string => groupedDecimal.format(minorAsDecimal(minor));

const minorAsDecimal = (minor: number): `${number}` => `${Math.trunc(minor)}E-2` as `${number}`;
