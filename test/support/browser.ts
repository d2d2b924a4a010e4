// Headless Chromium for the Temporal UI checks: Debian's chromium (never a Playwright download), flags that keep it
// off the network and quiet on a shared CI machine.
import { existsSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { eventually } from './worker.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
export const hasChromium = existsSync(CHROMIUM);
export const UI_TIMEOUT_MS = 30_000;

/** The text of the first frame (the UI renders markdown in iframes) that satisfies `matches`, polled until it shows. */
export async function frameText(page: Page, matches: (text: string) => boolean, what: string): Promise<string> {
  const read = async (frame: Frame) =>
    frame
      .locator('body')
      .innerText({ timeout: 1000 })
      .catch(() => '');
  return eventually(
    async () => {
      for (const frame of page.frames()) {
        if (frame === page.mainFrame()) continue;
        const text = await read(frame);
        if (matches(text)) return text;
      }
      return undefined;
    },
    UI_TIMEOUT_MS,
    what,
  );
}

/** On a workflow's page: opens the tab that shows its static summary and current details. */
export async function openUserMetadataTab(page: Page): Promise<void> {
  await page.getByTestId('user-metadata-tab').click();
  await page.waitForURL(/\/user-metadata$/);
}

/** The current details the user-metadata tab shows, fractions read back as typed ("1/2"). */
export async function currentDetailsShown(page: Page): Promise<string> {
  // The markdown renderer turns "1/2" into a fraction (1⁄2, U+2044).
  return (await frameText(page, (text) => text.includes('Signatures'), 'the current details')).replace(/\u2044/g, '/');
}
