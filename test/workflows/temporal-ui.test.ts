// The coordinator's view, checked in a real browser: the Temporal UI finds agreements with a visibility query on the
// AgreementStage search attribute, and an agreement's page shows its title (static summary) and its current details.
//
// Runs on its own dev server (the shared one of global-setup does not expose its UI address) with its own worker.
// Screenshots go to a temp dir; `UPDATE_SCREENSHOTS=1 npx vitest run test/workflows/temporal-ui.test.ts` refreshes docs/screenshots/.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { chromium } from 'playwright-core';
import { expect, inject, it } from 'vitest';
import { AgreementsClient } from '../../src/client/agreements-client.ts';
import { startDevServer } from '../../src/local/devserver/dev-server.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createAgreementWorker } from '../../src/worker/create-worker.ts';
import { openWorkerDependencies } from '../../src/worker/dependencies.ts';
import { routeSdkLogsTo } from '../../src/worker/runtime-logging.ts';
import { mou, phdProgramme } from '../support/agreements.ts';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  currentDetailsShown,
  frameText,
  hasChromium,
  UI_TIMEOUT_MS,
  openUserMetadataTab,
} from '../support/browser.ts';
import { freePort } from '../support/global-setup.ts';
import { eventually } from '../support/worker.ts';

const TITLE = 'UoB–JITRI joint PhD researcher programme';

/** Where the screenshots go: docs/screenshots when refreshing them on purpose, otherwise a throwaway dir. */
async function screenshotDir(): Promise<string> {
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    const dir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
    await mkdir(dir, { recursive: true });
    return dir;
  }
  return mkdtemp(join(tmpdir(), 'agreements-ui-'));
}

it.skipIf(!hasChromium)(
  hasChromium
    ? 'a coordinator finds agreements in signing with AgreementStage="signing" and sees title and current details'
    : `Temporal UI check skipped: ${CHROMIUM} is missing (apt-get install chromium)`,
  async () => {
    const cleanup: (() => Promise<unknown>)[] = [];
    try {
      const home = await mkdtemp(join(tmpdir(), 'agreements-ui-home-'));
      cleanup.unshift(() => rm(home, { recursive: true, force: true }));
      const server = await startDevServer({ port: await freePort(), uiPort: await freePort() });
      cleanup.unshift(() => server.stop());

      // The SDK's own logs at its default level would flood the test output; keep errors only, as the shared stack does.
      routeSdkLogsTo(createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'error', name: 'temporal-sdk' }));
      const taskQueue = 'agreements'; // the wire contract's queue: this dev server is the test's own
      const config = loadConfig({
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        AGREEMENTS_HOME: home,
        LOG_LEVEL: 'warn',
      });
      const nativeConnection = await NativeConnection.connect({ address: server.address });
      cleanup.unshift(() => nativeConnection.close());
      const dependencies = await openWorkerDependencies(
        config,
        createLogger({ level: 'warn', name: 'ui-test-worker' }),
      );
      cleanup.unshift(() => dependencies.close());
      const worker = await createAgreementWorker({
        connection: nativeConnection,
        namespace: config.namespace,
        taskQueue,
        activities: dependencies.activities,
        workflowBundle: { code: inject('workflowBundleCode') },
      });
      const running = worker.run();
      cleanup.unshift(async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      });
      const connection = await Connection.connect({ address: server.address });
      cleanup.unshift(() => connection.close());
      const agreements = AgreementsClient.fromClient(
        new Client({ connection, namespace: config.namespace }),
        taskQueue,
      );

      // Two agreements in signing (one signature of two on the PhD programme) and one left in draft.
      const now = Date.now();
      const programme = phdProgramme(now, {}, { id: 'uob-jitri-phd-programme' });
      await agreements.start(programme);
      await agreements.start(mou(now, 'uob-nblsri-mou'));
      await agreements.start(
        phdProgramme(now, {}, { id: 'uob-jitri-joint-fund', title: 'UoB–JITRI joint fund: six projects' }),
      );
      await agreements.command('uob-jitri-phd-programme', 'submit', {});
      await agreements.command('uob-nblsri-mou', 'submit', {});
      const signed = await agreements.command('uob-jitri-phd-programme', 'sign', { signatory: 'vc-uob' });
      expect(signed.stage).toBe('signing');
      await eventually(
        async () => ((await agreements.list({ stage: 'signing' })).length === 2 ? true : undefined),
        UI_TIMEOUT_MS,
        'both agreements in signing to be visible',
      );

      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      cleanup.unshift(() => browser.close());
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      const shots = await screenshotDir();

      // The workflows list with the visibility query a coordinator would type.
      const query = 'AgreementStage="signing"';
      await page.goto(`${server.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`, {
        waitUntil: 'domcontentloaded',
      });
      const programmeLink = page.getByRole('link', { name: 'agreement-uob-jitri-phd-programme', exact: true });
      await programmeLink.waitFor({ state: 'visible' });
      await page.getByRole('link', { name: 'agreement-uob-nblsri-mou', exact: true }).waitFor({ state: 'visible' });
      expect(await page.getByRole('link', { name: 'agreement-uob-jitri-joint-fund', exact: true }).count()).toBe(0);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await page.screenshot({ path: join(shots, 'temporal-ui-signing-list.png') });

      // The agreement's page: static summary (title) and the current details the workflow keeps up to date.
      await programmeLink.click();
      await page.waitForURL(/\/workflows\/agreement-uob-jitri-phd-programme\//);
      await openUserMetadataTab(page);
      const title = await frameText(page, (text) => text.trim() === TITLE, 'the static summary');
      expect(title.trim()).toBe(TITLE);
      const details = await currentDetailsShown(page);
      expect(details).toContain('signing');
      expect(details).toContain('Signatures');
      expect(details).toContain('1 of 2');
      expect(details).toContain('Next');
      // Times as a person reads them, in the ceremony's zone named by its venue; the ISO instant stays in --json.
      const humanTime = /\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d CST \(Nanjing\)/;
      const isoTimestamp = /\d{4}-\d\d-\d\dT\d\d:\d\d/;
      expect(details).toMatch(humanTime);
      expect(details).not.toMatch(isoTimestamp);
      const staticDetails = await frameText(page, (text) => text.includes('Ceremony'), 'the static details');
      expect(staticDetails).toMatch(humanTime);
      expect(staticDetails).not.toMatch(isoTimestamp);
      await page.screenshot({ path: join(shots, 'temporal-ui-agreement-details.png') });
    } finally {
      for (const step of cleanup) await step().catch(() => undefined);
    }
  },
  180_000,
);
