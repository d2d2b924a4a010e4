import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_TYPE, workflowIdFor } from '../../src/wire/contract.ts';
import { mou } from '../support/agreements.ts';
import { eventually } from '../support/worker.ts';
import { icsProperty } from '../mail/support/ics.ts';
import { useMailStack } from '../support/mail-stack.ts';

const mailStack = useMailStack();

const SECOND = 1000;
/** Issue #6: the SMTP server is down for a full minute. */
const SMTP_OUTAGE = 60 * SECOND;
const uniqueId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const keyOf = (mail: ParsedMail) => String(mail.headers.get('x-notification-key'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function mailsOf(id: string): Promise<ParsedMail[]> {
  return (await mailStack.sink.parsed()).filter((mail) => mail.headers.get('x-agreement-id') === id);
}

async function waitForKeys(id: string, keys: string[], timeoutMs = 40_000): Promise<ParsedMail[]> {
  return eventually(
    async () => {
      const mails = await mailsOf(id);
      const present = new Set(mails.map(keyOf));
      return keys.every((key) => present.has(key)) ? mails : undefined;
    },
    timeoutMs,
    `mails ${keys.join(', ')}`,
  );
}

/** The MoU with a second coordinator whose mailbox misbehaves (the sink refuses bounce@ with 550, defers busy@ with 451). */
function mouAlsoCoordinatedBy(id: string, name: string, email: string): Record<string, unknown> {
  return {
    ...mou(Date.now(), id),
    coordinators: [
      { name: 'Partnerships Office', email: 'partnerships@uob.example' },
      { name, email },
    ],
  };
}

function expectEachKeyOnce(mails: ParsedMail[]) {
  const keys = mails.map(keyOf);
  expect(keys.length).toBe(new Set(keys).size);
}

describe('notifications over real SMTP', () => {
  it('sends ceremony notices and chases only to those who have not signed, escalates, and stops when signed', async () => {
    const id = uniqueId('chase');
    const start = Date.now();
    const document = {
      ...mou(start, id),
      ceremony: { at: new Date(start + 8 * SECOND).toISOString(), venue: 'Nanjing', timezone: 'Asia/Shanghai' },
      coordinators: [
        { name: 'Director <Shanghai> & Co', email: 'partnerships@uob.example', timezone: 'Europe/London' },
      ],
      reminders: { ceremonyNotice: ['PT5S'], signatureChase: { every: 'PT2S', escalateAfter: 1 } },
    };
    const { client } = mailStack.stack;
    await client.start(document);
    await client.command(id, 'submit', {});
    await client.command(id, 'sign', { signatory: 'vc-uob' });
    const escalation = 'signature-escalation:president-jitri:partnerships@uob.example';
    await waitForKeys(id, [escalation]);
    await client.command(id, 'sign', { signatory: 'president-jitri' });
    expect((await client.show(id)).stage).toBe('active');
    await sleep(3 * SECOND);

    const mails = await mailsOf(id);
    expectEachKeyOnce(mails);
    const keys = mails.map(keyOf);
    expect(keys).toContain('ceremony-notice:PT5S:president@jitri.example');
    expect(keys).toContain('ceremony-notice:PT5S:partnerships@uob.example');
    expect(keys).not.toContain('ceremony-notice:PT5S:vc@uob.example');
    expect(keys.filter((key) => key.startsWith('signature-chase:'))).toEqual([
      'signature-chase:1:president@jitri.example',
      'signature-chase:2:president@jitri.example',
    ]);
    expect(keys.filter((key) => key.includes('vc@uob.example') && key.startsWith('signature-chase'))).toEqual([]);
    expect(keys).toContain(escalation);

    const toCoordinator = mails.find((mail) => keyOf(mail) === `started:${id}:partnerships@uob.example`);
    expect(toCoordinator?.subject).toMatch(new RegExp(`^\\[${id}\\] `));
    expect(toCoordinator?.html).toContain('Director &lt;Shanghai&gt; &amp; Co');
    expect(toCoordinator?.html).not.toContain('Director <Shanghai>');
    expect(toCoordinator?.messageId).toMatch(new RegExp(`\\.${id}@agreements\\.local>?$`));
    await client.command(id, 'cancel', { reason: 'test over' });
  });

  it('sends an updated calendar invite with the same UID and a higher SEQUENCE when the ceremony moves', async () => {
    const id = uniqueId('invite');
    const now = Date.now();
    const { client } = mailStack.stack;
    await client.start({ ...mou(now, id), reminders: { ceremonyNotice: [] } });
    await client.command(id, 'submit', {});
    const moved = new Date(now + 45 * 24 * 3600 * SECOND);
    moved.setUTCMilliseconds(0);
    await client.command(id, 'reschedule', { at: moved.toISOString(), venue: 'Birmingham' });
    const mails = await waitForKeys(id, ['invitation:1:vc@uob.example', 'rescheduled:2:vc@uob.example']);
    const calendar = (mail: ParsedMail | undefined) => {
      const part = mail?.attachments.find((a) => a.contentType.startsWith('text/calendar'));
      return part?.content.toString('utf8') ?? '';
    };
    const invitation = calendar(mails.find((m) => keyOf(m) === 'invitation:1:vc@uob.example'));
    const update = calendar(mails.find((m) => keyOf(m) === 'rescheduled:2:vc@uob.example'));
    expect(icsProperty(update, 'UID')).toBe(icsProperty(invitation, 'UID'));
    expect(Number(icsProperty(update, 'SEQUENCE'))).toBeGreaterThan(Number(icsProperty(invitation, 'SEQUENCE')));
    expect(icsProperty(update, 'DTSTART')).toBe(moved.toISOString().replace(/[-:]|\.\d+/g, ''));
    expect(icsProperty(update, 'LOCATION')).toBe('Birmingham');
    await client.command(id, 'cancel', { reason: 'test over' });
  });

  it(
    'delivers every mail exactly once after the SMTP server was down for a minute, and records a refused address without wedging',
    async () => {
      const id = uniqueId('outage');
      const { client } = mailStack.stack;
      mailStack.sink.setAvailable(false);
      await client.start(mouAlsoCoordinatedBy(id, 'Old address', 'bounce@uob.example'));
      await client.command(id, 'submit', {});
      await sleep(SMTP_OUTAGE);
      expect(await mailsOf(id)).toEqual([]);
      mailStack.sink.setAvailable(true);
      await client.command(id, 'sign', { signatory: 'vc-uob' });
      const view = await client.command(id, 'sign', { signatory: 'president-jitri' });
      expect(view.stage).toBe('active');
      const expected = [
        `started:${id}:partnerships@uob.example`,
        'invitation:1:vc@uob.example',
        'invitation:1:president@jitri.example',
        'invitation:1:partnerships@uob.example',
        'signature-recorded:vc-uob:partnerships@uob.example',
        'signature-recorded:president-jitri:partnerships@uob.example',
        'completion-certificate:5:partnerships@uob.example',
        'completion-certificate:5:vc@uob.example',
        'completion-certificate:5:president@jitri.example',
      ];
      // Retries back off (2 s doubling, at most 5 min), so the last attempt before the restore may be a minute away.
      const mails = await waitForKeys(id, expected, 2 * SMTP_OUTAGE);
      expectEachKeyOnce(mails);
      expect(
        mails
          .map(keyOf)
          .filter((key) => !key.startsWith('delivery-failed:'))
          .sort(),
      ).toEqual(expected.sort());
      const refused = await eventually(async () => {
        const rows = await mailStack.stack.dependencies.records.sentMail(id);
        const row = rows.find((r) => r.key === `started:${id}:bounce@uob.example`);
        return row ?? undefined;
      });
      expect(refused.status).toBe('refused');
      expect(refused.detail).toMatch(/550/);
      const reports = [
        `delivery-failed:started~${id}~bounce@uob.example:partnerships@uob.example`,
        `delivery-failed:invitation~1~bounce@uob.example:partnerships@uob.example`,
        `delivery-failed:signature-recorded~vc-uob~bounce@uob.example:partnerships@uob.example`,
        `delivery-failed:signature-recorded~president-jitri~bounce@uob.example:partnerships@uob.example`,
        `delivery-failed:completion-certificate~5~bounce@uob.example:partnerships@uob.example`,
      ];
      const withReports = await waitForKeys(id, reports);
      expect(
        withReports
          .map(keyOf)
          .filter((key) => key.startsWith('delivery-failed:'))
          .sort(),
      ).toEqual([...reports].sort());
      const reportMail = withReports.find((mail) => keyOf(mail) === reports[0]);
      expect(reportMail?.subject).toBe(`[${id}] Mail could not be delivered to bounce@uob.example`);
      await client.command(id, 'cancel', { reason: 'test over' });
    },
    5 * SMTP_OUTAGE,
  );

  it('gives up a mail the server keeps deferring (4xx) after the allowed time, tells the coordinators, and goes on', async () => {
    const id = uniqueId('deferred');
    await mailStack.stack.env.client.workflow.start(WORKFLOW_TYPE, {
      workflowId: workflowIdFor(id),
      taskQueue: mailStack.stack.taskQueue,
      args: [mouAlsoCoordinatedBy(id, 'Full mailbox', 'busy@uob.example'), { deliveryGiveUpAfter: '5s' }],
    });
    await mailStack.stack.client.command(id, 'submit', {});
    await mailStack.stack.client.command(id, 'sign', { signatory: 'vc-uob' });
    const report = `delivery-failed:started~${id}~busy@uob.example:partnerships@uob.example`;
    const mails = await waitForKeys(
      id,
      [report, 'invitation:1:vc@uob.example', 'signature-recorded:vc-uob:partnerships@uob.example'],
      60_000,
    );
    expect(mails.find((mail) => keyOf(mail) === report)?.text).toMatch(
      /given up after trying for 5 seconds; last error: mail delivery failed for now .*451 Mailbox temporarily unavailable/,
    );
    // Nothing for the deferring address ever went out, and the records kept up with the agreement.
    expect(mails.map(keyOf).filter((key) => key.endsWith(':busy@uob.example'))).toEqual([]);
    const trail = await eventually(async () => {
      const rows = await mailStack.stack.dependencies.records.history(id);
      return rows.length >= 3 ? rows : undefined;
    });
    expect(trail.map((row) => `${row.sequence}:${row.type}`)).toEqual(['1:started', '2:stage-changed', '3:signed']);
    await mailStack.stack.client.command(id, 'cancel', { reason: 'test over' });
  }, 90_000);

  it('keeps the records up to date while a mail is still being retried (the mailbox defers it)', async () => {
    const id = uniqueId('records-ahead');
    const { client } = mailStack.stack;
    await client.start(mouAlsoCoordinatedBy(id, 'Full mailbox', 'busy@uob.example'));
    await client.command(id, 'submit', {});
    await client.command(id, 'sign', { signatory: 'vc-uob' });
    // The started mail to busy@ is retried for two days; the audit rows and the later mail do not wait for it.
    const trail = await eventually(
      async () => {
        const rows = await mailStack.stack.dependencies.records.history(id);
        return rows.length >= 3 ? rows : undefined;
      },
      20_000,
      'three audit rows',
    );
    expect(trail.map((row) => `${row.sequence}:${row.type}`)).toEqual(['1:started', '2:stage-changed', '3:signed']);
    await waitForKeys(
      id,
      ['invitation:1:vc@uob.example', 'signature-recorded:vc-uob:partnerships@uob.example'],
      20_000,
    );
    const [register] = await mailStack.stack.dependencies.records
      .register()
      .then((rows) => rows.filter((row) => row.id === id));
    expect(register?.stage).toBe('signing');
    await client.command(id, 'cancel', { reason: 'test over' });
  });
});
