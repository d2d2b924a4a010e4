// SPEC 17 end to end: the weekly digest (a real Schedule run, real SMTP) carries each coordinator's calendar feed and
// portfolio URLs; the feed parses with an independent iCalendar parser (node-ical) and moves its ceremony on a
// reschedule; a real Chromium reads the portfolio page with its two SVG pictures; each token opens only its own kind.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { ParsedMail } from 'mailparser';
import ical, { type VEvent } from 'node-ical';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestSchedule } from '../../src/client/digest-schedule.ts';
import { issueCoordinatorToken } from '../../src/links/coordinator-token.ts';
import { mou, phdProgramme } from '../support/agreements.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from '../support/browser.ts';
import { runCli } from '../support/cli.ts';
import { eventually } from '../support/worker.ts';
import { startSmtpSink, type SmtpSink } from '../mail/support/smtp-sink.ts';
import { post, startWebStack, type WebStack } from './support.ts';

const DAY = 86_400_000;
const TIMEOUT_MS = 60_000;
/** docs/screenshots/portfolio-*.png when refreshing them on purpose (UPDATE_SCREENSHOTS=1), else under .agreements/. */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : '.agreements/screenshots';
const iso = (ms: number) => new Date(ms).toISOString();
const suffix = randomBytes(3).toString('hex');

const OFFICE = { name: 'UoB Partnerships Office', email: 'office@uob.example', timezone: 'Europe/London' };
const JITRI_OFFICE = {
  name: 'JITRI Programme Office',
  email: 'programme@jitri.example',
  timezone: 'Asia/Shanghai',
  locale: 'zh-CN',
};
const PHD = { id: `pf-phd-${suffix}`, title: 'UoB–JITRI joint PhD researcher programme' };
const BRAIN = { id: `pf-brain-${suffix}`, title: 'Brain-health commercialisation with JITRI and SYDII' };
const MOU = { id: `pf-mou-${suffix}`, title: 'MoU with Nanjing Borui Life Science Research Institute' };
const ROBOTICS = { id: `pf-robotics-${suffix}`, title: 'JITRI robotics exchange' };

let sink: SmtpSink;
let web: WebStack;
let schedule: DigestSchedule;
let browser: Browser;
const start = Date.now();

/** The coordinator's digest, once it is in the SMTP sink. */
const digestTo = (email: string): Promise<ParsedMail> =>
  eventually(
    async () =>
      (await sink.parsed()).find(
        (mail) =>
          mail.subject?.startsWith('[digest] ') && !Array.isArray(mail.to) && mail.to?.value[0]?.address === email,
      ),
    TIMEOUT_MS,
    `the digest to ${email}`,
  );

/** The URL on the line after `label` in the digest's text, and the same URL as a link in its HTML. */
function urlAfter(mail: ParsedMail, pattern: RegExp): string {
  const lines = (mail.text ?? '').split('\n');
  const url = lines[lines.findIndex((line) => pattern.test(line)) + 1]?.trim() ?? '';
  expect(url.startsWith(web.url)).toBe(true);
  expect(mail.html || '').toContain(`<a href="${url}"`);
  return url;
}

const vevents = (ics: string): VEvent[] =>
  Object.values(ical.sync.parseICS(ics)).filter((c): c is VEvent => c?.type === 'VEVENT');
const text = (value: unknown) => (typeof value === 'string' ? value : String((value as { val?: string })?.val));

let calendarUrl: string;
let portfolioUrl: string;

beforeAll(async () => {
  sink = await startSmtpSink();
  web = await startWebStack({ SMTP_URL: sink.url });
  const client = web.stack.client;
  // Three agreements of one office at three stages, and one of another office.
  await client.start(
    phdProgramme(
      start,
      { ceremonyInMs: 20 * DAY, launchInMs: 200 * DAY, termInMs: 1500 * DAY },
      { ...PHD, coordinators: [OFFICE] },
    ),
  );
  await client.command(PHD.id, 'submit', {});
  const brain = phdProgramme(
    start,
    { ceremonyInMs: 10 * DAY },
    { ...BRAIN, kind: 'research-funding', coordinators: [OFFICE] },
  );
  delete brain.cohort;
  brain.funding = {
    currency: 'CNY',
    commitments: [
      {
        id: 'jitri-bh',
        funder: 'jitri',
        amount: 3000000,
        dueAt: iso(start + 60 * DAY),
        contact: { name: 'JITRI Finance', email: 'finance@jitri.example' },
      },
      { id: 'uob-bh', funder: 'uob', amount: 1000000, contact: { name: 'UoB Finance', email: 'finance@uob.example' } },
    ],
  };
  await client.start(brain);
  await client.command(BRAIN.id, 'submit', {});
  await client.command(BRAIN.id, 'sign', { signatory: 'vc-uob' });
  await client.command(BRAIN.id, 'sign', { signatory: 'president-jitri' });
  await client.command(BRAIN.id, 'confirmFunding', { commitment: 'jitri-bh', amount: 1200000 });
  await client.start({ ...mou(start, MOU.id), title: MOU.title, coordinators: [OFFICE] });
  await client.start(phdProgramme(start, {}, { ...ROBOTICS, coordinators: [JITRI_OFFICE] }));

  schedule = new DigestSchedule(web.stack.env.client, web.stack.taskQueue);
  // Visibility lists a started workflow a moment later: the digest must find all four.
  await eventually(
    async () =>
      (await web.stack.env.client.workflow.count(`TaskQueue = "${web.stack.taskQueue}"`)).count >= 4 ? true : undefined,
    TIMEOUT_MS,
    'the four agreements in visibility',
  );
  await schedule.enable({ cron: '0 8 * * MON', timezone: 'Europe/London' });
  await schedule.trigger();
  const digest = await digestTo(OFFICE.email);
  calendarUrl = urlAfter(digest, /^Your calendar feed/);
  portfolioUrl = urlAfter(digest, /^Your portfolio/);
  if (hasChromium) browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await schedule?.disable();
  await web?.stop();
  await sink?.close();
});

const feed = async (url: string) => {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
  return response.text();
};

describe('the coordinator’s calendar feed and portfolio (real worker, Schedule, SMTP, Chromium)', () => {
  it('the digest carries both links; the Chinese digest too, in Chinese', async () => {
    expect(calendarUrl).toMatch(/\/calendar\/[\w-]+\.[\w-]+\.[\w-]+\.ics$/);
    expect(portfolioUrl).toMatch(/\/p\/[\w-]+\.[\w-]+\.[\w-]+$/);
    const chinese = await digestTo(JITRI_OFFICE.email);
    expect(chinese.text).toContain('您的协议一览（时间线与资金，只读）：');
    expect(chinese.text).toContain('您的日历订阅');
  });

  it('the feed parses, has one event per dated thing, is the same twice, and moves the ceremony on a reschedule', async () => {
    const first = await feed(calendarUrl);
    expect(await feed(calendarUrl)).toBe(first);
    const events = vevents(first);
    const uids = events.map((event) => event.uid).sort();
    expect(uids).toEqual(
      [
        `ceremony.${PHD.id}`,
        `launch.${PHD.id}`,
        `term-end.${PHD.id}`,
        `ceremony.${BRAIN.id}`,
        `funding-jitri-bh.${BRAIN.id}`,
        `ceremony.${MOU.id}`,
      ]
        .map((uid) => `${uid}@calendar.agreements.local`)
        .sort(),
    );
    expect(events.map((event) => text(event.summary))).toContain(`Signing ceremony: ${PHD.title}`);
    expect(events.map((event) => text(event.summary))).toContain(`Funding due (jitri-bh): ${BRAIN.title}`);
    const ceremonyUid = `ceremony.${PHD.id}@calendar.agreements.local`;
    const before = events.find((event) => event.uid === ceremonyUid) as VEvent;
    expect(before.start.toISOString()).toBe(iso(start + 20 * DAY).replace(/\.\d{3}Z$/, '.000Z'));
    expect(text(before.description)).toMatch(
      /^Signing ceremony of “UoB–JITRI joint PhD researcher programme” \(pf-phd-\w+\), .+ \(Nanjing\)\.$/,
    );
    expect(text(before.location)).toBe('Nanjing');

    const movedTo = Date.parse(iso(start + 27 * DAY).replace(/\.\d{3}Z$/, '.000Z'));
    await web.stack.client.command(PHD.id, 'reschedule', { at: iso(movedTo) });
    const after = vevents(await feed(calendarUrl)).find((event) => event.uid === ceremonyUid) as VEvent;
    expect(after.start.getTime()).toBe(movedTo);
    expect(Number(after.sequence)).toBeGreaterThan(Number(before.sequence));
  });

  it('a second coordinator’s feed (its URL from the CLI) shows none of the first’s agreements', async () => {
    const key = Buffer.from(web.keys.keys.get('k1') as Uint8Array).toString('base64');
    const cli = await runCli(['calendar', '--coordinator', JITRI_OFFICE.email, '--json'], {
      PATH: process.env.PATH,
      AGREEMENTS_HOME: web.stack.home,
      AGREEMENTS_LINK_KEYS: `k1:${key}`,
      WEB_PUBLIC_URL: web.url,
    });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const { url, coordinator } = JSON.parse(cli.stdout) as { url: string; coordinator: string };
    expect(coordinator).toBe(JITRI_OFFICE.email);
    const ics = await feed(url);
    const events = vevents(ics);
    expect(events.map((event) => event.uid)).toEqual([`ceremony.${ROBOTICS.id}@calendar.agreements.local`]);
    expect(text(events[0]?.summary)).toBe(`签约仪式：${ROBOTICS.title}`);
    for (const { id } of [PHD, BRAIN, MOU]) expect(ics).not.toContain(id);

    const bad = await runCli(['calendar', '--coordinator', 'not-an-address'], { PATH: process.env.PATH });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--coordinator: "not-an-address" is not an email address');
  });

  it('each token opens only its own kind: 404 for another kind, an altered token or an unknown key; 410 expired', async () => {
    const status = async (url: string, init?: RequestInit) => (await fetch(url, init)).status;
    const calendarToken = (calendarUrl.split('/calendar/')[1] ?? '').replace(/\.ics$/, '');
    const portfolioToken = portfolioUrl.split('/p/')[1] ?? '';
    const actionToken = await web.link(PHD.id, {
      role: 'signatory',
      id: 'vc-uob',
      email: 'vc@uob.example',
      timezone: 'Europe/London',
    });
    expect(await status(`${web.url}/a/${actionToken}`)).toBe(200);
    expect(await status(`${web.url}/a/${calendarToken}`)).toBe(404);
    const before = (await web.stack.client.show(PHD.id)).events;
    const acting = await post(`${web.url}/a/${calendarToken}`, { action: 'sign', fullName: 'Professor Adam Tickell' });
    expect(acting.status).toBe(404);
    expect((await web.stack.client.show(PHD.id)).events).toBe(before);
    expect(await status(`${web.url}/a/${portfolioToken}`)).toBe(404);
    expect(await status(`${web.url}/p/${actionToken}`)).toBe(404);
    expect(await status(`${web.url}/calendar/${actionToken}.ics`)).toBe(404);
    expect(await status(`${web.url}/p/${calendarToken}`)).toBe(404);
    expect(await status(`${web.url}/calendar/${portfolioToken}.ics`)).toBe(404);
    expect(await status(`${web.url}/calendar/${calendarToken}`)).toBe(404);
    // Read-only: nothing posts to a portfolio.
    expect(await status(portfolioUrl, { method: 'POST', headers: { origin: web.url } })).toBe(404);

    // An altered token gives the same page whether or not the coordinator exists.
    const nobody = await issueCoordinatorToken(web.keys, {
      purpose: 'portfolio',
      email: 'nobody@nowhere.example',
      now: Date.now(),
      ttlMs: DAY,
    });
    const altered = async (token: string) => {
      const response = await fetch(`${web.url}/p/${token.slice(0, -4)}AAAA`);
      return { status: response.status, body: await response.text() };
    };
    const [mine, theirs] = await Promise.all([altered(portfolioToken), altered(nobody)]);
    expect(mine.status).toBe(404);
    expect(theirs).toEqual(mine);
    const foreign = await issueCoordinatorToken(
      { currentKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) },
      { purpose: 'portfolio', email: OFFICE.email, now: Date.now(), ttlMs: DAY },
    );
    expect(await status(`${web.url}/p/${foreign}`)).toBe(404);

    const expired = await issueCoordinatorToken(web.keys, {
      purpose: 'portfolio',
      email: JITRI_OFFICE.email,
      now: Date.now() - 10 * DAY,
      ttlMs: DAY,
    });
    const gone = await fetch(`${web.url}/p/${expired}`);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain('最新的每周摘要附有新链接');
    expect(await status(`${web.url}/calendar/${expired}.ics`)).toBe(404); // a portfolio token, even expired

    const page = await fetch(portfolioUrl);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(web.logs.join('')).not.toContain(portfolioToken);
    expect(web.logs.join('')).not.toContain(calendarToken);
  });

  describe.skipIf(!hasChromium)('in Chromium', () => {
    async function open(url: string, width: number, locale = 'en-GB'): Promise<Page> {
      const page = await browser.newPage({ viewport: { width, height: 900 }, locale });
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      return page;
    }

    it('reads the portfolio: both pictures with their titles, each of the three agreements, and nobody else’s', async () => {
      await mkdir(SCREENSHOTS, { recursive: true });
      for (const width of [390, 1440]) {
        const page = await open(portfolioUrl, width);
        expect(await page.locator('html').getAttribute('lang')).toBe('en');
        expect(await page.locator('h1').innerText()).toBe('Your portfolio of agreements');
        const timeline = page.locator('svg[aria-labelledby="timeline-title timeline-desc"]');
        expect(await timeline.locator('title#timeline-title').textContent()).toBe(
          'Timeline of 3 agreements: stages so far and coming dates',
        );
        expect(await page.getByRole('img', { name: /^Timeline of 3 agreements/ }).count()).toBe(1);
        const drawn = await timeline.locator('text').allTextContents();
        for (const { title } of [PHD, BRAIN, MOU]) expect(drawn.some((line) => line.startsWith(title))).toBe(true);
        expect(drawn.some((line) => line.includes(ROBOTICS.title))).toBe(false);
        const funding = page.getByRole('img', { name: 'Funding confirmed against required, for 2 agreements' });
        expect(await funding.count()).toBe(1);
        const bars = await funding.locator('text').allTextContents();
        expect(bars).toContain(BRAIN.title);
        expect(bars).toContain('CNY');
        expect(bars).toContain('GBP');
        expect(bars).toContain('CNY 1,200,000.00 of CNY 4,000,000.00 confirmed (30%)');
        const body = await page.locator('main').innerText();
        expect(body).toContain(`Funding due (jitri-bh): ${BRAIN.title}`);
        expect(body).not.toContain(ROBOTICS.title);
        // Nothing wider than the screen: the pictures scroll inside their own box on a phone.
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
        await page.screenshot({ path: `${SCREENSHOTS}/portfolio-${width}.png`, fullPage: true });
        await page.close();
      }
    });

    it('reads a Chinese coordinator’s portfolio in Chinese', async () => {
      const token = await issueCoordinatorToken(web.keys, {
        purpose: 'portfolio',
        email: JITRI_OFFICE.email,
        now: Date.now(),
        ttlMs: DAY,
      });
      const page = await open(`${web.url}/p/${token}`, 390, 'zh-CN');
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      expect(await page.locator('h1').innerText()).toBe('您负责的协议一览');
      expect(await page.getByRole('img', { name: /^1 项协议的时间线/ }).count()).toBe(1);
      const body = await page.locator('main').innerText();
      expect(body).toContain(ROBOTICS.title);
      for (const { title } of [PHD, BRAIN, MOU]) expect(body).not.toContain(title);
      await page.screenshot({ path: `${SCREENSHOTS}/portfolio-zh-CN-390.png`, fullPage: true });
      await page.close();
    });
  });
});
