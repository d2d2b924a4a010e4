import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { mou, phdProgramme } from '../support/agreements.ts';
import { hasChromium } from '../support/browser.ts';
import { ANNEX, documents } from '../support/documents.ts';
import { eventually } from '../support/worker.ts';
import { APPROVALS, CHINESE_PRESIDENT, withPeopleStack } from './people-stack.ts';
import { post, type WebStack } from './support.ts';

/**
 * SPEC 16 end to end: mail goes over real SMTP to the loopback sink, a real Chromium opens the link it carries, and the
 * person acts on their page; the worker checks the link and the audit trail says `link:<kid>`.
 */

const people = withPeopleStack();
const { mailOf, linkIn, open } = people;
let web: WebStack;
beforeAll(() => {
  web = people.web;
});

const SECOND = 1000;
/** Where the 390-px screenshots go; docs/screenshots/web-*.png are copies of them, looked at before committing. */
const SCREENSHOTS = '.agreements/screenshots';
const uniqueId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const iso = (ms: number) => new Date(ms).toISOString();

const events = async (id: string) => (await web.stack.client.show(id)).events;
const proofs = async (id: string, type: string) =>
  eventually(async () => {
    const rows = (await web.stack.dependencies.records.history(id)).filter((row) => row.type === type);
    return rows.length > 0 ? rows : undefined;
  });

describe.skipIf(!hasChromium)('acting from the mail (real SMTP, real Chromium, real worker)', () => {
  it('an approver approves, another requests changes; a scanner’s GET changes nothing', async () => {
    const id = uniqueId('web-approvals');
    await web.stack.client.start({ ...phdProgramme(Date.now()), id, approvals: APPROVALS });
    await web.stack.client.command(id, 'submit', {});

    const legalMail = await mailOf(id, 'approval-request', 'contracts@uob.example');
    expect(legalMail.text).not.toContain('agreements approve');
    expect(legalMail.text).toContain('approve the agreement, or request changes, on your own page');
    const legalLink = linkIn(legalMail);
    const before = await events(id);
    expect((await fetch(legalLink)).status).toBe(200); // a mail scanner follows the link
    expect(await events(id)).toBe(before);

    const page = await open(legalLink);
    expect(await page.locator('h1').innerText()).toBe('UoB–JITRI joint PhD researcher programme');
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}/web-approve-en.png`, fullPage: true });
    await page.getByLabel('Note (optional)').fill('Fine by Legal');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.locator('[role=status]').innerText()).toContain('your approval is recorded');
    expect((await proofs(id, 'approved'))[0]).toMatchObject({ actor: 'legal', actorProof: 'link:k1' });

    // The same action again (a second POST): nothing applies, and the page says when it was done.
    const after = await events(id);
    const again = await post(legalLink, { action: 'approve' });
    expect(await again.text()).toMatch(/already done: /);
    expect(await events(id)).toBe(after);
    await page.close();

    const financePage = await open(linkIn(await mailOf(id, 'approval-request', 'research-finance@uob.example')));
    await financePage.getByLabel('Request changes').check();
    await financePage.getByLabel('Reason for the changes').fill('Clause 4 must name the IP terms');
    await financePage.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => financePage.locator('[role=status]').innerText())
      .toContain('request for changes is recorded');
    expect((await web.stack.client.show(id)).stage).toBe('draft');
    expect((await proofs(id, 'changes-requested'))[0]).toMatchObject({ actor: 'finance', actorProof: 'link:k1' });
    await financePage.close();
  });

  it('a signatory signs in Chinese; a funder confirms a tranche; altered and expired links are refused', async () => {
    const id = uniqueId('web-signing');
    const document = phdProgramme(Date.now());
    const signatories = (document.signatories as { id: string }[]).map((s) =>
      s.id === 'president-jitri' ? CHINESE_PRESIDENT : s,
    );
    delete document.cohort;
    // With the agreement's text as documents, so the page shows the versions signed (and the form confirms them).
    await web.stack.client.start({ ...document, id, signatories, documents });
    await web.stack.client.command(id, 'submit', {});
    await web.stack.client.command(id, 'sign', { signatory: 'vc-uob', documentSha256: documents.map((d) => d.sha256) });

    const invitation = await mailOf(id, 'invitation', 'president@jitri.example');
    expect(invitation.text).toContain('请在您的专属页面上签署协议');
    const link = linkIn(invitation);
    const page = await open(link);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('body').innerText()).toContain('签约仪式');
    expect(await page.locator('body').innerText()).toContain(`SHA-256 ${ANNEX}`);
    await page.screenshot({ path: `${SCREENSHOTS}/web-sign-zh-CN.png`, fullPage: true });
    await page.getByLabel(/请输入您的全名以签署/).fill('Professor Qing');
    await page.getByRole('button', { name: '签署协议' }).click();
    await expect.poll(() => page.locator('[role=status]').innerText()).toContain('输入的姓名与签署人姓名不符');
    await page.getByLabel(/请输入您的全名以签署/).fill('  professor  QING liu ');
    await page.getByRole('button', { name: '签署协议' }).click();
    await expect.poll(() => page.locator('[role=status]').innerText()).toContain('您的签署已记录');
    const signed = await web.stack.client.show(id);
    expect(signed.stage).toBe('funding');
    expect(signed.signatures.find((s) => s.signatory === 'president-jitri')?.documents).toEqual(
      documents.map(({ id: document, sha256 }) => ({ id: document, sha256 })),
    );
    expect(await proofs(id, 'signed')).toContainEqual(
      expect.objectContaining({ actor: 'president-jitri', actorProof: 'link:k1' }),
    );
    await page.close();

    // A tampered link and an expired one, opened as the person would.
    const tab = await people.newPage();
    expect((await tab.goto(`${link.slice(0, -4)}AAAA`))?.status()).toBe(404);
    const expired = await web.link(
      id,
      {
        role: 'signatory',
        id: 'president-jitri',
        email: 'president@jitri.example',
        timezone: 'Asia/Shanghai',
        locale: 'zh-CN',
      },
      { now: Date.now() - 40 * 86_400_000 },
    );
    const gone = await tab.goto(`${web.url}/a/${expired}`);
    expect(gone?.status()).toBe(410);
    expect(await tab.locator('body').innerText()).toContain('partnerships@uob.example');
    await tab.close();

    const fundingMail = await mailOf(id, 'funding-request', 'finance@jitri.example');
    const funder = await open(linkIn(fundingMail));
    const amount = funder.getByLabel(/Amount to confirm/);
    expect(await amount.inputValue()).toBe('1350000.00');
    await amount.fill('2000000');
    await funder.getByRole('button', { name: 'Confirm funding' }).click();
    await expect.poll(() => funder.locator('[role=status]').innerText()).toContain('more than what is outstanding');
    await funder.getByLabel(/Amount to confirm/).fill('500000');
    await funder.getByLabel('Reference (optional)').fill('PO-1');
    await funder.getByRole('button', { name: 'Confirm funding' }).click();
    await expect.poll(() => funder.locator('[role=status]').innerText()).toContain('funding confirmation is recorded');
    const view = await web.stack.client.show(id);
    expect(view.funding?.commitments.find((c) => c.id === 'jitri-phd')?.confirmed).toBe(500000);
    expect((await proofs(id, 'funding-confirmed'))[0]).toMatchObject({ actor: 'jitri-phd', actorProof: 'link:k1' });
    await funder.close();
  });

  it('an obligation owner marks it fulfilled', async () => {
    const id = uniqueId('web-obligation');
    const start = Date.now();
    const owner = { name: 'JITRI Programme Office', email: 'programme@jitri.example', timezone: 'Asia/Shanghai' };
    await web.stack.client.start({
      ...mou(start, id),
      obligations: [
        { id: 'report-1', title: 'Progress report', due: iso(start + 60 * SECOND), owner, notice: ['PT55S'] },
      ],
    });
    await web.stack.client.command(id, 'submit', {});
    await web.stack.client.command(id, 'sign', { signatory: 'vc-uob' });
    await web.stack.client.command(id, 'sign', { signatory: 'president-jitri' });
    const notice = await mailOf(id, 'obligation-notice', 'programme@jitri.example');
    const page = await open(linkIn(notice));
    await page.getByLabel('Reference (optional)').fill('DOC-7');
    await page.getByRole('button', { name: 'Mark fulfilled' }).click();
    await expect.poll(() => page.locator('[role=status]').innerText()).toContain('recorded as fulfilled');
    expect((await web.stack.client.show(id)).obligations[0]).toMatchObject({ reference: 'DOC-7' });
    expect((await proofs(id, 'fulfilled'))[0]).toMatchObject({ actor: 'report-1', actorProof: 'link:k1' });
    await page.close();
  });
});
