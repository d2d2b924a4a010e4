import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Keyring } from '../../src/keys/keyring.ts';
import { issueLinkToken, linkIdFor, verifyLinkToken, type LinkRecipient } from '../../src/links/link-token.ts';
import { ConfigError, linkKeyringFromEnvironment, loadConfig } from '../../src/shared/config.ts';

const ring = (...ids: string[]): Keyring => ({
  currentKeyId: ids[0] as string,
  keys: new Map(ids.map((id) => [id, randomBytes(32)])),
});
const NOW = Date.parse('2027-01-01T00:00:00Z');
const DAY = 86_400_000;
const legal: LinkRecipient = {
  role: 'approver',
  id: 'legal',
  email: 'contracts@uob.example',
  timezone: 'Europe/London',
};

const issue = (
  keyring: Keyring,
  recipient: LinkRecipient = legal,
  key = 'approval-request:legal:contracts@uob.example',
) => issueLinkToken(keyring, { agreementId: 'uob-jitri', recipient, notificationKey: key, now: NOW, ttlMs: 30 * DAY });

describe('link tokens', () => {
  it('carry the agreement, the recipient, what they may do, a link id from the notification key and an expiry', async () => {
    const keys = ring('k1');
    const verdict = await verifyLinkToken(keys, await issue(keys), NOW + DAY);
    expect(verdict).toEqual({
      ok: true,
      kid: 'k1',
      claims: {
        agreementId: 'uob-jitri',
        recipient: { ...legal, locale: 'en' },
        actions: ['approve', 'requestChanges'],
        linkId: linkIdFor('approval-request:legal:contracts@uob.example'),
        issuedAt: NOW,
        expiresAt: NOW + 30 * DAY,
      },
    });
  });

  it('give a resent mail the same link id, and another mail another', async () => {
    const keys = ring('k1');
    const a = await verifyLinkToken(keys, await issue(keys), NOW);
    const b = await verifyLinkToken(keys, await issue(keys), NOW);
    const c = await verifyLinkToken(keys, await issue(keys, legal, 'approval-chase:1:contracts@uob.example'), NOW);
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (a.ok && b.ok && c.ok) {
      expect(a.claims.linkId).toBe(b.claims.linkId);
      expect(c.claims.linkId).not.toBe(a.claims.linkId);
    }
  });

  it('refuse a tampered token, a wrong key and an unknown key id as invalid', async () => {
    const keys = ring('k1');
    const token = await issue(keys);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'finance' })).toString('base64url');
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BA' : 'AA');
    // The same signature bytes spelled another way (the last character's unused bits set) are an altered token too.
    const last = signature.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = signature.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
    expect(Buffer.from(respelled, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
    for (const bad of [
      `${header}.${payload}.${respelled}`,
      `${header}.${forged}.${signature}`,
      `${header}.${payload}.${flipped}`,
      token.slice(1),
      'x',
      '',
    ]) {
      expect(await verifyLinkToken(keys, bad, NOW)).toEqual({ ok: false, reason: 'invalid' });
    }
    const sameIdOtherKey: Keyring = { currentKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
    expect(await verifyLinkToken(sameIdOtherKey, token, NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyLinkToken(ring('k2'), token, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('tell an expired genuine token apart, with its claims; an expired forged one stays invalid', async () => {
    const keys = ring('k1');
    const token = await issue(keys);
    const verdict = await verifyLinkToken(keys, token, NOW + 31 * DAY);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toBe('expired');
    expect(!verdict.ok && verdict.reason === 'expired' && verdict.claims.agreementId).toBe('uob-jitri');
    expect(await verifyLinkToken(ring('k1'), token, NOW + 31 * DAY)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuse a token signed by our key for another purpose, or widening its role', async () => {
    const keys = ring('k1');
    const { SignJWT } = await import('jose');
    const key = keys.keys.get('k1') as Uint8Array;
    const base = { agr: 'uob-jitri', email: 'a@b.example', role: 'approver', loc: 'en', tz: 'UTC' };
    const make = (extra: Record<string, unknown>) =>
      new SignJWT({ ...base, ...extra })
        .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'JWT' })
        .setSubject('legal')
        .setJti('abcdefghijkl')
        .setIssuedAt(NOW / 1000)
        .setExpirationTime(NOW / 1000 + 3600)
        .sign(key);
    expect((await verifyLinkToken(keys, await make({ purpose: 'act', act: ['approve'] }), NOW)).ok).toBe(true);
    for (const extra of [
      { purpose: 'calendar', act: ['approve'] },
      { act: ['approve'] },
      { purpose: 'act', act: ['sign'] },
      { purpose: 'act', act: ['cancel'] },
      // About a variation, an approver acts as an approver: never signs.
      { purpose: 'act', act: ['approve', 'sign'], var: 'v1' },
      { purpose: 'act', act: ['approve'], var: 'v1 or v2' },
    ]) {
      expect(await verifyLinkToken(keys, await make(extra), NOW), JSON.stringify(extra)).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
  });

  it('about a variation: carry its id, and act as their role on it; no other role’s link is about one', async () => {
    const keys = ring('k1');
    const about = (recipient: LinkRecipient) =>
      issueLinkToken(keys, {
        agreementId: 'uob-jitri',
        recipient,
        notificationKey: `variation-request:v1:${recipient.email}`,
        variation: 'v1',
        now: NOW,
        ttlMs: DAY,
      });
    const approver = await verifyLinkToken(keys, await about(legal), NOW);
    expect(approver.ok && approver.claims).toMatchObject({ variation: 'v1', actions: ['approve', 'requestChanges'] });
    const signatory = await verifyLinkToken(keys, await about({ ...legal, role: 'signatory', id: 'vc-uob' }), NOW);
    expect(signatory.ok && signatory.claims).toMatchObject({ variation: 'v1', actions: ['sign', 'decline'] });
    const plain = await verifyLinkToken(keys, await issue(keys), NOW);
    expect(plain.ok && 'variation' in plain.claims).toBe(false);
    await expect(about({ ...legal, role: 'funding-contact', id: 'jitri-phd' })).rejects.toThrow(/cannot be about/);
  });

  it('verify with every key of a rotated ring; the first listed signs', async () => {
    const old = ring('old');
    const token = await issue(old);
    const rotated: Keyring = { currentKeyId: 'new', keys: new Map([['new', randomBytes(32)], ...old.keys]) };
    expect((await verifyLinkToken(rotated, token, NOW)).ok).toBe(true);
    const fresh = await verifyLinkToken(rotated, await issue(rotated), NOW);
    expect(fresh.ok && fresh.kid).toBe('new');
    const dropped: Keyring = { currentKeyId: 'new', keys: new Map([['new', rotated.keys.get('new') as Uint8Array]]) };
    expect(await verifyLinkToken(dropped, token, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('link settings', () => {
  const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

  it('read AGREEMENTS_LINK_KEYS with the first key signing, and AGREEMENTS_LINK_TTL (default P30D)', () => {
    const ring = linkKeyringFromEnvironment({ AGREEMENTS_LINK_KEYS: `${key('new')},${key('old')}` });
    expect(ring?.currentKeyId).toBe('new');
    expect([...(ring?.keys.keys() ?? [])]).toEqual(['new', 'old']);
    expect(loadConfig({}).linkTtlMs).toBe(30 * 86_400_000);
    expect(loadConfig({ AGREEMENTS_LINK_TTL: 'P7D' }).linkTtlMs).toBe(7 * 86_400_000);
    expect(loadConfig({}).linkKeys).toBeUndefined();
  });

  it('refuse a bad value in one line naming the variable', () => {
    expect(() => loadConfig({ AGREEMENTS_LINK_TTL: 'soon' })).toThrow(/AGREEMENTS_LINK_TTL/);
    expect(() => loadConfig({ AGREEMENTS_LINK_KEYS: 'k1:short' })).toThrow(ConfigError);
    expect(() => loadConfig({ AGREEMENTS_LINK_KEYS: 'k1:short' })).toThrow(/AGREEMENTS_LINK_KEYS/);
  });
});
