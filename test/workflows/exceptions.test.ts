import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AgreementView } from '../../src/domain/index.ts';
import { mou } from '../support/agreements.ts';
import { runCli } from '../support/cli.ts';
import { keyOf, useMailStack } from '../support/mail-stack.ts';
import { eventually } from '../support/worker.ts';

const mailStack = useMailStack();
const { cliEnv, mailsOf, waitForKeys } = mailStack;
const uniqueId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

describe('decline (real dev server, real SMTP)', () => {
  it('declines back to draft, resubmits into round 2 and signs; each mail key once; the audit trail tells it', async () => {
    const id = uniqueId('decline');
    const { client } = mailStack.stack;
    await client.start(mou(Date.now(), id));
    await client.command(id, 'submit', {});
    await client.command(id, 'sign', { signatory: 'vc-uob' });

    const wrong = await runCli(['decline', id, '--signatory', 'vc-uob', '--reason', 'changed my mind'], cliEnv());
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim()).toBe('agreements: signatory: "vc-uob" has already signed, so can no longer decline');

    const reason = 'Clause 7 <IP> must name both institutes';
    const cli = await runCli(
      ['decline', id, '--signatory', 'president-jitri', '--reason', reason, '--json', '--request-id', `${id}-d1`],
      cliEnv(),
    );
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const declined = JSON.parse(cli.stdout) as AgreementView;
    expect(declined.stage).toBe('draft');
    expect(declined.signatures.map((s) => s.signedAt)).toEqual([null, null]);
    // The same request id again applies nothing.
    const again = await runCli(
      ['decline', id, '--signatory', 'president-jitri', '--reason', reason, '--request-id', `${id}-d1`],
      cliEnv(),
    );
    expect(again.code).toBe(0);
    const inDraft = await runCli(['decline', id, '--signatory', 'president-jitri', '--reason', reason], cliEnv());
    expect(inDraft.code).toBe(1);
    expect(inDraft.stderr.trim()).toBe(
      'agreements: decline is not allowed in stage "draft" (allowed in: signing, active)',
    );

    const declinedMail = await eventually(async () =>
      (await mailsOf(id)).find((mail) => keyOf(mail) === 'signature-declined:r1:partnerships@uob.example'),
    );
    expect(declinedMail.text).toContain(reason);
    expect(declinedMail.html).toContain('Clause 7 &lt;IP&gt; must name both institutes');

    expect((await client.command(id, 'submit', {})).stage).toBe('signing');
    await waitForKeys(id, [
      'invitation:r2:1:vc@uob.example',
      'invitation:r2:1:president@jitri.example',
      'invitation:r2:1:partnerships@uob.example',
    ]);
    await client.command(id, 'sign', { signatory: 'president-jitri' });
    const active = await client.command(id, 'sign', { signatory: 'vc-uob' });
    expect(active.stage).toBe('active');
    const keys = await waitForKeys(id, [
      'signature-recorded:r2:president-jitri:partnerships@uob.example',
      'signature-recorded:r2:vc-uob:partnerships@uob.example',
    ]);
    expect(keys.length).toBe(new Set(keys).size);
    expect(keys.filter((key) => key.startsWith('signature-recorded:'))).toHaveLength(3);

    const history = await eventually(async () => {
      const rows = await mailStack.stack.dependencies.records.history(id);
      return rows.some((row) => row.data.type === 'stage-changed' && row.data.to === 'active') ? rows : undefined;
    });
    expect(history.map((row) => row.type)).toEqual([
      'started',
      'stage-changed',
      'signed',
      'declined',
      'stage-changed',
      'stage-changed',
      'signed',
      'signed',
      'stage-changed',
    ]);
    const decline = history.find((row) => row.type === 'declined');
    expect(decline?.actor).toBe('partnerships');
    expect(decline?.data).toMatchObject({ signatory: 'president-jitri', reason });
  });
});

describe('deadlines (real dev server, real seconds)', () => {
  /** An MoU whose ceremony is a moment away and whose signing may take a few seconds after it. */
  function shortSigning(id: string): Record<string, unknown> {
    const document = mou(Date.now(), id);
    const ceremony = document.ceremony as Record<string, unknown>;
    return {
      ...document,
      ceremony: { ...ceremony, at: new Date(Date.now() + 2_000).toISOString() },
      deadlines: { signing: 'PT4S' },
    };
  }

  it('cancels an agreement at its signing deadline, while one extended stays in signing', async () => {
    const { client } = mailStack.stack;
    const lapsing = uniqueId('lapsing');
    const extended = uniqueId('extended');
    await client.start(shortSigning(lapsing));
    await client.start(shortSigning(extended));

    const early = await runCli(['extend', extended, '--until', new Date(Date.now() + 60_000).toISOString()], cliEnv());
    expect(early.code).toBe(1);
    expect(early.stderr.trim()).toBe(
      'agreements: extend is not allowed in stage "draft" (allowed in: approval, signing)',
    );

    const submitted = await client.command(lapsing, 'submit', {});
    expect(submitted.deadline?.stage).toBe('signing');
    await client.command(extended, 'submit', {});
    const until = new Date(Date.now() + 120_000).toISOString();
    const cli = await runCli(['extend', extended, '--until', until, '--json'], cliEnv());
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect((JSON.parse(cli.stdout) as AgreementView).deadline).toEqual({
      stage: 'signing',
      at: new Date(until).toISOString(),
    });
    const past = await runCli(['extend', extended, '--until', '2020-01-01T00:00:00Z'], cliEnv());
    expect(past.code).toBe(1);
    expect(past.stderr.trim()).toBe('agreements: until: must be in the future (got 2020-01-01T00:00:00Z)');

    const cancelled = await client.result(lapsing);
    expect(cancelled.stage).toBe('cancelled');
    expect(cancelled.cancelReason).toBe('signing deadline passed');
    const mail = await eventually(async () =>
      (await mailsOf(lapsing)).find((m) => keyOf(m) === 'cancelled:' + lapsing + ':partnerships@uob.example'),
    );
    expect(mail.text).toContain('signing deadline passed');
    const history = await eventually(async () => {
      const rows = await mailStack.stack.dependencies.records.history(lapsing);
      return rows.some((row) => row.data.type === 'stage-changed' && row.data.to === 'cancelled') ? rows : undefined;
    });
    expect(history.at(-1)).toMatchObject({ actor: 'system', data: { reason: 'deadline-passed' } });

    const still = await client.show(extended);
    expect(still.stage).toBe('signing');
    expect(still.deadline?.at).toBe(new Date(until).toISOString());
    const trail = await mailStack.stack.dependencies.records.history(extended);
    expect(trail.find((row) => row.type === 'deadline-extended')?.data).toMatchObject({ stage: 'signing', until });
    await client.command(extended, 'cancel', { reason: 'test over' });
  });
});

describe('replace (real dev server, real SMTP)', () => {
  it('hands a signatory’s part to a new person: invitation with its invite, the old one told, what others did stands', async () => {
    const { client } = mailStack.stack;
    const id = uniqueId('replace');
    await client.start(mou(Date.now(), id));
    await client.command(id, 'submit', {});
    await client.command(id, 'sign', { signatory: 'vc-uob' });

    const signed = await runCli(
      ['replace', id, '--signatory', 'vc-uob', '--name', 'A Deputy', '--email', 'deputy@uob.example', '--reason', 'x'],
      cliEnv(),
    );
    expect(signed.code).toBe(1);
    expect(signed.stderr.trim()).toBe(
      'agreements: signatory: "vc-uob" has already signed, and that stands; there is nothing to hand over',
    );
    const both = await runCli(
      ['replace', id, '--signatory', 'a', '--approver', 'b', '--name', 'N', '--email', 'n@x.example', '--reason', 'r'],
      cliEnv(),
    );
    expect(both.code).toBe(2);

    const cli = await runCli(
      [
        'replace',
        id,
        '--signatory',
        'president-jitri',
        '--name',
        '陈伟教授',
        '--email',
        'vp@jitri.example',
        '--title',
        'Vice President',
        '--locale',
        'zh-CN',
        '--reason',
        'The President delegates the signature',
        '--json',
      ],
      cliEnv(),
    );
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const view = JSON.parse(cli.stdout) as AgreementView;
    expect(view.stage).toBe('signing');
    expect(view.signatures).toEqual([
      expect.objectContaining({ signatory: 'vc-uob', signedAt: expect.any(String) }),
      expect.objectContaining({
        signatory: 'president-jitri',
        name: '陈伟教授',
        email: 'vp@jitri.example',
        signedAt: null,
      }),
    ]);

    const keys = await waitForKeys(id, [
      'person-replaced:replace4:partnerships@uob.example',
      'person-replaced:replace4:president@jitri.example',
      'invitation:1-replace4:vp@jitri.example',
    ]);
    const invitation = (await mailsOf(id)).find((m) => keyOf(m) === 'invitation:1-replace4:vp@jitri.example');
    expect(invitation?.subject).toContain('邀请函');
    expect(invitation?.attachments.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true);

    const active = await client.command(id, 'sign', { signatory: 'president-jitri' });
    expect(active.stage).toBe('active');
    expect(keys.length).toBe(new Set(keys).size);
    const history = await eventually(async () => {
      const rows = await mailStack.stack.dependencies.records.history(id);
      return rows.some((row) => row.data.type === 'stage-changed' && row.data.to === 'active') ? rows : undefined;
    });
    expect(history.find((row) => row.type === 'replaced')).toMatchObject({
      actor: 'partnerships',
      data: {
        role: 'signatory',
        id: 'president-jitri',
        previous: { name: 'Professor Qing Liu', email: 'president@jitri.example' },
        email: 'vp@jitri.example',
        reason: 'The President delegates the signature',
      },
    });
  });
});
