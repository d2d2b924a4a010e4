import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keyring } from '../../src/keys/keyring.ts';
import { issueLinkToken, type LinkRecipient } from '../../src/links/link-token.ts';
import { mou } from '../support/agreements.ts';
import { startTestStack, type TestStack } from '../support/worker.ts';

const LINK_KEY = `k1:${randomBytes(32).toString('base64')}`;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ AGREEMENTS_LINK_KEYS: LINK_KEY });
});
afterAll(async () => {
  await stack?.stop();
});

const linkFor = (agreementId: string, email: string) => {
  const recipient: LinkRecipient = { role: 'signatory', id: 'president-jitri', email, timezone: 'Asia/Shanghai' };
  return issueLinkToken(stack.config.linkKeys as Keyring, {
    agreementId,
    recipient,
    notificationKey: `invitation:1:${email}`,
    now: Date.now(),
    ttlMs: 86_400_000,
  });
};

describe('a mail link of a person since replaced (SPEC §16, §18)', () => {
  it('is refused with the reason and writes nothing; the new person’s link works', async () => {
    const id = `replaced-link-${randomBytes(4).toString('hex')}`;
    const { client } = stack;
    await client.start(mou(Date.now(), id));
    await client.command(id, 'submit', {});
    const old = await linkFor(id, 'president@jitri.example');
    await client.command(id, 'replace', {
      signatory: 'president-jitri',
      name: 'Professor Wei Chen',
      email: 'vp@jitri.example',
      reason: 'delegated',
    });
    const before = await client.show(id);
    await expect(
      client.command(id, 'sign', { signatory: 'president-jitri', actor: 'president-jitri', link: old }),
    ).rejects.toThrow(
      'this mail link was made for president@jitri.example, who is no longer the signatory "president-jitri"; ask the coordinators',
    );
    expect((await client.show(id)).events).toBe(before.events);

    const current = await linkFor(id, 'vp@jitri.example');
    const signed = await client.command(id, 'sign', {
      signatory: 'president-jitri',
      actor: 'president-jitri',
      link: current,
    });
    expect(signed.signatures.find((s) => s.signatory === 'president-jitri')?.signedAt).not.toBeNull();
    await client.command(id, 'cancel', { reason: 'test over' });
  });
});
