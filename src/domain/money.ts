import type { Locale } from './locale.ts';

// toLocaleString builds a formatter on every call; amounts are formatted for every mail and status line.
const twoDecimals = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const chineseByCurrency = new Map<string, Intl.NumberFormat>();

function chineseCurrency(currency: string): Intl.NumberFormat {
  let format = chineseByCurrency.get(currency);
  if (!format) {
    // The currency's name (英镑, 人民币) reads as Chinese prose does; a symbol like £ or ¥ is ambiguous there.
    format = new Intl.NumberFormat('zh-CN', { style: 'currency', currency, currencyDisplay: 'name' });
    chineseByCurrency.set(currency, format);
  }
  return format;
}

/** Grouped, two decimals, no currency: `135000050` → `1,350,000.50`. */
export const formatAmount = (minor: number): string => twoDecimals.format(minor / 100);

/**
 * `135000050` GBP → `GBP 1,350,000.50`, in Chinese `1,350,000.50英镑`. Without a currency code Intl knows (none given,
 * or not three letters) the amount keeps whatever code there is in front, in either language.
 */
export function formatMinor(minor: number, currency: string, locale: Locale = 'en'): string {
  if (locale === 'zh-CN' && /^[A-Za-z]{3}$/.test(currency)) return chineseCurrency(currency).format(minor / 100);
  return currency ? `${currency} ${formatAmount(minor)}` : formatAmount(minor);
}

export const toMajor = (minor: number): number => minor / 100;
