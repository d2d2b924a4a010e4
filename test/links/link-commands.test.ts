import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keyring } from '../../src/keys/keyring.ts';
import { issueLinkToken, type LinkRecipient } from '../../src/links/link-token.ts';
import { phdProgramme } from '../support/agreements.ts';
import { eventually, startTestStack, type TestStack } from '../support/worker.ts';

const LINK_KEY = `k1:${randomBytes(32).toString('base64')}`;
const DAY = 86_400_000;

let stack: TestStack;
let keys: Keyring;
beforeAll(async () => {
  stack = await startTestStack({ AGREEMENTS_LINK_KEYS: LINK_KEY });
  keys = stack.config.linkKeys as Keyring;
});
afterAll(async () => {
  await stack?.stop();
});

const approvals = [
  { id: 'legal', name: 'Legal Services', email: 'contracts@uob.example', timezone: 'Europe/London' },
  { id: 'finance', name: 'Research Finance', email: 'finance@uob.example' },
];
const legal: LinkRecipient = { role: 'approver', id: 'legal', email: 'contracts@uob.example', timezone: 'UTC' };

const link = (
  agreementId: string,
  options: { recipient?: LinkRecipient; keyring?: Keyring; now?: number; ttlMs?: number } = {},
) =>
  issueLinkToken(options.keyring ?? keys, {
    agreementId,
    recipient: options.recipient ?? legal,
    notificationKey: `approval-request:${options.recipient?.id ?? 'legal'}:x@example`,
    now: options.now ?? Date.now(),
    ttlMs: options.ttlMs ?? 30 * DAY,
  });

describe('commands carrying a mail link (the worker checks the link itself)', () => {
  it('refuses a forged, expired or mismatched link with nothing written; records a good one as link:<kid>', async () => {
    const id = `links-${randomBytes(4).toString('hex')}`;
    await stack.client.start({ ...phdProgramme(Date.now()), id, approvals });
    await stack.client.command(id, 'submit', {});
    const before = await stack.client.show(id);
    expect(before.stage).toBe('approval');

    const otherKeys: Keyring = { currentKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
    const refusals: [string, Promise<unknown>][] = [
      ['forged', link(id, { keyring: otherKeys })],
      ['expired', link(id, { now: Date.now() - 2 * DAY, ttlMs: DAY })],
      ['other agreement', link('some-other-agreement')],
    ];
    for (const [what, token] of refusals) {
      const args = { approver: 'legal', actor: 'legal', link: (await token) as string };
      await expect(stack.client.command(id, 'approve', args), what).rejects.toThrow(/mail link/);
    }
    const good = await link(id);
    await expect(
      stack.client.command(id, 'approve', { approver: 'finance', actor: 'legal', link: good }),
    ).rejects.toThrow(/mail link is for approver "legal", not "finance"/);
    await expect(
      stack.client.command(id, 'approve', { approver: 'legal', actor: 'finance', link: good }),
    ).rejects.toThrow(/not the recipient of the mail link/);
    const funder = await link(id, {
      recipient: { role: 'funding-contact', id: 'jitri-phd', email: 'finance@jitri.example', timezone: 'UTC' },
    });
    await expect(
      stack.client.command(id, 'approve', { approver: 'legal', actor: 'jitri-phd', link: funder }),
    ).rejects.toThrow(/does not allow approve/);
    await expect(
      stack.client.command(id, 'approve', { approver: 'legal', actor: 'legal', link: 'a.b.c' }),
    ).rejects.toThrow(/mail link is not valid/);
    expect((await stack.client.show(id)).events).toBe(before.events);

    const after = await stack.client.command(id, 'approve', { approver: 'legal', actor: 'legal', link: good });
    expect(after.approvals.find((a) => a.approver === 'legal')?.approvedAt).not.toBeNull();
    const rows = await eventually(async () => {
      const history = await stack.dependencies.records.history(id);
      return history.some((row) => row.type === 'approved') ? history : undefined;
    });
    expect(rows.filter((row) => row.sequence > before.events)).toEqual([
      expect.objectContaining({ type: 'approved', actor: 'legal', actorProof: 'link:k1' }),
    ]);
  });

  it('refuses a link when the worker holds no link keys', async () => {
    const plain = await startTestStack();
    try {
      const id = `links-${randomBytes(4).toString('hex')}`;
      await plain.client.start({ ...phdProgramme(Date.now()), id, approvals });
      await plain.client.command(id, 'submit', {});
      await expect(
        plain.client.command(id, 'approve', { approver: 'legal', actor: 'legal', link: await link(id) }),
      ).rejects.toThrow(/workers hold no link keys/);
    } finally {
      await plain.stop();
    }
  });
});
