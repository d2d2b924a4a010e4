import { z } from 'zod';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgreementView } from '../../src/domain/index.ts';
import { mou } from '../support/agreements.ts';
import { runCli, type CliOutcome } from '../support/cli.ts';
import { ANNEX, TEXT_V1, TEXT_V2, documents } from '../support/documents.ts';
import { keyOf, useMailStack } from '../support/mail-stack.ts';

const mailStack = useMailStack();
const { cliEnv, mailsOf, waitForKeys } = mailStack;
const scratch = mkdtemp(join(tmpdir(), 'variations-'));
afterAll(async () => rm(await scratch, { recursive: true, force: true }));

const REASON = 'UoB bridge funding for the 2027 intake, and the revised text';
const bridge = {
  id: 'uob-bridge',
  funder: 'uob',
  amount: 250000,
  contact: { name: 'UoB Bridge Fund', email: 'bridge@uob.example' },
};
/** v1: UoB (no funder until now) commits bridge funding, and the text moves to its second version. */
const variationOne = {
  funding: { currency: 'GBP', commitments: [bridge] },
  documents: [{ ...documents[0], sha256: TEXT_V2 }, documents[1]],
};

const cli = (args: string[]) => runCli(args, cliEnv());
const eventsOf = async (id: string) => (await mailStack.stack.client.show(id)).events;

async function patchFile(name: string, patch: Record<string, unknown>): Promise<string> {
  const file = join(await scratch, `${name}.json`);
  await writeFile(file, JSON.stringify(patch));
  return file;
}

/** One clean line on stderr, exit 1, and no event written. */
async function expectRefused(id: string, args: string[], expected: string): Promise<CliOutcome> {
  const before = await eventsOf(id);
  const outcome = await cli(args);
  expect(outcome.code, outcome.stderr).toBe(1);
  const lines = outcome.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(outcome.stderr).not.toMatch(/\n\s+at |Error:/);
  expect(lines[0]).toContain(expected);
  expect(await eventsOf(id)).toBe(before);
  return outcome;
}

/** The PDF's text as poppler's pdftotext reads it. */
async function pdfText(bytes: Buffer): Promise<string> {
  const file = join(await scratch, `${randomBytes(4).toString('hex')}.pdf`);
  await writeFile(file, bytes);
  const { stdout } = await promisify(execFile)('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-']);
  return stdout;
}

describe('variations of an active agreement (real dev server, real SMTP, the CLI; SPEC 18)', () => {
  it('goes to the approvers, then the signatories, then applies: new funding asked for, a new certificate', async () => {
    const id = `variation-${randomBytes(4).toString('hex')}`;
    const { client } = mailStack.stack;
    const base = mou(Date.now(), id) as { signatories: Record<string, unknown>[] };
    const approvals = [
      { id: 'legal', name: 'Legal Services', email: 'contracts@uob.example' },
      { id: 'jitri-legal', name: '江苏产研院法务部', email: 'legal@jitri.example', locale: 'zh-CN' },
    ];
    const signatories = [
      base.signatories[0],
      { ...base.signatories[1], name: '刘青', email: 'liu.qing@jitri.example', locale: 'zh-CN' },
    ];
    await client.start({ ...base, documents, approvals, signatories });
    const v1 = await patchFile(`${id}-v1`, variationOne);

    // Before signing there is nothing to vary.
    await expectRefused(id, ['vary', id, '--file', v1, '--reason', REASON], 'vary is not allowed in stage "draft"');

    await client.command(id, 'submit', {});
    await client.command(id, 'approve', { approver: 'legal' });
    await client.command(id, 'approve', { approver: 'jitri-legal' });
    const original = [TEXT_V1, ANNEX];
    await client.command(id, 'sign', { signatory: 'vc-uob', documentSha256: original });
    const active = await client.command(id, 'sign', { signatory: 'president-jitri', documentSha256: original });
    expect(active.stage).toBe('active');

    // Refusals in active: each one line, exit 1, nothing written.
    const title = await patchFile(`${id}-title`, { title: 'Renamed' });
    await expectRefused(id, ['vary', id, '--file', title, '--reason', 'rename'], 'patch: "title" cannot be varied');
    await expectRefused(
      id,
      ['sign', id, '--signatory', 'vc-uob'],
      'variation: the agreement is active; name the variation to sign (--variation)',
    );

    const proposed = await cli(['vary', id, '--file', v1, '--reason', REASON]);
    expect(proposed.stderr).toBe('');
    expect(proposed.stdout.split('\n')[0]).toBe(`${id}: variation v1 proposed, requests going to 2 approvers`);
    expect(proposed.stdout).toMatch(/variations: +1, 1 open\n +v1 approval: UoB bridge funding/);

    const second = await patchFile(`${id}-second`, { documents: variationOne.documents.slice(0, 1) });
    await expectRefused(
      id,
      ['vary', id, '--file', second, '--reason', 'another'],
      'variation: "v1" is still open (approval); see it through or withdraw it first',
    );

    await waitForKeys(id, ['variation-request:v1:contracts@uob.example', 'variation-request:v1:legal@jitri.example']);
    const requests = (await mailsOf(id)).filter((mail) => keyOf(mail).startsWith('variation-request:'));
    const english = requests.find((mail) => keyOf(mail).endsWith(':contracts@uob.example'));
    expect(english?.subject).toBe(`[${id}] Variation v1 for approval: ${active.title}`);
    expect(english?.text).toContain(`agreements approve ${id} --approver legal --variation v1`);
    expect(english?.text).toContain(
      `“${REASON}”. It changes the funding currency, the funding commitments, the documents.`,
    );
    const chinese = requests.find((mail) => keyOf(mail).endsWith(':legal@jitri.example'));
    expect(chinese?.subject).toBe(`[${id}] 变更审批请求：${active.title}（变更v1）`);
    expect(chinese?.text).toContain(`agreements approve ${id} --approver jitri-legal --variation v1`);
    expect(chinese?.text).toContain('变更内容：资金币种、资金承诺、协议文件');

    const legal = await cli(['approve', id, '--approver', 'legal', '--variation', 'v1']);
    expect(legal.stdout.split('\n')[0]).toBe(`${id}: variation v1 approved by legal (1/2)`);
    const jitri = await cli(['approve', id, '--approver', 'jitri-legal', '--variation', 'v1']);
    expect(jitri.stdout.split('\n')[0]).toBe(
      `${id}: variation v1 approved by jitri-legal; all approvals given, invitations going to 2 signatories`,
    );

    await waitForKeys(id, ['variation-invitation:v1:vc@uob.example', 'variation-invitation:v1:liu.qing@jitri.example']);
    const invitation = (await mailsOf(id)).find(
      (mail) => keyOf(mail) === 'variation-invitation:v1:liu.qing@jitri.example',
    );
    expect(invitation?.subject).toBe(`[${id}] 变更签署邀请：${active.title}（变更v1）`);
    expect(invitation?.text).toContain(
      `agreements sign ${id} --signatory president-jitri --variation v1 --document-sha256 ${TEXT_V2} --document-sha256 ${ANNEX}`,
    );

    // The old version of the text is stale for the variation: refused, naming the document.
    await expectRefused(
      id,
      [
        'sign',
        id,
        '--signatory',
        'vc-uob',
        '--variation',
        'v1',
        '--document-sha256',
        TEXT_V1,
        '--document-sha256',
        ANNEX,
      ],
      '"agreement-text" (Memorandum of understanding)',
    );
    const hashes = ['--document-sha256', TEXT_V2, '--document-sha256', ANNEX];
    const vc = await cli(['sign', id, '--signatory', 'vc-uob', '--variation', 'v1', ...hashes]);
    expect(vc.stdout.split('\n')[0]).toBe(`${id}: variation v1 signed by vc-uob (1/2)`);
    const liu = await cli(['sign', id, '--signatory', 'president-jitri', '--variation', 'v1', ...hashes]);
    expect(liu.stdout.split('\n')[0]).toBe(
      `${id}: variation v1 signed by president-jitri (2/2); applied; funding requested of 1 funder`,
    );

    const shown = JSON.parse((await cli(['show', id, '--json'])).stdout) as AgreementView;
    expect(shown.stage).toBe('active');
    expect(shown.documents.map((d) => d.sha256)).toEqual([TEXT_V2, ANNEX]);
    expect(shown.funding).toMatchObject({ currency: 'GBP', required: 250000, confirmed: 0 });
    expect(shown.variations).toEqual([
      expect.objectContaining({
        id: 'v1',
        reason: REASON,
        status: 'applied',
        changes: ['funding.currency', 'funding.commitments', 'documents'],
        sets: expect.objectContaining({
          currency: 'GBP',
          commitments: [{ id: 'uob-bridge', funder: 'uob', amount: 250000, previous: null }],
        }),
        approvals: [
          expect.objectContaining({ approver: 'legal', approvedAt: expect.any(String) }),
          expect.objectContaining({ approver: 'jitri-legal', approvedAt: expect.any(String) }),
        ],
        signatures: [
          expect.objectContaining({ signatory: 'vc-uob', signedAt: expect.any(String) }),
          expect.objectContaining({ signatory: 'president-jitri', signedAt: expect.any(String), name: '刘青' }),
        ],
      }),
    ]);
    const human = (await cli(['show', id])).stdout;
    expect(human).toContain(`    v1 applied: ${REASON}`);
    expect(human).toContain('      signatures: 2/2  ✓ vc-uob, ✓ president-jitri');

    const applied = await waitForKeys(id, [
      'variation-applied:v1:partnerships@uob.example',
      'variation-applied:v1:vc@uob.example',
      'variation-applied:v1:liu.qing@jitri.example',
      'funding-request:v1-uob-bridge:bridge@uob.example',
    ]);
    const certificates = applied.filter((key) => key.startsWith('completion-certificate:'));
    const sequences = [...new Set(certificates.map((key) => Number(key.split(':')[1])))].sort((a, b) => a - b);
    expect(sequences).toHaveLength(2);
    const mails = await mailsOf(id);
    const request = mails.find((mail) => keyOf(mail) === 'funding-request:v1-uob-bridge:bridge@uob.example');
    expect(request?.subject).toBe(`[${id}] Funding request: uob-bridge, GBP 250,000.00`);
    expect(request?.text).toContain('Variation v1 of');

    // The variation's certificate: the variation, both signatories, the new hashes.
    const ofVariation = mails.find(
      (mail) => keyOf(mail) === `completion-certificate:${sequences[1]}:liu.qing@jitri.example`,
    );
    expect(ofVariation?.subject).toBe(`[${id}] 签署完成证明：${active.title}（变更v1）`);
    const pdf = ofVariation?.attachments[0]?.content;
    expect(pdf).toBeDefined();
    const text = await pdfText(pdf ?? Buffer.alloc(0));
    for (const expected of [
      'Variation v1',
      REASON,
      'Professor Adam Tickell',
      '刘青',
      `SHA-256 ${TEXT_V2}`,
      `SHA-256 ${ANNEX}`,
      'Legal Services',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain(TEXT_V1);

    // The CLI writes the latest (the variation's) by default, and the first with --sequence.
    const bytesOf = async (...more: string[]) =>
      Buffer.from(
        z
          .object({ pdfBase64: z.string() })
          .loose()
          .parse(JSON.parse((await cli(['certificate', id, '--json', ...more])).stdout)).pdfBase64,
        'base64',
      );
    expect(Buffer.compare(await bytesOf(), pdf ?? Buffer.alloc(0))).toBe(0);
    const first = await pdfText(await bytesOf('--sequence', String(sequences[0])));
    expect(first).toContain(`SHA-256 ${TEXT_V1}`);
    expect(first).not.toContain('Variation v1');
    expect(Buffer.compare(await bytesOf('--variation', 'v1'), pdf ?? Buffer.alloc(0))).toBe(0);
    const noSuch = await cli(['certificate', id, '--variation', 'v9']);
    expect([noSuch.code, noSuch.stderr]).toEqual([
      1,
      `agreements: agreement "${id}" has no variation "v9" that applied (show lists its variations)\n`,
    ]);
    const both = await cli(['certificate', id, '--variation', 'v1', '--sequence', '3']);
    expect([both.code, both.stderr]).toEqual([1, 'agreements: --variation, --sequence: give one of them, not both\n']);
    const missing = await cli(['certificate', id, '--sequence', '3']);
    expect([missing.code, missing.stderr]).toEqual([
      1,
      `agreements: agreement "${id}" has no certificate of completion at audit row 3 (certificates are issued at the row where all have signed and where a variation applies)\n`,
    ]);
    const bad = await cli(['certificate', id, '--sequence', 'last']);
    expect([bad.code, bad.stderr]).toEqual([
      1,
      'agreements: --sequence: must be an audit row number such as 12 (got "last")\n',
    ]);

    // The new commitment is confirmed while the agreement stays active.
    const confirmed = await cli(['confirm-funding', id, '--commitment', 'uob-bridge', '--amount', '250000', '--json']);
    expect(confirmed.code).toBe(0);
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ stage: 'active', funding: { confirmed: 250000 } });

    // A variation may not lower a commitment; a valid one can be withdrawn.
    const lower = await patchFile(`${id}-lower`, { funding: { commitments: [{ ...bridge, amount: 100000 }] } });
    await expectRefused(
      id,
      ['vary', id, '--file', lower, '--reason', 'less'],
      'funding.commitments: "uob-bridge" (uob, GBP 250,000.00) must stay',
    );
    const term = await patchFile(`${id}-term`, {
      term: { endsAt: new Date(Date.now() + 400 * 86_400_000).toISOString() },
    });
    const v2 = JSON.parse(
      (await cli(['vary', id, '--file', term, '--reason', 'a term', '--json'])).stdout,
    ) as AgreementView;
    expect(v2.variations.map((v) => [v.id, v.status])).toEqual([
      ['v1', 'applied'],
      ['v2', 'approval'],
    ]);
    const withdrawn = await cli(['withdraw-variation', id, '--variation', 'v2', '--reason', 'not now']);
    expect(withdrawn.stdout.split('\n')[0]).toBe(`${id}: variation v2 withdrawn`);
    expect(withdrawn.stdout).toContain('    v2 withdrawn (not now): a term');
    await expectRefused(
      id,
      ['withdraw-variation', id, '--variation', 'v2'],
      'variation: "v2" is withdrawn and cannot be withdrawn',
    );
    expect((await client.show(id)).term).toBeNull();
    await client.command(id, 'cancel', { reason: 'test over' });
  });
});
