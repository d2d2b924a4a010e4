import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { RegisterRow } from '../../src/domain/index.ts';
import { mou } from '../support/agreements.ts';
import { runCli } from '../support/cli.ts';
import { ANNEX, TEXT_V1, TEXT_V2, amendText, documents } from '../support/documents.ts';
import { keyOf, useMailStack } from '../support/mail-stack.ts';
import { eventually } from '../support/worker.ts';

const mailStack = useMailStack();
const { cliEnv, mailsOf } = mailStack;
const scratch = mkdtemp(join(tmpdir(), 'certificate-'));
afterAll(async () => rm(await scratch, { recursive: true, force: true }));

/** The PDF's text as poppler's pdftotext reads it: an independent parser of what we produce. */
async function pdfText(file: string): Promise<string> {
  const { stdout } = await promisify(execFile)('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-']);
  return stdout;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** `2026-12-06 07:15:00 UTC` from an ISO instant, to the second. */
const inUtc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
/** London's offset from UTC at that moment, in hours (0 in winter, 1 in summer); Nanjing's is 8 all year. */
const londonOffset = (iso: string) => {
  const name = new Intl.DateTimeFormat('en', { timeZone: 'Europe/London', timeZoneName: 'shortOffset' })
    .formatToParts(new Date(iso))
    .find((part) => part.type === 'timeZoneName')?.value;
  return Number(/GMT([+-]\d+)/.exec(name ?? '')?.[1] ?? 0);
};
/** The same moment on the clock of a zone `hours` ahead of UTC, as the certificate writes it. */
const onClock = (iso: string, zone: string, hours: number) => {
  const local = new Date(Date.parse(iso) + hours * 3600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)} ${zone}`;
};

describe('the certificate of completion (real dev server, real SMTP, SPEC 18)', () => {
  it('is issued at the last signature, mailed to all as a PDF, written by the CLI, its SHA-256 in the register', async () => {
    const id = `certificate-${randomBytes(4).toString('hex')}`;
    const { client, dependencies } = mailStack.stack;
    const approvals = [{ id: 'legal', name: 'Legal Services', email: 'contracts@uob.example' }];
    await client.start({ ...mou(Date.now(), id), documents, approvals });
    await client.command(id, 'submit', {});
    await client.command(id, 'approve', { approver: 'legal', actor: 'legal' });
    // JITRI's president declines over the text; JITRI sends its vice-president, and the office amends the text.
    await client.command(id, 'decline', { signatory: 'president-jitri', reason: 'clause 4' });
    await client.command(id, 'replace', {
      signatory: 'president-jitri',
      name: '刘青',
      email: 'liu.qing@jitri.example',
      locale: 'zh-CN',
      reason: 'delegated by the president',
    });
    await client.command(id, 'amend', { patch: amendText });
    await client.command(id, 'submit', {});
    await client.command(id, 'approve', { approver: 'legal', actor: 'legal', note: '已审核' });

    const stale = await runCli(
      ['sign', id, '--signatory', 'vc-uob', '--document-sha256', TEXT_V1, '--document-sha256', ANNEX],
      cliEnv(),
    );
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('"agreement-text" (Memorandum of understanding)');
    const hashes = ['--document-sha256', TEXT_V2, '--document-sha256', ANNEX];
    expect((await runCli(['sign', id, '--signatory', 'vc-uob', ...hashes], cliEnv())).code).toBe(0);
    const done = await client.command(id, 'sign', {
      signatory: 'president-jitri',
      actor: 'president-jitri',
      documentSha256: [TEXT_V2, ANNEX],
    });
    expect(done.stage).toBe('active');

    const recipients = ['partnerships@uob.example', 'vc@uob.example', 'liu.qing@jitri.example'];
    const mails = await eventually(async () => {
      const found = (await mailsOf(id)).filter((mail) => keyOf(mail).startsWith('completion-certificate:'));
      return found.length === recipients.length ? found : undefined;
    });
    expect(mails.map((mail) => keyOf(mail).split(':')[2]).sort()).toEqual([...recipients].sort());
    const chinese = mails.find((mail) => keyOf(mail).endsWith(':liu.qing@jitri.example'));
    expect(chinese?.subject).toContain('签署完成证明');

    const out = join(await scratch, 'certificate.pdf');
    const cli = await runCli(['certificate', id, '--out', out, '--json'], cliEnv());
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const written = await readFile(out);
    const register = JSON.parse((await runCli(['register', '--json'], cliEnv())).stdout) as RegisterRow[];
    const row = register.find((r) => r.id === id);
    expect(row?.certificateSha256).toBe(sha256(written));
    expect(JSON.parse(cli.stdout)).toMatchObject({ agreementId: id, sha256: sha256(written), out });
    for (const mail of mails) {
      const [pdf] = mail.attachments;
      expect(pdf?.contentType).toBe('application/pdf');
      expect(pdf?.filename).toBe(`${id}-certificate-of-completion.pdf`);
      expect(Buffer.compare(pdf?.content ?? Buffer.alloc(0), written)).toBe(0);
    }

    // Every name, time, proof, hash and audit row, read back by poppler.
    const text = await pdfText(out);
    const history = await dependencies.records.history(id);
    const rowOf = (type: string, match: (data: Record<string, unknown>) => boolean) =>
      history.filter((r) => r.type === type && match(r.data as unknown as Record<string, unknown>)).at(-1);
    const signedBy = (who: string) => rowOf('signed', (data) => data.signatory === who);
    const vc = signedBy('vc-uob');
    const liu = signedBy('president-jitri');
    const approved = rowOf('approved', () => true);
    const allSigned = rowOf('stage-changed', (data) => data.reason === 'all-signed');
    for (const expected of [
      'Certificate of completion',
      'MoU with Nanjing Borui Life Science Research Institute',
      'University of Birmingham',
      'Jiangsu Industry Technology Research Institute',
      'Professor Adam Tickell',
      '刘青',
      'Memorandum of understanding',
      '合作备忘录（中文本）',
      `SHA-256 ${TEXT_V2}`,
      `SHA-256 ${ANNEX}`,
      'Legal Services',
      'Proof: claimed',
      `Audit row: #${vc?.sequence}`,
      `Audit row: #${liu?.sequence}`,
      `Audit row: #${approved?.sequence}`,
      `Audit row: #${allSigned?.sequence}`,
      inUtc(vc?.at ?? ''),
      onClock(vc?.at ?? '', 'Europe/London', londonOffset(vc?.at ?? '')),
      inUtc(liu?.at ?? ''),
      onClock(liu?.at ?? '', 'Asia/Shanghai', 8),
      inUtc(approved?.at ?? ''),
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain(TEXT_V1);
    expect(text).not.toContain('Professor Qing Liu');

    // The certificate is fixed: asking again gives the same bytes.
    const again = join(await scratch, 'again.pdf');
    expect((await runCli(['certificate', id, '--out', again], cliEnv())).code).toBe(0);
    expect(Buffer.compare(await readFile(again), written)).toBe(0);
    await client.command(id, 'cancel', { reason: 'test over' });
  });

  it('refuses an agreement not yet signed by all, with one line and exit 1', async () => {
    const id = `certificate-${randomBytes(4).toString('hex')}`;
    await mailStack.stack.client.start(mou(Date.now(), id));
    await eventually(async () =>
      (await mailStack.stack.dependencies.records.history(id)).length > 0 ? true : undefined,
    );
    const out = join(await scratch, 'none.pdf');
    const refused = await runCli(['certificate', id, '--out', out], cliEnv());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `agreements: agreement "${id}" has no certificate of completion (it is issued when the last signature is in; unknown id, or no worker has recorded it yet)\n`,
    );
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });
});
