/** `135000050` GBP → `GBP 1,350,000.50`. */
export function formatMinor(minor: number, currency: string): string {
  const major = (minor / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${currency} ${major}`;
}

export const toMajor = (minor: number): number => minor / 100;
