import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AgreementMailInput } from '../../src/domain/index.ts';
import type { Keyring } from '../../src/keys/keyring.ts';
import { verifyLinkToken } from '../../src/links/link-token.ts';
import { LINK_KINDS, linkRecipientOf, mailLinkMaker } from '../../src/links/mail-links.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { FROM, sampleOfEveryKind } from '../mail/support/reference-agreement.ts';

const samples = sampleOfEveryKind();
const keys: Keyring = { currentKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
const PUBLIC_URL = 'https://agreements.uob.example';
const makeLink = mailLinkMaker({ keys, ttlMs: 86_400_000, publicUrl: PUBLIC_URL });

/** The sample of a kind, addressed to the role that acts on it (funding-overdue's sample reads as a coordinator). */
function toActor(kind: keyof typeof LINK_KINDS): AgreementMailInput {
  const sample = samples[kind as keyof typeof samples] as AgreementMailInput;
  const roles: readonly string[] = [LINK_KINDS[kind] ?? []].flat();
  if (roles.includes(sample.notification.recipient.role)) return sample;
  const actor = Object.values(samples).find((other) => roles.includes(other.notification.recipient.role));
  if (actor === undefined) throw new Error(`no sample goes to a ${roles.join(' or ')}`);
  return { ...sample, notification: { ...sample.notification, recipient: actor.notification.recipient } };
}

const SENT_TO_ACTORS = Object.keys(LINK_KINDS) as (keyof typeof LINK_KINDS)[];

describe('links in the mail', () => {
  it('gives no link to a coordinator, whatever the kind', async () => {
    expect(samples['funding-overdue'].notification.recipient.role).toBe('coordinator');
    expect(await makeLink(samples['funding-overdue'] as AgreementMailInput)).toBeUndefined();
    expect(await makeLink(samples.started as AgreementMailInput)).toBeUndefined();
  });

  it.each(SENT_TO_ACTORS)(
    '%s carries its reader’s link: a line of its own in the text, a button in the HTML',
    async (kind) => {
      const input = toActor(kind);
      const link = await makeLink(input);
      expect(link).toMatch(/^https:\/\/agreements\.uob\.example\/a\/[\w-]+\.[\w-]+\.[\w-]+$/);
      const verdict = await verifyLinkToken(keys, (link as string).split('/a/')[1] as string, Date.now());
      const recipient = linkRecipientOf(input.notification);
      expect(verdict.ok && verdict.claims.recipient).toMatchObject({
        role: input.notification.recipient.role,
        id: recipient?.id,
        email: input.notification.recipient.email,
      });
      const mail = renderNotification(input, { from: FROM, link });
      expect(mail.text.split('\n')).toContain(link);
      expect(mail.text).not.toMatch(/agreements (approve|sign|confirm-funding|fulfil) /);
      expect(mail.html).toContain(`<a href="${link}"`);
      const without = renderNotification(input, { from: FROM });
      expect(without.text).not.toContain(PUBLIC_URL);
    },
  );

  it('names the recipient by their id in the agreement', () => {
    const ids = Object.fromEntries(
      SENT_TO_ACTORS.map((kind) => [kind, linkRecipientOf(toActor(kind).notification)?.id]),
    );
    expect(ids['approval-request']).toMatch(/^[a-z-]+$/);
    expect(ids['funding-request']).not.toMatch(/ contact$/);
    expect(ids['obligation-notice']).not.toMatch(/ owner$/);
    expect(ids['deadline-warning']).toBe('president-jitri');
  });

  it('names the variation in an approver’s or signatory’s link about one, never in a funder’s', async () => {
    const variation = { id: 'v2', reason: 'A second funder joins', changes: ['funding.commitments'] };
    const claimsOf = async (sample: AgreementMailInput, kind: 'variation-request' | 'funding-request') => {
      const notification = {
        ...sample.notification,
        kind,
        key: `${kind}:v2:x@example`,
        about: { ...sample.notification.about, variation },
      };
      const link = (await makeLink({ ...sample, notification })) as string;
      const verdict = await verifyLinkToken(keys, link.split('/a/')[1] as string, Date.now());
      return verdict.ok ? verdict.claims : undefined;
    };
    const approver = await claimsOf(samples['approval-request'] as AgreementMailInput, 'variation-request');
    expect(approver).toMatchObject({ variation: 'v2', actions: ['approve', 'requestChanges'] });
    const funding = await claimsOf(toActor('funding-request'), 'funding-request');
    expect(funding).toMatchObject({ actions: ['confirmFunding'] });
    expect(funding?.variation).toBeUndefined();
  });

  it('writes the next step in the reader’s language', () => {
    const input = toActor('invitation');
    const chinese = {
      ...input,
      notification: { ...input.notification, recipient: { ...input.notification.recipient, locale: 'zh-CN' as const } },
    };
    const mail = renderNotification(chinese, { from: FROM, link: `${PUBLIC_URL}/a/x.y.z` });
    expect(mail.text).toContain('请在您的专属页面上签署协议');
    expect(mail.html).toContain('>签署协议</a>');
  });
});
