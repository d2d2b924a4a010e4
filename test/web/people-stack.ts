// What the web tests that follow a person's mail share: mail over real SMTP to the loopback sink, the web stack in front
// of a real worker, Chromium where it is installed, and finding a mail and the link it carries.
import type { ParsedMail } from 'mailparser';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../mail/support/smtp-sink.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from '../support/browser.ts';
import { eventually } from '../support/worker.ts';
import { startWebStack, type WebStack } from './support.ts';

/** The approvers the web tests' agreements ask, and a signatory who reads Chinese (in place of JITRI's president). */
export const APPROVALS = [
  { id: 'legal', name: 'Legal Services', email: 'contracts@uob.example', timezone: 'Europe/London' },
  { id: 'finance', name: 'Research Finance', email: 'research-finance@uob.example' },
];
export const CHINESE_PRESIDENT = {
  id: 'president-jitri',
  name: 'Professor Qing Liu',
  title: 'President',
  party: 'jitri',
  email: 'president@jitri.example',
  locale: 'zh-CN',
};

export interface PeopleStack {
  sink: SmtpSink;
  web: WebStack;
  /** Undefined where Chromium is not installed (the tests then skip). */
  browser: Browser | undefined;
  stop(): Promise<void>;
}

export async function startPeopleStack(): Promise<PeopleStack> {
  const sink = await startSmtpSink();
  const web = await startWebStack({ SMTP_URL: sink.url });
  const browser = hasChromium ? await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }) : undefined;
  return {
    sink,
    web,
    browser,
    async stop() {
      await browser?.close();
      await web.stop();
      await sink.close();
    },
  };
}

/**
 * The mail of this kind to this address (its notification key is `<kind>:<detail>:<email>`; `detail` narrows it by
 * its start, as `v1` for a variation's), once it has arrived.
 */
export async function mailOf(
  sink: SmtpSink,
  id: string,
  kind: string,
  email: string,
  detail = '',
): Promise<ParsedMail> {
  return eventually(
    async () =>
      (await sink.parsed()).find((mail) => {
        const key = String(mail.headers.get('x-notification-key'));
        return (
          mail.headers.get('x-agreement-id') === id && key.startsWith(`${kind}:${detail}`) && key.endsWith(`:${email}`)
        );
      }),
    40_000,
    `${kind} mail to ${email}`,
  );
}

/** The link a mail carries: on a line of its own in the text part, and as the button in the HTML part. */
export function linkIn(mail: ParsedMail, webUrl: string): string {
  const line = (mail.text ?? '').split('\n').find((text) => text.startsWith(`${webUrl}/a/`));
  if (!line) throw new Error(`no link in the mail: ${mail.text}`);
  const url = line.trim();
  expect(mail.html || '').toContain(`<a href="${url}"`);
  return url;
}

/** A link opened on a 390-px phone, as a reader of `locale` would. */
export async function openOnPhone(browser: Browser, url: string, locale = 'en-GB'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale });
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  return page;
}

/**
 * The stack for one test file's life (started before its tests, stopped after), with its helpers bound: `web` and
 * `browser` are read once the tests run.
 */
export function withPeopleStack() {
  let people: PeopleStack | undefined;
  beforeAll(async () => {
    people = await startPeopleStack();
  });
  afterAll(async () => {
    await people?.stop();
  });
  const started = (): PeopleStack => {
    if (!people) throw new Error('the people stack has not started');
    return people;
  };
  return {
    get web(): WebStack {
      return started().web;
    },
    mailOf: (id: string, kind: string, email: string, detail = '') => mailOf(started().sink, id, kind, email, detail),
    linkIn: (mail: ParsedMail) => linkIn(mail, started().web.url),
    open: (url: string, locale?: string) => openOnPhone(started().browser as Browser, url, locale),
    newPage: () => (started().browser as Browser).newPage(),
  };
}
