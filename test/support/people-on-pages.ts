// The held-out agreement of spec §16's acceptance: approvals, a signatory who reads Chinese and two funders. After the
// coordinator's `start` and `submit`, every step is a person opening the link in their own mail in Chromium and acting
// on their page. Shared by the `npm run dev` and `npm run stack` tests, which differ only in where the mail arrives.
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

const HOUR = 3_600_000;

/** A research agreement none of the examples or other tests use, in the shape §16's acceptance asks for. */
export function heldOutAgreement(id: string, now = Date.now()): Record<string, unknown> {
  return {
    id,
    title: 'UoB–NBLSRI brain-health imaging research agreement',
    kind: 'research-funding',
    coordinators: [{ name: 'Partnerships Office', email: 'partnerships@uob.example', timezone: 'Europe/London' }],
    parties: [
      { id: 'uob', name: 'University of Birmingham', timezone: 'Europe/London' },
      { id: 'nblsri', name: 'Nanjing Borui Life Science Research Institute', timezone: 'Asia/Shanghai' },
    ],
    approvals: [
      { id: 'legal', name: 'Legal Services', email: 'contracts@uob.example', timezone: 'Europe/London' },
      { id: 'finance', name: 'Research Finance', email: 'research-finance@uob.example' },
    ],
    signatories: [
      { id: 'vc-uob', name: 'Professor Adam Tickell', party: 'uob', email: 'vc@uob.example' },
      { id: 'founder-nblsri', name: '孙宇', party: 'nblsri', email: 'yu.sun@nblsri.example', locale: 'zh-CN' },
    ],
    ceremony: { at: new Date(now + 48 * HOUR).toISOString(), venue: 'Nanjing', timezone: 'Asia/Shanghai' },
    funding: {
      currency: 'GBP',
      commitments: [
        {
          id: 'nblsri-imaging',
          funder: 'nblsri',
          amount: 420000,
          contact: { name: 'NBLSRI Finance', email: 'finance@nblsri.example', locale: 'zh-CN' },
        },
        {
          id: 'uob-imaging',
          funder: 'uob',
          amount: 180000.5,
          contact: { name: 'UoB Research Finance', email: 'grants@uob.example' },
        },
      ],
    },
  };
}

/** Where a person's mail arrives: the link in the text part of the mail of this kind to this address. */
export type LinkInMail = (kind: string, email: string) => Promise<string>;

export interface PeopleOnPages {
  browser: Browser;
  linkInMail: LinkInMail;
  /** The agreement's audit-trail length now, to show that a page's GET changes nothing. */
  events: () => Promise<number>;
}

async function open(browser: Browser, url: string, locale: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale });
  const response = await page.goto(url);
  expect(response?.status(), url).toBe(200);
  return page;
}

async function act(page: Page, button: string, done: string): Promise<void> {
  await page.getByRole('button', { name: button }).click();
  await expect.poll(() => page.locator('[role=status]').innerText(), { timeout: 30_000 }).toContain(done);
  await page.close();
}

/**
 * Both approvers approve, both signatories sign (one on a Chinese page, typing her name), both funders confirm their
 * whole commitment: each from the link in their own mail. A mail scanner's GET of the first link changes nothing.
 */
export async function peopleActOnTheirPages({ browser, linkInMail, events }: PeopleOnPages): Promise<void> {
  const legal = await linkInMail('approval-request', 'contracts@uob.example');
  const before = await events();
  expect((await fetch(legal)).status).toBe(200);
  expect(await events()).toBe(before);

  const legalPage = await open(browser, legal, 'en-GB');
  await legalPage.getByLabel('Note (optional)').fill('Clause 7 as agreed with NBLSRI');
  await act(legalPage, 'Send', 'your approval is recorded');
  const financePage = await open(
    browser,
    await linkInMail('approval-request', 'research-finance@uob.example'),
    'en-GB',
  );
  await act(financePage, 'Send', 'your approval is recorded');

  const vcPage = await open(browser, await linkInMail('invitation', 'vc@uob.example'), 'en-GB');
  await vcPage.getByLabel(/Type your full name to sign/).fill('Professor Adam Tickell');
  await act(vcPage, 'Sign the agreement', 'your signature is recorded');
  const founderPage = await open(browser, await linkInMail('invitation', 'yu.sun@nblsri.example'), 'zh-CN');
  expect(await founderPage.locator('html').getAttribute('lang')).toBe('zh-CN');
  await founderPage.getByLabel(/请输入您的全名以签署/).fill('孙宇');
  await act(founderPage, '签署协议', '您的签署已记录');

  const nblsriPage = await open(browser, await linkInMail('funding-request', 'finance@nblsri.example'), 'zh-CN');
  expect(await nblsriPage.getByLabel(/确认金额/).inputValue()).toBe('420000.00');
  await nblsriPage.getByLabel('参考编号（可选）').fill('NB-2027-01');
  await act(nblsriPage, '确认资金', '资金确认已记录');
  const uobPage = await open(browser, await linkInMail('funding-request', 'grants@uob.example'), 'en-GB');
  expect(await uobPage.getByLabel(/Amount to confirm/).inputValue()).toBe('180000.50');
  await act(uobPage, 'Confirm funding', 'the funding confirmation is recorded');
}

/** What the audit trail must say afterwards: each step by its person, proven by their link. */
export const ACTED_ON_PAGES = [
  { type: 'approved', actor: 'legal' },
  { type: 'approved', actor: 'finance' },
  { type: 'signed', actor: 'vc-uob' },
  { type: 'signed', actor: 'founder-nblsri' },
  { type: 'funding-confirmed', actor: 'nblsri-imaging' },
  { type: 'funding-confirmed', actor: 'uob-imaging' },
];
