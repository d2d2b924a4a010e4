// toLocaleString builds a formatter on every call; amounts are formatted for every mail and status line.
const twoDecimals = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** `135000050` GBP → `GBP 1,350,000.50`. */
export function formatMinor(minor: number, currency: string): string {
  return `${currency} ${twoDecimals.format(minor / 100)}`;
}

export const toMajor = (minor: number): number => minor / 100;
