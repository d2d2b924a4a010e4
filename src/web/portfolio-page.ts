import { createHash } from 'node:crypto';
import { humanTime } from '../domain/human-time.ts';
import type { Locale } from '../domain/locale.ts';
import { formatMinor } from '../domain/money.ts';
import type { Portfolio, PortfolioAgreement } from '../domain/portfolio.ts';
import { COORDINATOR_WORDS, type CoordinatorFormat, type CoordinatorWords } from './coordinator-words.ts';
import { fundingChart } from './funding-chart.ts';
import { escape, page, STYLE } from './pages.ts';
import { STAGE_COLOURS, timelineChart } from './timeline-chart.ts';
import { pageWords } from './words.ts';

/** The action pages' stylesheet, wider for a portfolio, with the pictures scrolling sideways on a narrow phone. */
export const PORTFOLIO_STYLE = `${STYLE}
main{max-width:72rem}
.chart{overflow-x:auto;margin:0 -.25rem}
.chart svg{display:block;width:100%;min-width:32rem;max-width:48rem;height:auto}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr))}
.grid .card{margin:0}
.stage{display:inline-block;padding:0 .5rem;border-radius:1rem;color:#fff;font-size:.85rem;font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:.25rem .75rem;margin:.5rem 0 0;padding:0;list-style:none;font-size:.85rem;color:#555}
.late li{color:#b3261e}
code{overflow-wrap:anywhere;font-size:.85rem}
${Object.entries(STAGE_COLOURS)
  .map(([stage, colour]) => `.s-${stage}{background:${colour}}`)
  .join('')}
`;
export const PORTFOLIO_STYLE_HASH = `sha256-${createHash('sha256').update(PORTFOLIO_STYLE, 'utf8').digest('base64')}`;

export interface PortfolioPageInput {
  portfolio: Portfolio;
  email: string;
  locale: Locale;
  timezone: string;
  /** When the page's link stops working. */
  expiresAt: string;
  calendarUrl: string;
}

function agreementCard(agreement: PortfolioAgreement, words: CoordinatorWords, f: CoordinatorFormat): string {
  const currency = agreement.funding?.currency ?? '';
  const list = (items: string[]) => `<ul>${items.map((item) => `<li>${escape(item)}</li>`).join('')}</ul>`;
  const coming = agreement.coming.map((item) => `${f.time(item.at)} — ${words.summary(item)}`);
  const overdue = agreement.overdue.map((item) => words.overdueLine(item, f, currency));
  return [
    `<section class="card" aria-labelledby="a-${escape(agreement.id)}">`,
    `<h3 id="a-${escape(agreement.id)}">${escape(agreement.title)}</h3>`,
    `<p class="small">${escape(agreement.id)} · ${escape(words.stage)}${escape(words.colon)}<span class="stage s-${agreement.stage}">${escape(words.stages[agreement.stage] ?? agreement.stage)}</span></p>`,
    agreement.stopped ? `<p class="no">${escape(words.stopped)}</p>` : '',
    overdue.length > 0 ? `<h4>${escape(words.overdue)}</h4><div class="late">${list(overdue)}</div>` : '',
    `<h4>${escape(words.coming)}</h4>`,
    coming.length > 0 ? list(coming) : `<p class="small">${escape(words.nothingComing)}</p>`,
    `</section>`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** The portfolio page (SPEC 17): read-only, the coordinator's agreements with their dates and the two pictures. */
export function portfolioPage(input: PortfolioPageInput): string {
  const { portfolio, locale, timezone } = input;
  const words = COORDINATOR_WORDS[locale];
  const f: CoordinatorFormat = {
    time: (iso, zone, place) => humanTime(iso, zone ?? timezone, { locale, place }),
    money: (major, currency) => formatMinor(Math.round(major * 100), currency, locale),
  };
  const { agreements } = portfolio;
  const legend = `<ul class="legend"><li>● ${escape(words.legendPast)}</li><li>◇ ${escape(words.legendComing)}</li>${Object.keys(
    STAGE_COLOURS,
  )
    .filter((stage) => agreements.some((a) => a.stage === stage))
    .map((stage) => `<li><span class="stage s-${stage}">${escape(words.stages[stage] ?? stage)}</span></li>`)
    .join('')}</ul>`;
  const pictures =
    agreements.length === 0
      ? `<div class="card"><p>${escape(words.none)}</p></div>`
      : [
          `<section class="card"><h2>${escape(words.timelineHeading)}</h2><div class="chart">${timelineChart({ agreements, now: portfolio.now, words, locale, timezone, time: (iso) => f.time(iso) })}</div>${legend}</section>`,
          `<section class="card"><h2>${escape(words.fundingHeading)}</h2>${
            portfolio.totals.length > 0
              ? `<div class="chart">${fundingChart({ agreements, totals: portfolio.totals, words, money: f.money })}</div>`
              : `<p class="small">${escape(words.noFunding)}</p>`
          }</section>`,
        ].join('\n');
  const body = [
    `<h1>${escape(words.portfolioTitle)}</h1>`,
    `<p>${escape(words.intro(input.email, f.time(portfolio.now)))}</p>`,
    pictures,
    agreements.length > 0 ? `<h2>${escape(words.agreementsHeading)}</h2>` : '',
    agreements.length > 0
      ? `<div class="grid">${agreements.map((a) => agreementCard(a, words, f)).join('\n')}</div>`
      : '',
    `<div class="card"><h2>${escape(words.subscribe)}</h2><p><a href="${escape(input.calendarUrl)}"><code>${escape(input.calendarUrl)}</code></a></p><p class="hint">${escape(words.subscribeHint)}</p></div>`,
    `<p class="small">${escape(words.linkUntil(f.time(input.expiresAt)))}</p>`,
  ];
  return page(pageWords(locale), words.portfolioTitle, body.filter(Boolean).join('\n'), PORTFOLIO_STYLE);
}
