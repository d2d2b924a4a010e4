// The weekly digest on the real dev server: a Temporal Schedule made idempotently, triggered with --now, whose
// workflow reads each agreement (visibility, the digest Query, the audit trail) and mails each coordinator once; an
// agreement cancelled since the last digest is read from its closed workflow, one terminated in Temporal is named so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestSchedule } from '../../src/client/digest-schedule.ts';
import { calendarDate } from '../../src/domain/index.ts';
import { workflowIdFor } from '../../src/wire/contract.ts';
import { startSmtpSink, type SmtpSink } from '../mail/support/smtp-sink.ts';
import { phdProgramme } from '../support/agreements.ts';
import { eventually, startTestStack, type TestStack } from '../support/worker.ts';

const DAY = 24 * 3600_000;
const TIMEOUT_MS = 60_000;

describe('the weekly digest on a Temporal Schedule', () => {
  let sink: SmtpSink;
  let stack: TestStack;
  let schedule: DigestSchedule;

  beforeAll(async () => {
    sink = await startSmtpSink();
    stack = await startTestStack({ SMTP_URL: sink.url });
    schedule = new DigestSchedule(stack.env.client, stack.taskQueue);
    const now = Date.now();
    // The programme's ceremony falls in the coming week and one signature is in; the fund's is a month away.
    const coordinators = [
      { name: 'Partnerships Office', email: 'partnerships@uob.example', timezone: 'Europe/London' },
      { name: 'JITRI Programme Office', email: 'programme@jitri.example', timezone: 'Asia/Shanghai', locale: 'zh-CN' },
    ];
    const programme = phdProgramme(now, { ceremonyInMs: 3 * DAY }, { id: 'digest-phd-programme', coordinators });
    await stack.client.start(programme);
    await stack.client.command('digest-phd-programme', 'submit', {});
    await stack.client.command('digest-phd-programme', 'sign', { signatory: 'vc-uob', actor: 'registry' });
    await stack.client.start(phdProgramme(now, {}, { id: 'digest-joint-fund', title: 'Joint fund <six projects>' }));
    // Cancelled before the digest: its workflow has returned, so it is no longer Running in visibility.
    await stack.client.start(
      phdProgramme(now, {}, { id: 'digest-cancelled', title: 'Summer school exchange', coordinators }),
    );
    await stack.client.command('digest-cancelled', 'cancel', { reason: 'Partner withdrew', actor: 'registry' });
    await stack.env.client.workflow.getHandle(workflowIdFor('digest-cancelled')).result();
    const closed = `WorkflowId = "${workflowIdFor('digest-cancelled')}" AND ExecutionStatus = "Completed"`;
    await eventually(
      async () => ((await stack.env.client.workflow.count(closed)).count > 0 ? true : undefined),
      TIMEOUT_MS,
      'the cancelled agreement closed in visibility',
    );
    // Stopped in Temporal by an operator rather than through the lifecycle: its coordinators must hear of it.
    await stack.client.start(
      phdProgramme(now, {}, { id: 'digest-terminated', title: 'Terminated pilot', coordinators }),
    );
    // Once it runs (its first task done, so a Query can replay it), as an operator would find it.
    await stack.client.show('digest-terminated');
    await stack.env.client.workflow.getHandle(workflowIdFor('digest-terminated')).terminate('stopped by an operator');
    const terminated = `WorkflowId = "${workflowIdFor('digest-terminated')}" AND ExecutionStatus = "Terminated"`;
    await eventually(
      async () => ((await stack.env.client.workflow.count(terminated)).count > 0 ? true : undefined),
      TIMEOUT_MS,
      'the terminated agreement closed in visibility',
    );
    // The audit trail is written by activities: wait for the signature to be on record.
    await eventually(
      async () =>
        (await stack.dependencies.records.history('digest-phd-programme')).some((row) => row.type === 'signed')
          ? true
          : undefined,
      TIMEOUT_MS,
      'the signature in the audit trail',
    );
  }, 120_000);

  afterAll(async () => {
    await schedule?.disable();
    await stack?.stop();
    await sink?.close();
  });

  it('is created once: a second --enable updates the schedule instead of adding one', async () => {
    expect(await schedule.enable({ cron: '0 8 * * MON', timezone: 'Europe/London' })).toBe('created');
    expect(await schedule.enable({ cron: '30 7 * * MON', timezone: 'Asia/Shanghai' })).toBe('updated');
    const ids: string[] = [];
    for await (const listed of stack.env.client.schedule.list()) ids.push(listed.scheduleId);
    expect(ids.filter((id) => id === schedule.scheduleId)).toHaveLength(1);
    const shown = await schedule.show();
    expect(shown).toMatchObject({ cron: '30 7 * * MON', timezone: 'Asia/Shanghai', paused: false });
    expect(shown.nextRuns.length).toBeGreaterThan(0);
  });

  it('--now mails each coordinator one digest of what their agreements hold, in their language', async () => {
    await schedule.trigger();
    const digests = await eventually(
      async () => {
        const mails = (await sink.parsed()).filter((mail) => mail.subject?.startsWith('[digest] '));
        return mails.length >= 2 ? mails : undefined;
      },
      TIMEOUT_MS,
      'two digests in the SMTP sink',
    );
    const to = (address: string) =>
      digests.filter((mail) => !Array.isArray(mail.to) && mail.to?.value[0]?.address === address);
    const [english] = to('partnerships@uob.example');
    const [chinese] = to('programme@jitri.example');
    expect(to('partnerships@uob.example')).toHaveLength(1);
    expect(to('programme@jitri.example')).toHaveLength(1);

    // The run's date is the date where the schedule runs: it was last enabled for Asia/Shanghai.
    const runDate = calendarDate(new Date(), 'Asia/Shanghai');
    expect(english?.headers.get('x-notification-key')).toBe(`digest:${runDate}:partnerships@uob.example`);
    const text = english?.text ?? '';
    expect(text).toContain('UoB–JITRI joint PhD researcher programme (digest-phd-programme) · stage: signing');
    expect(text).toMatch(/ — signing ceremony in Nanjing/);
    expect(text).toMatch(/ — reminder: ceremony notice \(1 day ahead\)/);
    expect(text).toMatch(/ — signed by vc-uob \(by registry\)/);
    expect(text).toContain('Joint fund <six projects> (digest-joint-fund) · stage: draft');
    expect(text).toContain('Summer school exchange (digest-cancelled) · stage: cancelled');
    expect(text).toMatch(/ — stage draft → cancelled: Partner withdrew \(by registry\)/);
    expect(text).toContain('Terminated pilot (digest-terminated) · stage: draft');
    expect(text).toMatch(
      / — its workflow was terminated outside the lifecycle: no reminder or mail about it will go out/,
    );
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect(english?.html).toContain('Joint fund &lt;six projects&gt;');
    expect(english?.html).not.toContain('<six projects>');

    expect(chinese?.subject).toMatch(/^\[digest\] 每周摘要（\d{4}年\d{1,2}月\d{1,2}日）/);
    expect(chinese?.text).toContain('尊敬的JITRI Programme Office：');
    expect(chinese?.text).toContain('UoB–JITRI joint PhD researcher programme（digest-phd-programme）· 阶段：签署');
    expect(chinese?.text).toMatch(/ — 签约仪式（Nanjing）/);
    expect(chinese?.text).toMatch(/vc-uob已签署（操作人：registry）/);
    expect(chinese?.text).toContain('Summer school exchange（digest-cancelled）· 阶段：已取消');
    expect(chinese?.text).toContain('阶段：草案 → 已取消（原因：Partner withdrew）（操作人：registry）');
    expect(chinese?.text).toMatch(
      /Terminated pilot（digest-terminated）· 阶段：草案[\s\S]*该协议的工作流在生命周期之外被终止/,
    );
  });

  it('sends nothing twice when run again the same day: the digest key is the run date', async () => {
    const before = (await sink.parsed()).length;
    await schedule.trigger();
    const second = await eventually(
      async () => {
        const runs = (await schedule.show()).recentRuns;
        return runs.length >= 2 ? runs[runs.length - 1] : undefined;
      },
      TIMEOUT_MS,
      'the second run',
    );
    const result: unknown = await stack.env.client.workflow.getHandle(second?.workflowId ?? '').result();
    expect(result).toMatchObject({
      sent: [{ status: 'already-sent' }, { status: 'already-sent' }],
    });
    expect((await sink.parsed()).length).toBe(before);
  });

  it('--disable deletes the schedule, and says so when there is none', async () => {
    expect(await schedule.disable()).toBe(true);
    expect(await schedule.disable()).toBe(false);
    await expect(schedule.trigger()).rejects.toThrow('no digest schedule: run agreements digest --enable first');
  });
});
