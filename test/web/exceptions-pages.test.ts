import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkRecipient } from '../../src/links/link-token.ts';
import { mou } from '../support/agreements.ts';
import { eventually } from '../support/worker.ts';
import { post, startWebStack, type WebStack } from './support.ts';
import { ANNEX, TEXT_V2, amendText, documents } from '../support/documents.ts';

let web: WebStack;
beforeAll(async () => {
  web = await startWebStack();
});
afterAll(async () => {
  await web?.stop();
});

const president: LinkRecipient = {
  role: 'signatory',
  id: 'president-jitri',
  email: 'president@jitri.example',
  timezone: 'Asia/Shanghai',
};

async function inSigning(): Promise<string> {
  const id = `web-x-${randomBytes(4).toString('hex')}`;
  await web.stack.client.start(mou(Date.now(), id));
  await web.stack.client.command(id, 'submit', {});
  return id;
}

describe('the signatory’s page: decline, and a link of a person replaced (SPEC §16, §18)', () => {
  it('offers to decline with a reason; declining sends the agreement back to draft, as link:<kid>', async () => {
    const id = await inSigning();
    const page = `${web.url}/a/${await web.link(id, president)}`;
    const html = await (await fetch(page)).text();
    expect(html).toContain('value="decline"');
    expect(html).toMatch(/<label for="reason">Reason for declining<\/label>/);
    const before = (await web.stack.client.show(id)).events;
    const noReason = await post(page, { action: 'decline' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('please give a reason for declining');
    expect((await web.stack.client.show(id)).events).toBe(before);

    const done = await post(page, { action: 'decline', reason: 'Clause 7 must name both institutes' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Your decision not to sign is recorded');
    expect((await web.stack.client.show(id)).stage).toBe('draft');
    const rows = await eventually(async () => {
      const history = await web.stack.dependencies.records.history(id);
      return history.some((row) => row.type === 'declined') ? history : undefined;
    });
    expect(rows.find((row) => row.type === 'declined')).toMatchObject({
      actor: 'president-jitri',
      actorProof: 'link:k1',
    });
  });

  it('refuses the link of a signatory since replaced, saying why, and changes nothing', async () => {
    const id = await inSigning();
    const page = `${web.url}/a/${await web.link(id, president)}`;
    await web.stack.client.command(id, 'replace', {
      signatory: 'president-jitri',
      name: 'Professor Wei Chen',
      email: 'vp@jitri.example',
      reason: 'delegated',
    });
    const before = (await web.stack.client.show(id)).events;
    const refused = await post(page, { action: 'sign', fullName: 'Professor Wei Chen' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('who is no longer the signatory');
    expect((await web.stack.client.show(id)).events).toBe(before);
    await web.stack.client.command(id, 'cancel', { reason: 'test over' });
  });
});

/** The form as the page renders it, filled in: hidden fields (the document hashes among them) and the name typed. */
function formOf(html: string, typed: Record<string, string>): URLSearchParams {
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.append(name ?? '', value ?? '');
  }
  for (const [name, value] of Object.entries(typed)) form.set(name, value);
  return form;
}

const postForm = (url: string, form: URLSearchParams) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin },
    body: form.toString(),
  });

describe('the signatory’s page shows each document’s SHA-256 and confirms them (SPEC §16, §18)', () => {
  it('signs the versions it showed; a page shown before an amendment is refused, naming the document', async () => {
    const id = `web-docs-${randomBytes(4).toString('hex')}`;
    const { client, dependencies } = web.stack;
    await client.start({ ...mou(Date.now(), id), documents });
    await client.command(id, 'submit', {});
    const page = `${web.url}/a/${await web.link(id, { ...president, locale: 'zh-CN' })}`;
    const stalePage = await (await fetch(page)).text();
    for (const document of documents) {
      expect(stalePage).toContain(document.title);
      expect(stalePage).toContain(`SHA-256 ${document.sha256}`);
    }
    expect(stalePage).toContain('您签署的文件');

    // The text changes while the page is open: declined, amended, submitted again.
    await client.command(id, 'decline', { signatory: 'vc-uob', reason: 'clause 4' });
    await client.command(id, 'amend', { patch: amendText });
    const before = (await client.command(id, 'submit', {})).events;
    const refused = await postForm(page, formOf(stalePage, { action: 'sign', fullName: 'Professor Qing Liu' }));
    expect(refused.status).toBe(409);
    const refusal = await refused.text();
    expect(refusal).toContain('&quot;agreement-text&quot; (Memorandum of understanding)');
    expect((await client.show(id)).events).toBe(before);

    const current = await (await fetch(page)).text();
    expect(current).toContain(`SHA-256 ${TEXT_V2}`);
    const done = await postForm(page, formOf(current, { action: 'sign', fullName: 'Professor Qing Liu' }));
    expect(done.status).toBe(200);
    const rows = await eventually(async () => {
      const history = await dependencies.records.history(id);
      return history.some((row) => row.type === 'signed') ? history : undefined;
    });
    expect(rows.find((row) => row.type === 'signed')).toMatchObject({
      actorProof: 'link:k1',
      data: {
        signatory: 'president-jitri',
        documents: [
          { id: 'agreement-text', sha256: TEXT_V2 },
          { id: 'annex-zh', sha256: ANNEX },
        ],
      },
    });
    await client.command(id, 'cancel', { reason: 'test over' });
  });
});
