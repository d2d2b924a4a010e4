import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Keyring } from '../../src/keys/keyring.ts';
import {
  CALENDAR_TTL_MS,
  calendarToken,
  coordinatorLinks,
  issueCoordinatorToken,
  PORTFOLIO_GRACE_MS,
  verifyCoordinatorToken,
} from '../../src/links/coordinator-token.ts';
import { issueLinkToken, verifyLinkToken } from '../../src/links/link-token.ts';

const DAY = 86_400_000;
const keys: Keyring = { currentKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
const now = Date.parse('2026-12-07T08:30:00Z');

describe('coordinator tokens (SPEC 17): the action links’ keyring, a purpose of their own', () => {
  it('a portfolio token reads only a portfolio, a calendar token only a calendar, and neither is an action link', async () => {
    const portfolio = await issueCoordinatorToken(keys, {
      purpose: 'portfolio',
      email: 'office@uob.example',
      now,
      ttlMs: DAY,
    });
    const calendar = await calendarToken(keys, 'office@uob.example', now);
    expect(await verifyCoordinatorToken(keys, portfolio, 'portfolio', now)).toMatchObject({
      ok: true,
      claims: { purpose: 'portfolio', email: 'office@uob.example' },
    });
    expect(await verifyCoordinatorToken(keys, portfolio, 'calendar', now)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyCoordinatorToken(keys, calendar, 'portfolio', now)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyLinkToken(keys, portfolio, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyLinkToken(keys, calendar, now)).toEqual({ ok: false, reason: 'invalid' });
    const action = await issueLinkToken(keys, {
      agreementId: 'uob-jitri',
      recipient: { role: 'signatory', id: 'vc-uob', email: 'vc@uob.example', timezone: 'Europe/London' },
      notificationKey: 'invitation:1:vc@uob.example',
      now,
      ttlMs: DAY,
    });
    expect(await verifyCoordinatorToken(keys, action, 'portfolio', now)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyCoordinatorToken(keys, action, 'calendar', now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('a calendar URL is the same all day and works a year and a day from the day’s start; the email is lower-cased', async () => {
    const morning = await calendarToken(keys, 'Office@UoB.example', Date.parse('2026-12-07T00:00:01Z'));
    expect(await calendarToken(keys, 'office@uob.example', Date.parse('2026-12-07T23:59:59Z'))).toBe(morning);
    const verdict = await verifyCoordinatorToken(keys, morning, 'calendar', now);
    expect(verdict.ok && verdict.claims).toMatchObject({
      email: 'office@uob.example',
      expiresAt: Date.parse('2026-12-07T00:00:00Z') + CALENDAR_TTL_MS,
    });
    const later = Date.parse('2026-12-07T00:00:00Z') + CALENDAR_TTL_MS + 1000;
    expect(await verifyCoordinatorToken(keys, morning, 'calendar', later)).toMatchObject({
      ok: false,
      reason: 'expired',
      claims: { email: 'office@uob.example' },
    });
  });

  it('the digest’s portfolio link lives the digest’s period plus a week', async () => {
    const links = await coordinatorLinks(keys, {
      publicUrl: 'https://agreements.uob.example',
      email: 'office@uob.example',
      now,
      periodMs: 7 * DAY,
    });
    expect(links.calendar).toMatch(/^https:\/\/agreements\.uob\.example\/calendar\/[\w-]+\.[\w-]+\.[\w-]+\.ics$/);
    const token = links.portfolio.replace('https://agreements.uob.example/p/', '');
    const verdict = await verifyCoordinatorToken(keys, token, 'portfolio', now);
    expect(verdict.ok && verdict.claims.expiresAt).toBe(Math.floor(now / 1000) * 1000 + 7 * DAY + PORTFOLIO_GRACE_MS);
    const other: Keyring = { currentKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
    expect(await verifyCoordinatorToken(other, token, 'portfolio', now)).toEqual({ ok: false, reason: 'invalid' });
  });
});
