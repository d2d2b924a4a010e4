import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { phdProgramme } from '../support/agreements.ts';
import { hasChromium } from '../support/browser.ts';
import { ANNEX, documents, TEXT_V1, TEXT_V2 } from '../support/documents.ts';
import { eventually } from '../support/worker.ts';
import { APPROVALS, CHINESE_PRESIDENT, withPeopleStack } from './people-stack.ts';
import { post, type WebStack } from './support.ts';

/**
 * SPEC 16 and 18 end to end: a variation of an active agreement goes to its approvers and signatories by real mail; each
 * opens the link in their own mail in a real Chromium and approves or signs the variation (not the agreement); once it
 * applies, the new funder's contact confirms from theirs while the agreement stays active.
 */

const people = withPeopleStack();
const { mailOf, linkIn, open } = people;
let web: WebStack;
beforeAll(() => {
  web = people.web;
});

/** Where the 390-px screenshots go; docs/screenshots/web-variation-*.png are copies of them, looked at before committing. */
const SCREENSHOTS = '.agreements/screenshots';
const EXTRA = {
  id: 'uob-bridge',
  funder: 'uob',
  amount: 60000,
  contact: { name: 'UoB Bridge Fund', email: 'bridge-fund@uob.example' },
};

async function act(page: Page, button: string, done: string): Promise<void> {
  await page.getByRole('button', { name: button }).click();
  await expect.poll(() => page.locator('[role=status]').innerText(), { timeout: 30_000 }).toContain(done);
  await page.close();
}

const events = async (id: string) => (await web.stack.client.show(id)).events;
const rows = async (id: string, type: string) =>
  (await web.stack.dependencies.records.history(id)).filter((row) => row.type === type);

/** An agreement signed and funded: active, with two approvers, two signatories (one reads Chinese) and documents. */
async function activeAgreement(prefix: string): Promise<string> {
  const id = `${prefix}-${randomBytes(4).toString('hex')}`;
  const document = phdProgramme(Date.now());
  delete document.cohort;
  const signatories = (document.signatories as { id: string }[]).map((s) =>
    s.id === 'president-jitri' ? CHINESE_PRESIDENT : s,
  );
  const { client } = web.stack;
  await client.start({ ...document, id, signatories, approvals: APPROVALS, documents });
  await client.command(id, 'submit', {});
  for (const approver of ['legal', 'finance']) await client.command(id, 'approve', { approver });
  const documentSha256 = documents.map((d) => d.sha256);
  for (const signatory of ['vc-uob', 'president-jitri']) {
    await client.command(id, 'sign', { signatory, documentSha256 });
  }
  for (const commitment of ['jitri-phd', 'uob-phd']) {
    await client.command(id, 'confirmFunding', { commitment, amount: 1350000 });
  }
  expect((await client.show(id)).stage).toBe('active');
  return id;
}

/** The commitments as they stand, plus `extra`: a merge patch replaces the array whole. */
const withCommitment = (extra: Record<string, unknown>) => {
  const funding = phdProgramme(Date.now()).funding as { commitments: unknown[] };
  return { funding: { commitments: [...funding.commitments, extra] } };
};

describe.skipIf(!hasChromium)('acting on a variation from the mail (real SMTP, real Chromium, real worker)', () => {
  it('approvers approve it, signatories sign it (one in Chinese), and the new funder confirms while active', async () => {
    const id = await activeAgreement('web-variation');
    const patch = {
      ...withCommitment(EXTRA),
      documents: [{ ...documents[0], sha256: TEXT_V2 }, documents[1]],
    };
    await web.stack.client.command(id, 'vary', { patch, reason: 'A bridge fund for the fourth year' });

    const legalLink = linkIn(await mailOf(id, 'variation-request', 'contracts@uob.example', 'v1'));
    const before = await events(id);
    expect((await fetch(legalLink)).status).toBe(200); // a mail scanner follows the link
    expect(await events(id)).toBe(before);
    const legal = await open(legalLink);
    const text = await legal.locator('body').innerText();
    expect(text).toContain('approve variation v1 of this agreement for Legal Services');
    expect(text).toContain('A bridge fund for the fourth year');
    expect(text).toContain('New commitment uob-bridge from University of Birmingham: GBP 60,000.00');
    expect(text).toContain('A new version of Memorandum of understanding');
    expect(text).toContain(`SHA-256 ${TEXT_V2}`);
    expect(text).not.toContain(TEXT_V1);
    expect(await legal.getByLabel('Request changes').count()).toBe(1);
    await legal.getByLabel('Note (optional)').fill('The bridge fund is in budget');
    await act(legal, 'Send', 'your approval is recorded');
    const finance = await open(linkIn(await mailOf(id, 'variation-request', 'research-finance@uob.example', 'v1')));
    await act(finance, 'Send', 'your approval is recorded');
    expect((await web.stack.client.show(id)).variations[0]).toMatchObject({ status: 'signing' });

    const vc = await open(linkIn(await mailOf(id, 'variation-invitation', 'vc@uob.example', 'v1')));
    expect(await vc.locator('body').innerText()).toContain('sign variation v1 of this agreement as Professor');
    await mkdir(SCREENSHOTS, { recursive: true });
    await vc.screenshot({ path: `${SCREENSHOTS}/web-variation-sign-en.png`, fullPage: true });
    await vc.getByLabel(/Type your full name to sign/).fill('Professor Adam Tickell');
    await act(vc, 'Sign the variation', 'your signature is recorded');

    const president = await open(
      linkIn(await mailOf(id, 'variation-invitation', 'president@jitri.example', 'v1')),
      'zh-CN',
    );
    expect(await president.locator('html').getAttribute('lang')).toBe('zh-CN');
    const chinese = await president.locator('body').innerText();
    expect(chinese).toContain('请您以 Professor Qing Liu 的身份签署本协议的变更 v1。');
    expect(chinese).toContain('新增出资承诺 uob-bridge（University of Birmingham）：');
    expect(chinese).toContain(`SHA-256 ${ANNEX}`);
    await president.screenshot({ path: `${SCREENSHOTS}/web-variation-sign-zh-CN.png`, fullPage: true });
    await president.getByLabel(/请输入您的全名以签署/).fill('Professor Qing Liu');
    await act(president, '签署变更', '您的签署已记录');

    const applied = await eventually(async () => {
      const view = await web.stack.client.show(id);
      return view.variations[0]?.status === 'applied' ? view : undefined;
    });
    expect(applied.stage).toBe('active');
    expect(applied.documents.find((d) => d.id === 'agreement-text')?.sha256).toBe(TEXT_V2);
    expect(applied.variations[0]?.signatures.map((s) => s.documents?.[0]?.sha256)).toEqual([TEXT_V2, TEXT_V2]);
    const proofs = [...(await rows(id, 'variation-approved')), ...(await rows(id, 'variation-signed'))];
    expect(proofs.map((row) => [row.actor, row.actorProof])).toEqual([
      ['legal', 'link:k1'],
      ['finance', 'link:k1'],
      ['vc-uob', 'link:k1'],
      ['president-jitri', 'link:k1'],
    ]);

    // The legal approver's link once the variation applies: it says so, with no form.
    const again = await open(legalLink);
    expect(await again.locator('[role=status]').innerText()).toContain('Variation v1 has been signed by everyone');
    expect(await again.locator('form').count()).toBe(0);
    await again.close();

    const fundingMail = await mailOf(id, 'funding-request', 'bridge-fund@uob.example', 'v1-uob-bridge');
    const funder = await open(linkIn(fundingMail));
    expect(await funder.getByLabel(/Amount to confirm/).inputValue()).toBe('60000.00');
    await funder.getByLabel('Reference (optional)').fill('BF-2027');
    await act(funder, 'Confirm funding', 'the funding confirmation is recorded');
    const funded = await web.stack.client.show(id);
    expect(funded.stage).toBe('active');
    expect(funded.funding?.commitments.find((c) => c.id === 'uob-bridge')?.confirmed).toBe(60000);
    expect((await rows(id, 'funding-confirmed')).at(-1)).toMatchObject({ actor: 'uob-bridge', actorProof: 'link:k1' });
  });

  it('a withdrawn variation’s link shows it withdrawn; a variation link acts on nothing else', async () => {
    const id = await activeAgreement('web-variation-withdrawn');
    const { client } = web.stack;
    await client.command(id, 'vary', { patch: withCommitment(EXTRA), reason: 'A bridge fund' });
    const v1Link = linkIn(await mailOf(id, 'variation-request', 'contracts@uob.example', 'v1'));
    await client.command(id, 'withdrawVariation', { variation: 'v1', reason: 'The fund said no' });

    const page = await open(v1Link);
    expect(await page.locator('[role=status]').innerText()).toBe(
      'Variation v1 was withdrawn (The fund said no). There is nothing for you to do here.',
    );
    expect(await page.locator('form').count()).toBe(0);
    await page.close();

    const bigger = { ...EXTRA, amount: 90000 };
    await client.command(id, 'vary', { patch: withCommitment(bigger), reason: 'A larger bridge fund' });
    const v2Link = linkIn(await mailOf(id, 'variation-request', 'contracts@uob.example', 'v2'));
    const before = await events(id);
    // The withdrawn variation's link, posting as if for the open one: the variation is the token's, and it is withdrawn.
    const stray = await post(v1Link, { action: 'approve', variation: 'v2' });
    expect(await stray.text()).toContain('Variation v1 was withdrawn');
    // The worker checks the link too: a token about v1 never approves v2, nor the agreement itself.
    const token = v1Link.split('/a/')[1] as string;
    const as = { approver: 'legal', actor: 'legal', link: token };
    await expect(client.command(id, 'approve', { ...as, variation: 'v2' })).rejects.toThrow(
      /mail link is for variation "v1", not variation "v2"/,
    );
    const plain = await web.link(id, {
      role: 'approver',
      id: 'legal',
      email: 'contracts@uob.example',
      timezone: 'UTC',
    });
    await expect(client.command(id, 'approve', { ...as, link: plain, variation: 'v2' })).rejects.toThrow(
      /mail link is for the agreement itself, not variation "v2"/,
    );
    expect(await events(id)).toBe(before);
    expect((await client.show(id)).variations[1]?.approvals.every((a) => a.approvedAt === null)).toBe(true);

    // The open variation's approver sends it back from their page: it is withdrawn with their reason, and the
    // coordinators and the other approver are told; the agreement stands as it was.
    const page2 = await open(v2Link);
    await page2.getByLabel('Request changes').check();
    await page2.getByLabel('Reason for the changes').fill('Clause 4 of the bridge fund');
    await act(page2, 'Send', 'your request for changes is recorded');
    const after = await client.show(id);
    expect(after.stage).toBe('active');
    expect(after.variations[1]).toMatchObject({
      status: 'withdrawn',
      withdrawnReason: 'changes requested by Legal Services: Clause 4 of the bridge fund',
    });
    await mailOf(id, 'variation-withdrawn', 'research-finance@uob.example', 'v2');
  });
});
