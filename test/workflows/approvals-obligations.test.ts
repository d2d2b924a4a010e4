import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { locateTemporalCli } from '../../src/local/devserver/temporal-cli.ts';
import type { AgreementView } from '../../src/domain/index.ts';
import { workflowIdFor } from '../../src/wire/contract.ts';
import { mou } from '../support/agreements.ts';
import { runCli } from '../support/cli.ts';
import { eventually } from '../support/worker.ts';
import { keyOf, useMailStack } from '../support/mail-stack.ts';

const mailStack = useMailStack();
const { cliEnv, keysOf, waitForKeys } = mailStack;

const SECOND = 1000;
const uniqueId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const iso = (ms: number) => new Date(ms).toISOString();

const APPROVALS = [
  { id: 'legal', name: 'Legal Services', email: 'contracts@uob.example', timezone: 'Europe/London' },
  { id: 'finance', name: 'Research Finance', email: 'research-finance@uob.example' },
];
const OWNER = { name: 'JITRI Programme Office', email: 'programme@jitri.example', timezone: 'Asia/Shanghai' };

function expectEachKeyOnce(keys: string[]) {
  expect(keys.length).toBe(new Set(keys).size);
}

/** An MoU that needs Legal and Finance's approval before its signature. */
function approvedMou(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...mou(Date.now(), id), approvals: APPROVALS, ...extra };
}

describe('approvals before signing (real dev server, real SMTP)', () => {
  it('submit asks the approvers; the last approval sends the invitations; signing then runs as before', async () => {
    const id = uniqueId('approvals');
    const { client } = mailStack.stack;
    await client.start(approvedMou(id));
    const submitted = await client.command(id, 'submit', {});
    expect(submitted.stage).toBe('approval');
    await waitForKeys(id, [
      'approval-request:1:contracts@uob.example',
      'approval-request:1:research-finance@uob.example',
    ]);
    expect((await keysOf(id)).some((key) => key.startsWith('invitation:'))).toBe(false);

    const cli = await runCli(['approve', id, '--approver', 'legal', '--note', 'clause 7 agreed', '--json'], cliEnv());
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const afterLegal = JSON.parse(cli.stdout) as AgreementView;
    expect(afterLegal.approvals.map((a) => [a.approver, a.approvedAt !== null])).toEqual([
      ['legal', true],
      ['finance', false],
    ]);
    const repeated = await runCli(['approve', id, '--approver', 'legal'], cliEnv());
    expect(repeated.code).toBe(1);
    expect(repeated.stderr.trim()).toBe(`agreements: approver: "legal" has already approved`);

    const signing = await client.command(id, 'approve', { approver: 'finance' });
    expect(signing.stage).toBe('signing');
    await waitForKeys(id, ['invitation:1:vc@uob.example', 'invitation:1:president@jitri.example']);
    await client.command(id, 'sign', { signatory: 'vc-uob' });
    const active = await client.command(id, 'sign', { signatory: 'president-jitri' });
    expect(active.stage).toBe('active');

    const { records } = mailStack.stack.dependencies;
    // Records are written by the outbox after the Update answers.
    const history = await eventually(async () => {
      const rows = await records.history(id);
      return rows.length >= 8 ? rows : undefined;
    });
    expect(history.filter((row) => row.type === 'approved').map((row) => row.actor)).toEqual([
      'partnerships',
      'coordinator',
    ]);
    const stages = history.flatMap((row) => (row.data.type === 'stage-changed' ? [row.data.to] : []));
    expect(stages).toEqual(['approval', 'signing', 'active']);
    const row = (await records.register({})).find((r) => r.id === id);
    expect(row?.approvedAt).toBe(history.find((r) => r.data.type === 'stage-changed' && r.data.to === 'signing')?.at);
    expectEachKeyOnce(await keysOf(id));
  });

  it('request-changes sends it back to draft with the reason; a resubmission asks again', async () => {
    const id = uniqueId('changes');
    const { client } = mailStack.stack;
    await client.start(approvedMou(id));
    await client.command(id, 'submit', {});
    await client.command(id, 'approve', { approver: 'legal' });
    const back = await client.command(id, 'requestChanges', { approver: 'finance', reason: 'Budget line 4 <unclear>' });
    expect(back.stage).toBe('draft');
    expect(back.approvals.every((a) => a.approvedAt === null)).toBe(true);
    const changes = await eventually(async () => {
      const mails = (await mailStack.sink.parsed()).filter((mail) => keyOf(mail).startsWith(`changes-requested:1:`));
      return mails.find((mail) => mail.headers.get('x-agreement-id') === id);
    });
    expect(changes.text).toContain('Budget line 4 <unclear>');
    expect(changes.html).toContain('Budget line 4 &lt;unclear&gt;');

    await client.command(id, 'amend', { patch: { summary: 'Budget line 4 clarified.' } });
    expect((await client.command(id, 'submit', {})).stage).toBe('approval');
    await waitForKeys(id, [
      'approval-request:2:contracts@uob.example',
      'approval-request:2:research-finance@uob.example',
    ]);
    expectEachKeyOnce(await keysOf(id));
  });

  it('chases a silent approver in real seconds, escalates once, and stops when approved', async () => {
    const id = uniqueId('approval-chase');
    const { client } = mailStack.stack;
    await client.start(approvedMou(id, { approvalChase: { every: 'PT2S', escalateAfter: 1 } }));
    await client.command(id, 'submit', {});
    await client.command(id, 'approve', { approver: 'legal' });
    await waitForKeys(id, [
      'approval-chase:1-1:research-finance@uob.example',
      'approval-escalation:1-finance:partnerships@uob.example',
    ]);
    await client.command(id, 'approve', { approver: 'finance' });
    const sent = await keysOf(id);
    await new Promise((resolve) => setTimeout(resolve, 3 * SECOND));
    const later = await keysOf(id);
    expect(later.filter((key) => key.startsWith('approval-')).sort()).toEqual(
      sent.filter((key) => key.startsWith('approval-')).sort(),
    );
    expect(later).not.toContain('approval-chase:1-1:contracts@uob.example');
    expectEachKeyOnce(later);
  });

  it('the stock temporal CLI drives approvals, signatures and an obligation by the wire contract', async () => {
    const id = uniqueId('stock-cli');
    const { client } = mailStack.stack;
    const due = iso(Date.now() + 200 * 24 * 3600 * SECOND);
    await client.start(approvedMou(id, { obligations: [{ id: 'report-1', title: 'Report', due, owner: OWNER }] }));
    const temporal = await locateTemporalCli();
    if (!temporal) throw new Error('no Temporal CLI');
    const update = async (name: string, input: unknown) => {
      const { stdout } = await promisify(execFile)(temporal, [
        'workflow',
        'update',
        'execute',
        '--address',
        inject('temporalAddress'),
        '--workflow-id',
        workflowIdFor(id),
        '--name',
        name,
        '--input',
        JSON.stringify(input),
        '--output',
        'json',
      ]);
      return stdout;
    };
    expect(await update('submit', {})).toContain('"approval"');
    await update('approve', { approver: 'legal' });
    expect(await update('approve', { approver: 'finance', note: 'ok' })).toContain('"signing"');
    await update('sign', { signatory: 'vc-uob' });
    expect(await update('sign', { signatory: 'president-jitri' })).toContain('"active"');
    await update('fulfil', { obligation: 'report-1', reference: 'DOC-1' });
    const view = await client.show(id);
    expect(view.approvals.map((a) => a.note ?? null)).toEqual([null, 'ok']);
    expect(view.obligations[0]).toMatchObject({ id: 'report-1', reference: 'DOC-1', fulfilledAt: expect.any(String) });
    expect(await update('complete', {})).toContain('"completed"');
  });
});

describe('obligations after signing (real dev server, real SMTP)', () => {
  it('notice before the due moment, overdue at it and again a chase later, fulfilment once', async () => {
    const id = uniqueId('obligation');
    const { client } = mailStack.stack;
    const start = Date.now();
    await client.start({
      ...mou(start, id),
      obligations: [
        { id: 'report-1', title: 'Progress report', due: iso(start + 10 * SECOND), owner: OWNER, notice: ['PT4S'] },
      ],
      obligationChase: { every: 'PT3S' },
    });
    await client.command(id, 'submit', {});
    await client.command(id, 'sign', { signatory: 'vc-uob' });
    const active = await client.command(id, 'sign', { signatory: 'president-jitri' });
    expect(active.stage).toBe('active');
    expect(active.obligations).toEqual([
      expect.objectContaining({ id: 'report-1', fulfilledAt: null, overdue: false, owner: 'JITRI Programme Office' }),
    ]);
    await waitForKeys(id, ['obligation-notice:report-1-PT4S:programme@jitri.example']);
    await waitForKeys(id, [
      'obligation-overdue:report-1-1:programme@jitri.example',
      'obligation-overdue:report-1-1:partnerships@uob.example',
    ]);
    const overdue = await client.show(id);
    expect(overdue.obligations[0]?.overdue).toBe(true);
    const listed = await runCli(['list', '--obligations-due-within', '1d', '--json'], cliEnv());
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((a) => a.id)).toContain(id);
    await waitForKeys(id, ['obligation-overdue:report-1-2:programme@jitri.example']);

    const fulfilled = await runCli(['fulfil', id, '--obligation', 'report-1', '--reference', 'DOC-7'], cliEnv());
    expect(fulfilled.stderr).toBe('');
    expect(fulfilled.stdout.split('\n')[0]).toBe(`${id}: report-1 fulfilled (0 still open)`);
    await waitForKeys(id, ['obligation-fulfilled:report-1:partnerships@uob.example']);
    const before = await keysOf(id);
    await new Promise((resolve) => setTimeout(resolve, 4 * SECOND));
    const after = await keysOf(id);
    expect(after.filter((key) => key.startsWith('obligation-overdue:')).sort()).toEqual(
      before.filter((key) => key.startsWith('obligation-overdue:')).sort(),
    );
    expectEachKeyOnce(after);
    const view = await client.show(id);
    expect(view.obligations[0]).toMatchObject({ fulfilledAt: expect.any(String), reference: 'DOC-7', overdue: false });
    const register = await runCli(['register', '--format', 'csv'], cliEnv());
    const header = register.stdout.split('\r\n')[0]?.split(',') ?? [];
    const line =
      register.stdout
        .split('\r\n')
        .find((l) => l.startsWith(`${id},`))
        ?.split(',') ?? [];
    expect(line[header.indexOf('obligations_open')]).toBe('0');
    expect(line[header.indexOf('obligations_overdue')]).toBe('0');
  });

  it('add-obligation and fulfil: bad input gets one line naming the field and changes nothing', async () => {
    const id = uniqueId('bad-obligation');
    const { client } = mailStack.stack;
    await client.start({ ...mou(Date.now(), id), term: { endsAt: iso(Date.now() + 400 * 24 * 3600 * SECOND) } });
    // A start is applied once the worker has authorised it (its first task): count from there.
    const before = await eventually(async () => {
      const view = await client.show(id);
      return view.events > 0 ? view : undefined;
    });
    const file = join(mailStack.stack.home, 'obligation.yaml');
    await writeFile(
      file,
      `id: late-report\ntitle: Late report\ndue: ${iso(Date.now() + 800 * 24 * 3600 * SECOND)}\nowner: { name: JITRI, email: programme@jitri.example }\n`,
    );
    const late = await runCli(['add-obligation', id, '--file', file], cliEnv());
    expect(late.code).toBe(1);
    expect(late.stderr.trim()).toMatch(/^agreements: obligation\.due: must not be after the end of term \(/);
    expect(late.stderr.trim().split('\n')).toHaveLength(1);
    await writeFile(file, 'id: report\ntitle: Report\ndue: tomorrow\nowner: { name: JITRI, email: not-an-email }\n');
    const bad = await runCli(['add-obligation', id, '--file', file], cliEnv());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('obligation.due: must be an ISO 8601 date-time');
    expect(bad.stderr).toContain('obligation.owner.email: must be an email address');
    const fulfil = await runCli(['fulfil', id, '--obligation', 'report'], cliEnv());
    expect(fulfil.code).toBe(1);
    expect(fulfil.stderr.trim()).toBe('agreements: fulfil is not allowed in stage "draft" (allowed in: active)');
    const after = await client.show(id);
    expect(after.events).toBe(before.events);
    expect(after.obligations).toEqual([]);

    await writeFile(
      file,
      `id: report\ntitle: Report\ndue: ${iso(Date.now() + 30 * 24 * 3600 * SECOND)}\nowner: { name: JITRI, email: programme@jitri.example }\n`,
    );
    const added = await runCli(['add-obligation', id, '--file', file, '--json'], cliEnv());
    expect(added.stderr).toBe('');
    expect((JSON.parse(added.stdout) as AgreementView).obligations.map((o) => o.id)).toEqual(['report']);
  });
});
