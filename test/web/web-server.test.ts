import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkRecipient } from '../../src/links/link-token.ts';
import { phdProgramme } from '../support/agreements.ts';
import { eventually } from '../support/worker.ts';
import { post, startWebStack, type WebStack } from './support.ts';

let web: WebStack;
beforeAll(async () => {
  web = await startWebStack();
});
afterAll(async () => {
  await web?.stop();
});

const approvals = [
  { id: 'legal', name: 'Legal Services', email: 'contracts@uob.example', timezone: 'Europe/London' },
  { id: 'finance', name: 'Research Finance', email: 'finance@uob.example', locale: 'zh-CN' },
];
const legal: LinkRecipient = {
  role: 'approver',
  id: 'legal',
  email: 'contracts@uob.example',
  timezone: 'Europe/London',
};
const finance: LinkRecipient = {
  role: 'approver',
  id: 'finance',
  email: 'finance@uob.example',
  timezone: 'Asia/Shanghai',
  locale: 'zh-CN',
};

async function inApproval(): Promise<string> {
  const id = `web-${randomBytes(4).toString('hex')}`;
  await web.stack.client.start({ ...phdProgramme(Date.now()), id, approvals });
  await web.stack.client.command(id, 'submit', {});
  return id;
}
const events = async (id: string) => (await web.stack.client.show(id)).events;

describe('the web server (real worker, real dev server, loopback HTTP)', () => {
  it('GET shows the page with strict headers and changes nothing; POST approves once, as link:<kid>', async () => {
    const id = await inApproval();
    const token = await web.link(id, legal);
    const page = `${web.url}/a/${token}`;
    const before = await events(id);

    const got = await fetch(page);
    expect(got.status).toBe(200);
    const html = await got.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('UoB–JITRI joint PhD researcher programme');
    expect(html).toContain('Jiangsu Industry Technology Research Institute');
    expect(html).toMatch(/<label for="note">/);
    expect(html).not.toMatch(/<script/i);
    const csp = got.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/form-action 'self'/);
    expect(got.headers.get('referrer-policy')).toBe('no-referrer');
    expect(got.headers.get('cache-control')).toBe('no-store');
    await fetch(page, { method: 'HEAD' });
    expect(await events(id)).toBe(before);

    const done = await post(page, { action: 'approve', note: 'Fine by Legal' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('your approval is recorded');
    const after = await events(id);
    expect(after).toBeGreaterThan(before);
    const again = await post(page, { action: 'approve', note: 'Fine by Legal' });
    expect(again.status).toBe(200);
    expect(await again.text()).toMatch(/already done: .*20\d\d/);
    expect(await events(id)).toBe(after);

    const rows = await eventually(async () => {
      const history = await web.stack.dependencies.records.history(id);
      return history.some((row) => row.type === 'approved') ? history : undefined;
    });
    expect(rows.find((row) => row.type === 'approved')).toMatchObject({ actor: 'legal', actorProof: 'link:k1' });
    expect(web.logs.join('')).not.toContain(token);
    expect(web.logs.join('')).toContain('"route":"/a/:token"');
  });

  it('lets an approver request changes, in Chinese; a reason is needed', async () => {
    const id = await inApproval();
    const page = `${web.url}/a/${await web.link(id, finance)}`;
    const html = await (await fetch(page)).text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('要求修改');
    const noReason = await post(page, { action: 'requestChanges' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('请填写修改理由');
    const done = await post(page, { action: 'requestChanges', reason: 'Clause 4 needs the IP terms' });
    expect(done.status).toBe(200);
    expect((await web.stack.client.show(id)).stage).toBe('draft');
    const moved = await (await fetch(page)).text();
    expect(moved).toContain('重新起草中');
    expect(moved).not.toContain('<form');
  });

  it('answers an altered token or unknown key 404 with one page, an expired link 410 naming the coordinators', async () => {
    const id = await inApproval();
    const token = await web.link(id, legal);
    const other = await startWebStack();
    try {
      const foreign = await other.link(id, legal);
      const missing = await other.link('no-such-agreement', legal);
      const bodies = new Set<string>();
      for (const bad of [token.slice(0, -3) + 'AAA', foreign, missing, 'nonsense']) {
        const response = await fetch(`${web.url}/a/${bad}`);
        expect(response.status).toBe(404);
        bodies.add(await response.text());
      }
      expect(bodies.size).toBe(1);
    } finally {
      await other.stop();
    }
    const expired = await web.link(id, legal, { now: Date.now() - 3 * 86_400_000, ttlMs: 86_400_000 });
    const gone = await fetch(`${web.url}/a/${expired}`);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain('partnerships@uob.example');
    const before = await events(id);
    expect((await post(`${web.url}/a/${expired}`, { action: 'approve' })).status).toBe(410);
    expect(await events(id)).toBe(before);
  });

  it('refuses a foreign Origin (403) and a body over 16 KB (413), writing nothing', async () => {
    const id = await inApproval();
    const page = `${web.url}/a/${await web.link(id, legal)}`;
    const before = await events(id);
    expect((await post(page, { action: 'approve' }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(page, { action: 'approve' }, { origin: 'null' })).status).toBe(403);
    expect((await post(page, { action: 'approve', note: 'x'.repeat(17 * 1024) })).status).toBe(413);
    expect(await events(id)).toBe(before);
  });

  it('limits requests per client address', async () => {
    const limited = await startWebStack({}, { rateLimit: { max: 3, timeWindowMs: 60_000 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await fetch(`${limited.url}/a/x`)).status);
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
    } finally {
      await limited.stop();
    }
  });

  it('property: no mutation of the token or the form changes state or answers 5xx', async () => {
    const id = await inApproval();
    const token = await web.link(id, legal);
    const before = await events(id);
    const field = fc.constantFrom('action', 'note', 'reason', 'amount', 'reference', 'fullName', 'other', '__proto__');
    const value = fc.oneof(
      fc.constantFrom('approve', 'sign', 'confirmFunding', 'fulfil', 'cancel', '-1', '1e99', ''),
      fc.string({ maxLength: 40 }),
    );
    const mutation = fc.oneof(
      fc
        .record({ at: fc.nat(token.length - 1), to: fc.constantFrom('A', '_', '-', '.', 'z', '0') })
        .map(({ at, to }) => token.slice(0, at) + to + token.slice(at + 1)),
      fc.nat(token.length - 1).map((at) => token.slice(0, at)),
      fc.string({ maxLength: 30 }).map((tail) => token + encodeURIComponent(tail)),
    );
    await fc.assert(
      fc.asyncProperty(mutation, fc.dictionary(field, value, { maxKeys: 4 }), async (mutated, form) => {
        if (mutated === token) return;
        const url = `${web.url}/a/${mutated}`;
        const got = await fetch(url);
        const sent = await post(url, { action: 'requestChanges', ...form });
        expect(got.status).toBeLessThan(500);
        expect(sent.status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
    // The genuine token with hostile form fields: refused or applied as the decider says, never a 5xx.
    await fc.assert(
      fc.asyncProperty(fc.dictionary(field, value, { maxKeys: 4 }), async (form) => {
        const action = form.action === 'approve' ? 'sign' : form.action;
        const sent = await post(`${web.url}/a/${token}`, { ...form, ...(action === undefined ? {} : { action }) });
        expect(sent.status).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
    expect(await events(id)).toBe(before + 0);
  });
});
