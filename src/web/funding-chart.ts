import type { FundingTotal, PortfolioAgreement } from '../domain/portfolio.ts';
import type { CoordinatorWords } from './coordinator-words.ts';
import { escape } from './pages.ts';
import { cut, linearScale, n, svgPicture, tip } from './svg.ts';

const WIDTH = 600;
const ROW = 64;
const PAD = 16;
const HEADING = 30;

export interface FundingInput {
  agreements: PortfolioAgreement[];
  totals: FundingTotal[];
  words: CoordinatorWords;
  money: (major: number, currency: string) => string;
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.floor((part / whole) * 100) : 0);

/**
 * Funding confirmed against required: one bar per agreement with funding, then one per currency over them all. Bars of
 * one currency share a scale (the largest requirement in it), so amounts of different currencies are never compared.
 */
export function fundingChart(input: FundingInput): string {
  const { words, money } = input;
  const funded = input.agreements.filter((a) => a.funding !== null);
  const largest = new Map<string, number>();
  for (const total of input.totals) largest.set(total.currency, total.required);
  const bar = (label: string, total: FundingTotal, top: number, scaleMax: number) => {
    const x = linearScale([0, scaleMax], [PAD, WIDTH - PAD]);
    const line = words.fundingLine(
      money(total.confirmed, total.currency),
      money(total.required, total.currency),
      percent(total.confirmed, total.required),
    );
    return [
      `<g>`,
      `${tip(`${label}${words.colon}${line}`)}`,
      `<text x="${PAD}" y="${top + 16}" fill="#1a1a1a" font-weight="600">${escape(cut(label, 64))}</text>`,
      `<rect x="${PAD}" y="${top + 24}" width="${n(x(total.required) - PAD)}" height="14" rx="3" fill="#d6d6cf"/>`,
      `<rect x="${PAD}" y="${top + 24}" width="${n(x(Math.min(total.confirmed, total.required)) - PAD)}" height="14" rx="3" fill="#1d4f91"/>`,
      `<text x="${PAD}" y="${top + 56}" fill="#555" font-size="13">${escape(line)}</text>`,
      `</g>`,
    ].join('');
  };
  const rows = funded.map((agreement, index) => {
    const total = agreement.funding as FundingTotal;
    return bar(agreement.title, total, index * ROW, largest.get(total.currency) ?? total.required);
  });
  const totalsTop = funded.length * ROW;
  const heading = `<text x="${PAD}" y="${totalsTop + 20}" fill="#555" font-size="13" font-weight="600">${escape(words.perCurrency)}</text><line x1="${PAD}" y1="${totalsTop + 4}" x2="${WIDTH - PAD}" y2="${totalsTop + 4}" stroke="#d6d6cf"/>`;
  const totals = input.totals.map((total, index) =>
    bar(total.currency, total, totalsTop + HEADING + index * ROW, total.required),
  );
  return svgPicture({
    id: 'funding',
    title: words.fundingTitle(funded.length),
    description: words.fundingDescription,
    width: WIDTH,
    height: totalsTop + HEADING + input.totals.length * ROW + 4,
    body: [...rows, heading, ...totals].join('\n'),
  });
}
