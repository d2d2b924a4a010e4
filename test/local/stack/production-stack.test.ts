// The production topology of spec §13 running for real: a Temporal server built from go.temporal.io/server on the
// machine's PostgreSQL (persistence and SQL visibility), the Temporal UI server, Mailpit and two worker processes,
// started once for this file by the code behind `npm run stack`. Every check reads a real part: the server's own
// description, the records in PostgreSQL, the mail Mailpit received, the UI in headless Chromium.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DigestSchedule } from '../../../src/client/digest-schedule.ts';
import { calendarDate } from '../../../src/domain/index.ts';
import { ENCRYPTED_ENCODING } from '../../../src/codec/aes-gcm-codec.ts';
import { phdProgramme, PROGRAMME_STAGES } from '../../support/agreements.ts';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  currentDetailsShown,
  frameText,
  hasChromium,
  openUserMetadataTab,
  UI_TIMEOUT_MS,
} from '../../support/browser.ts';
import { attachmentText, mailFor, messageText } from '../../support/mailpit.ts';
import { startProductionStack, type ProductionStack } from '../../support/production-stack.ts';
import { driveProgramme, expectCompleteRecordsAndMail } from '../../support/stack-programme.ts';
import { STACK_VERSIONS } from '../../../src/local/stack/binaries.ts';
import { eventually } from '../../support/worker.ts';

const run = promisify(execFile);
let production: ProductionStack;

beforeAll(async () => {
  production = await startProductionStack();
}, 600_000);
afterAll(async () => {
  await production?.stop();
}, 120_000);

const uniqueId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

describe('the production topology (npm run stack) on PostgreSQL', () => {
  it('`temporal operator cluster describe` reports PostgreSQL for persistence and visibility', async () => {
    const { stdout } = await run(production.binaries.temporalCli, [
      'operator',
      'cluster',
      'describe',
      '--address',
      production.stack.env.TEMPORAL_ADDRESS,
      '--output',
      'json',
    ]);
    const described = z
      .object({ persistenceStore: z.string(), visibilityStore: z.string(), serverVersion: z.string() })
      .loose()
      .parse(JSON.parse(stdout));
    expect(described.persistenceStore).toBe('postgres12');
    expect(described.visibilityStore).toBe('postgres12');
    expect(described.serverVersion).toBe(STACK_VERSIONS.temporalServer);
  });

  it('creates the namespace with 30 days of retention, so the weekly digest still reads what ended in its week', async () => {
    const connection = await Connection.connect({ address: production.stack.env.TEMPORAL_ADDRESS });
    try {
      const { config } = await connection.workflowService.describeNamespace({
        namespace: production.stack.env.TEMPORAL_NAMESPACE,
      });
      expect(Number(config?.workflowExecutionRetentionTtl?.seconds)).toBe(30 * 24 * 3600);
    } finally {
      await connection.close();
    }
  });

  it('takes the UoB–JITRI programme through every stage; Mailpit holds each mail once, invitations with the .ics', async () => {
    const id = uniqueId('stack-phd');
    expect(await driveProgramme(production, id)).toEqual(PROGRAMME_STAGES);
    const { final, mail } = await expectCompleteRecordsAndMail(production, id);
    expect(final.cohort?.enrolled.map((c) => c.email)).toEqual(['li.wei@jitri.example', 'amy.jones@uob.example']);

    for (const m of mail) {
      const recipient = m.notificationKey.slice(m.notificationKey.lastIndexOf(':') + 1);
      expect(m.recipients, m.notificationKey).toEqual([recipient]);
    }
    const invitations = mail.filter((m) => m.notificationKey.startsWith('invitation:'));
    expect(invitations.map((m) => m.recipients[0]).sort()).toEqual([
      'partnerships@uob.example',
      'president@jitri.example',
      'vc@uob.example',
    ]);
    for (const invitation of invitations) {
      // nodemailer attaches the invite as application/ics (and as a text/calendar alternative part).
      expect(invitation.attachments).toEqual([
        expect.objectContaining({ fileName: 'invite.ics', contentType: 'application/ics' }),
      ]);
      const ics = await attachmentText(
        production.stack.env.MAILPIT_URL,
        invitation,
        invitation.attachments[0]?.partId ?? '',
      );
      expect(ics).toContain('BEGIN:VCALENDAR');
      expect(ics).toContain('METHOD:REQUEST');
      expect(ics).toMatch(/DTSTART[^\n]*:\d{8}T\d{6}/);
    }
    const register = await production.records.register();
    expect(register.find((row) => row.id === id)).toMatchObject({ stage: 'completed', fundingConfirmed: 270000000 });

    // What Temporal keeps in PostgreSQL is ciphertext: the start input as the server returns it, without the codec.
    const connection = await Connection.connect({ address: production.stack.env.TEMPORAL_ADDRESS });
    try {
      const { history } = await connection.workflowService.getWorkflowExecutionHistory({
        namespace: production.stack.env.TEMPORAL_NAMESPACE,
        execution: { workflowId: `agreement-${id}` },
      });
      const input = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      expect(Buffer.from(input?.metadata?.encoding ?? []).toString()).toBe(ENCRYPTED_ENCODING);
      expect(Buffer.from(input?.data ?? []).toString('latin1')).not.toContain('Tickell');
    } finally {
      await connection.close();
    }
  });

  it('the weekly digest runs on the stack: --now mails the coordinator one digest, through Mailpit', async () => {
    const id = uniqueId('stack-digest');
    const coordinator = `${id}@uob.example`;
    await production.agreements.start({
      ...phdProgramme(Date.now(), { ceremonyInMs: 3 * 24 * 3600_000 }),
      id,
      coordinators: [{ name: 'Digest Reader', email: coordinator, timezone: 'Europe/London' }],
    });
    await production.agreements.command(id, 'submit', {});
    const schedule = new DigestSchedule(production.temporal, production.stack.env.TEMPORAL_TASK_QUEUE);
    try {
      await schedule.enable({ cron: '0 8 * * MON', timezone: 'Europe/London' });
      await schedule.trigger();
      const digest = await eventually(
        async () =>
          (await mailFor(production.stack.env.MAILPIT_URL, 'digest')).find((m) => m.recipients[0] === coordinator),
        120_000,
        'the digest in Mailpit',
      );
      expect(digest.notificationKey).toBe(`digest:${calendarDate(new Date(), 'Europe/London')}:${coordinator}`);
      const text = await messageText(production.stack.env.MAILPIT_URL, digest);
      expect(text).toContain(`(${id}) · stage: signing`);
      expect(text).toMatch(/ — signing ceremony in Nanjing/);
    } finally {
      await schedule.disable();
    }
  });

  it('restarting the Temporal server mid-lifecycle: the agreement goes on from where it was', async () => {
    const id = uniqueId('stack-restart');
    const stages = await driveProgramme(production, id, async (step) => {
      if (step !== 4) return; // in funding, one tranche confirmed
      const before = production.stack.temporalServer().pid;
      await production.stack.restartTemporalServer();
      expect(production.stack.temporalServer().pid).not.toBe(before);
      const view = await eventually(
        () => production.agreements.show(id).catch(() => undefined),
        60_000,
        'the agreement to answer after the restart',
      );
      expect(view.stage).toBe('funding');
      expect(view.funding?.confirmed).toBe(675000);
    });
    expect(stages).toEqual(PROGRAMME_STAGES);
    await expectCompleteRecordsAndMail(production, id);
  });

  it('one of the two workers SIGKILLed mid-lifecycle: the other carries on, nothing lost, nothing twice', async () => {
    const id = uniqueId('stack-kill');
    const [victim, survivor] = production.stack.workers;
    if (!victim || !survivor) throw new Error('the stack has two workers');
    const stages = await driveProgramme(production, id, async (step) => {
      if (step !== 2) return; // in signing, one signature recorded
      // Kill between deliveries, so the check is about the lifecycle going on rather than an interrupted send.
      await eventually(
        async () => ((await production.records.sentMail(id)).length >= 5 ? true : undefined),
        60_000,
        'the mail so far to be delivered',
      );
      victim.child.kill('SIGKILL');
      await victim.exited;
      expect(victim.exitDescription()).toBe('signal SIGKILL');
    });
    expect(stages).toEqual(PROGRAMME_STAGES);
    await expectCompleteRecordsAndMail(production, id);

    // Only the survivor polls now: it did the rest of the work.
    const connection = await Connection.connect({ address: production.stack.env.TEMPORAL_ADDRESS });
    try {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: production.stack.env.TEMPORAL_NAMESPACE,
        taskQueue: { name: production.stack.env.TEMPORAL_TASK_QUEUE },
        taskQueueType: 1,
      });
      const identities = (pollers ?? []).map((poller) => poller.identity);
      // A worker's identity is pid@host, then its actor-key fingerprint (src/worker/worker-identity.ts).
      expect(identities.some((identity) => identity?.startsWith(`${survivor.pid}@${hostname()} `))).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it.skipIf(!hasChromium)(
    hasChromium
      ? 'the Temporal UI server finds the agreement by AgreementStage and shows its current details'
      : `Temporal UI check skipped: ${CHROMIUM} is missing (apt-get install chromium)`,
    async () => {
      const id = uniqueId('stack-ui');
      const { agreements } = production;
      await agreements.start({ ...phdProgramme(Date.now()), id });
      await agreements.command(id, 'submit', {});
      await agreements.command(id, 'sign', { signatory: 'vc-uob' });
      await eventually(
        async () => ((await agreements.list({ stage: 'signing' })).some((a) => a.id === id) ? true : undefined),
        UI_TIMEOUT_MS,
        'the agreement to be visible in signing',
      );

      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        page.setDefaultTimeout(UI_TIMEOUT_MS);
        const query = 'AgreementStage="signing"';
        await page.goto(
          `${production.stack.env.TEMPORAL_UI_URL}/namespaces/${production.stack.env.TEMPORAL_NAMESPACE}/workflows?query=${encodeURIComponent(query)}`,
          { waitUntil: 'domcontentloaded' },
        );
        const link = page.getByRole('link', { name: `agreement-${id}`, exact: true });
        await link.waitFor({ state: 'visible' });
        await link.click();
        await page.waitForURL(new RegExp(`/workflows/agreement-${id}/`));
        await openUserMetadataTab(page);
        const title = await frameText(page, (text) => text.includes('UoB–JITRI'), 'the static summary');
        expect(title.trim()).toBe('UoB–JITRI joint PhD researcher programme');
        const details = await currentDetailsShown(page);
        expect(details).toContain('signing');
        expect(details).toContain('1 of 2');
      } finally {
        await browser.close();
      }
    },
    180_000,
  );
});
