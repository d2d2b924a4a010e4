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
    expect(inDraft.stderr.trim()).toBe('agreements: decline is not allowed in stage "draft" (allowed in: signing)');

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
