import type { Locale } from '../domain/locale.ts';
import type { PortfolioAgreement } from '../domain/portfolio.ts';
import type { CoordinatorWords } from './coordinator-words.ts';
import { escape } from './pages.ts';
import { cut, linearScale, n, svgPicture, ticks, tip } from './svg.ts';

const WIDTH = 600;
const AXIS = 34;
const ROW = 48;
const PAD = 16;
const DAY = 86_400_000;
/** Dates further ahead are drawn at the right edge (their tooltip says when): a term end years out must not flatten the rest. */
const HORIZON = 2 * 365 * DAY;

export const STAGE_COLOURS: Record<string, string> = {
  draft: '#8a8a80',
  approval: '#8e5fb8',
  signing: '#1d4f91',
  funding: '#b26b00',
  cohort: '#0f7b7b',
  active: '#2f7d32',
  completed: '#4d4d4d',
  cancelled: '#b3261e',
};

export interface TimelineInput {
  agreements: PortfolioAgreement[];
  now: string;
  words: CoordinatorWords;
  locale: Locale;
  timezone: string;
  /** A moment as the tooltips say it. */
  time: (iso: string) => string;
}

/** The timeline picture: one row per agreement, its stages so far on a bar up to today, its coming dates after. */
export function timelineChart(input: TimelineInput): string {
  const { agreements, words } = input;
  const now = Date.parse(input.now);
  const starts = agreements.map((a) => Date.parse(a.startedAt));
  const ahead = agreements.flatMap((a) => a.coming.map((item) => Date.parse(item.at)));
  // A week before the first start: today sits near the left, where a phone's scrolling box opens, with what is to come.
  const from = Math.min(now, ...starts) - 7 * DAY;
  const to = Math.min(now + HORIZON, Math.max(now + 30 * DAY, ...ahead));
  const x = linearScale([from, to], [PAD, WIDTH - PAD]);
  const height = AXIS + agreements.length * ROW + 22;
  // Months over a long span, days over a short one: two ticks never read the same.
  const month = new Intl.DateTimeFormat(input.locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    timeZone: input.timezone,
    ...(to - from > 240 * DAY ? { year: 'numeric', month: 'short' } : { month: 'short', day: 'numeric' }),
  });
  const axis = ticks(from, to, 4).map((at) => {
    const tx = n(x(at));
    const anchor = at === from ? 'start' : at === to ? 'end' : 'middle';
    return (
      `<line x1="${tx}" y1="${AXIS - 6}" x2="${tx}" y2="${height}" stroke="#e4e4de"/>` +
      `<text x="${tx}" y="${AXIS - 12}" text-anchor="${anchor}" fill="#555" font-size="12">${escape(month.format(at))}</text>`
    );
  });
  // Labelled at the foot, clear of the month labels along the top.
  const today =
    `<line x1="${n(x(now))}" y1="${AXIS - 6}" x2="${n(x(now))}" y2="${height - 16}" stroke="#1a1a1a" stroke-dasharray="3 3"/>` +
    `<text x="${n(x(now))}" y="${height - 3}" text-anchor="middle" fill="#1a1a1a" font-size="12">${escape(words.today)}</text>`;
  const rows = agreements.map((agreement, index) => {
    const top = AXIS + index * ROW;
    const barY = top + 24;
    const colour = STAGE_COLOURS[agreement.stage] ?? '#555';
    const ended = agreement.milestones.find((m) => m.what === 'ended');
    const barEnd = ended ? Date.parse(ended.at) : now;
    const start = x(Date.parse(agreement.startedAt));
    const label = `${agreement.title} · ${words.stages[agreement.stage] ?? agreement.stage}`;
    const dots = agreement.milestones.map(
      (m) =>
        `<circle cx="${n(x(Date.parse(m.at)))}" cy="${barY + 5}" r="6" fill="${colour}" stroke="#fff" stroke-width="2">${tip(`${words.milestone[m.what]} — ${input.time(m.at)}`)}</circle>`,
    );
    const coming = agreement.coming.map((item) => {
      const cx = x(Date.parse(item.at));
      const cy = barY + 5;
      return `<path d="M${n(cx)} ${cy - 7}L${n(cx + 7)} ${cy}L${n(cx)} ${cy + 7}L${n(cx - 7)} ${cy}Z" fill="#fff" stroke="${colour}" stroke-width="2">${tip(`${words.summary(item)} — ${input.time(item.at)}`)}</path>`;
    });
    return [
      `<g>`,
      `<text x="${PAD}" y="${top + 16}" fill="#1a1a1a" font-weight="600">${escape(cut(label, 64))}${tip(label)}</text>`,
      `<rect x="${n(start)}" y="${barY}" width="${n(Math.max(2, x(barEnd) - start))}" height="10" rx="5" fill="${colour}" opacity="0.35"/>`,
      ...dots,
      ...coming,
      `</g>`,
    ].join('');
  });
  return svgPicture({
    id: 'timeline',
    title: words.timelineTitle(agreements.length),
    description: words.timelineDescription,
    width: WIDTH,
    height,
    body: [...axis, today, ...rows].join('\n'),
  });
}
