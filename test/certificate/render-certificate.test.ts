import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { unsetCharacters } from '../../src/certificate/coverage.ts';
import { renderCertificate } from '../../src/certificate/render-certificate.ts';
import { certificateFor, decide, evolve, type AgreementState } from '../../src/domain/index.ts';
import { mou, startedState } from '../support/agreements.ts';
import { ANNEX, TEXT_V1, documents } from '../support/documents.ts';
import { apply, command } from '../support/drive.ts';

const run = promisify(execFile);
const scratch = mkdtemp(join(tmpdir(), 'render-certificate-'));
afterAll(async () => rm(await scratch, { recursive: true, force: true }));
const now = Date.parse('2026-12-10T01:00:00Z');

/** The MoU with documents, signed by both (the president, renamed in Chinese, from a mail link), and its certificate. */
function signed() {
  let state: AgreementState = startedState(
    {
      ...mou(now),
      documents,
      signatories: [
        { id: 'vc-uob', name: 'Professor Adam Tickell', party: 'uob', email: 'vc@uob.example' },
        { id: 'president-jitri', name: '刘青', title: '院长', party: 'jitri', email: 'liu.qing@jitri.example' },
      ],
    },
    now,
  );
  state = apply(state, 'submit', {}, now);
  state = apply(state, 'sign', { signatory: 'vc-uob', documentSha256: [TEXT_V1, ANNEX] }, now);
  const last = decide(
    state,
    command('sign', { signatory: 'president-jitri', documentSha256: [TEXT_V1, ANNEX] }),
    now + 60_000,
  );
  if (!last.ok) throw new Error(last.errors.join('; '));
  let certificate;
  for (const event of last.value.map((e) => ({ ...e, actorProof: 'link:k1' }))) {
    state = evolve(state, [event]);
    certificate = certificateFor(state, event) ?? certificate;
  }
  if (!certificate) throw new Error('no certificate at the last signature');
  return { state, certificate };
}

async function saved(name: string, bytes: Uint8Array): Promise<string> {
  const file = join(await scratch, name);
  await writeFile(file, bytes);
  return file;
}

describe('the certificate of completion', () => {
  it('is called for only by the stage change of the last signature, with each signature’s row and proof', () => {
    const { state, certificate } = signed();
    expect(certificate).toMatchObject({
      agreementId: state.agreement.id,
      issuedAt: new Date(now + 60_000).toISOString(),
      sequence: state.eventCount,
      signatures: [
        { signatory: 'vc-uob', proof: 'claimed', sequence: 3, timezone: 'Europe/London' },
        { signatory: 'president-jitri', name: '刘青', proof: 'link:k1', sequence: 4, timezone: 'Asia/Shanghai' },
      ],
      documents,
    });
    const signedEvent = {
      type: 'signed',
      at: state.updatedAt,
      actor: 'x',
      signatory: 'vc-uob',
      signedAt: state.updatedAt,
    };
    expect(certificateFor(state, signedEvent as never)).toBeUndefined();
  });

  it('renders the same bytes for the same facts, and embeds a font that sets the Chinese name', async () => {
    const { certificate } = signed();
    const first = await renderCertificate(certificate);
    expect(Buffer.compare(Buffer.from(first), Buffer.from(await renderCertificate(certificate)))).toBe(0);
    const other = await renderCertificate({ ...certificate, issuedAt: new Date(now + 120_000).toISOString() });
    expect(Buffer.compare(Buffer.from(first), Buffer.from(other))).not.toBe(0);

    const file = await saved('certificate.pdf', first);
    const { stdout: text } = await run('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-']);
    expect(text).toContain('刘青, 院长');
    expect(text).toContain('2026-12-10 09:01:00 Asia/Shanghai (GMT+08:00)');
    expect(text).toContain('2026-12-10 01:01:00 UTC');
    const { stdout: fonts } = await run('/usr/bin/pdffonts', [file]);
    expect(fonts).toMatch(/NotoSansHans-Regular\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
  });

  it('names the characters of a name its font cannot set (CJK extension B, beyond its 30,000)', () => {
    const { certificate } = signed();
    expect(unsetCharacters(certificate)).toEqual([]);
    const rare = {
      ...certificate.signatures[1],
      name: '王𠀀喆',
      title: '院长',
    } as (typeof certificate.signatures)[number];
    expect(unsetCharacters({ ...certificate, signatures: [rare] })).toEqual(['𠀀']);
  });
});
