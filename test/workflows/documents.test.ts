import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AgreementView } from '../../src/domain/index.ts';
import { mou } from '../support/agreements.ts';
import { runCli } from '../support/cli.ts';
import { useMailStack } from '../support/mail-stack.ts';
import { eventually } from '../support/worker.ts';
import { ANNEX, TEXT_V1, TEXT_V2, amendText, documents } from '../support/documents.ts';

const mailStack = useMailStack();
const { cliEnv } = mailStack;

describe('documents (real dev server, SPEC 18)', () => {
  it('signs against the current hashes: a stale one is refused naming the document, and nothing is written', async () => {
    const id = `documents-${randomBytes(4).toString('hex')}`;
    const { client, dependencies } = mailStack.stack;
    await client.start({ ...mou(Date.now(), id), documents });
    await client.command(id, 'submit', {});
    // The president declines over the text; the office amends it (a new version) and submits again.
    await client.command(id, 'decline', { signatory: 'president-jitri', reason: 'clause 4 must change' });
    await client.command(id, 'amend', { patch: amendText });
    const before = await client.command(id, 'submit', {});

    const stale = await runCli(
      ['sign', id, '--signatory', 'vc-uob', '--document-sha256', TEXT_V1, '--document-sha256', ANNEX],
      cliEnv(),
    );
    expect(stale.code).toBe(1);
    expect(stale.stdout).toBe('');
    expect(stale.stderr).toBe(
      'agreements: documentSha256: a SHA-256 quoted is stale or missing: sign against the current version of "agreement-text" (Memorandum of understanding), as `agreements show` lists it (--document-sha256)\n',
    );
    expect((await client.show(id)).events).toBe(before.events);

    const signed = await runCli(
      ['sign', id, '--signatory', 'vc-uob', '--document-sha256', ANNEX, '--document-sha256', TEXT_V2, '--json'],
      cliEnv(),
    );
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    const view = JSON.parse(signed.stdout) as AgreementView;
    expect(view.signatures.find((s) => s.signatory === 'vc-uob')?.documents).toEqual([
      { id: 'agreement-text', sha256: TEXT_V2 },
      { id: 'annex-zh', sha256: ANNEX },
    ]);

    const human = await runCli(['show', id], cliEnv());
    expect(human.stdout).toContain(`agreement-text: Memorandum of understanding  sha256 ${TEXT_V2}`);
    expect(human.stdout).toContain(`annex-zh: 合作备忘录（中文本）  sha256 ${ANNEX}`);
    const shown = await runCli(['show', id, '--json'], cliEnv());
    expect((JSON.parse(shown.stdout) as AgreementView).documents).toEqual([
      { ...documents[0], sha256: TEXT_V2 },
      documents[1],
    ]);

    // The earlier version stays in the audit trail: the first start's document and the amendment's patch.
    const history = await eventually(async () => {
      const rows = await dependencies.records.history(id);
      return rows.some((row) => row.type === 'signed') ? rows : undefined;
    });
    const amended = history.find((row) => row.type === 'amended');
    expect(JSON.stringify(amended?.data)).toContain(TEXT_V2);
    expect(history.find((row) => row.type === 'signed')?.data).toMatchObject({
      signatory: 'vc-uob',
      documents: [
        { id: 'agreement-text', sha256: TEXT_V2 },
        { id: 'annex-zh', sha256: ANNEX },
      ],
    });
    await client.command(id, 'cancel', { reason: 'test over' });
  });
});
