import { createHash } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { Keyring } from '../keys/keyring.ts';
import { keyOf, LINK_ALGORITHM, wellFormedToken } from './link-token.ts';

/**
 * A coordinator's read-only links (SPEC 17): the calendar feed and the portfolio page. Signed with the action links'
 * keyring, but with a purpose of their own (`calendar` or `portfolio`): an action link's purpose is `act`, so neither
 * kind is ever accepted where the other is expected. The token carries only:
 *
 * - `purpose`: `calendar` or `portfolio`;
 * - `sub`: the coordinator's email (lower case), whose agreements it shows;
 * - `jti`: a link id (for the request log; the token never appears there);
 * - `iat` and `exp`.
 */

export const COORDINATOR_PURPOSES = ['calendar', 'portfolio'] as const;
export type CoordinatorPurpose = (typeof COORDINATOR_PURPOSES)[number];

const DAY_MS = 86_400_000;
/**
 * A calendar subscription is set up once and polled for months: its token works a year and a day. It is issued as of
 * the start of the UTC day, so every copy made that day (the CLI's, the digest's) is the same URL.
 */
export const CALENDAR_TTL_MS = 366 * DAY_MS;
/** The portfolio page lives as long as the digest's period plus a week (SPEC 17). */
export const PORTFOLIO_GRACE_MS = 7 * DAY_MS;

export interface CoordinatorClaims {
  purpose: CoordinatorPurpose;
  email: string;
  linkId: string;
  issuedAt: number;
  expiresAt: number;
}

export type CoordinatorVerdict =
  | { ok: true; claims: CoordinatorClaims }
  | { ok: false; reason: 'expired'; claims: CoordinatorClaims }
  /** Malformed, altered, an unknown key, or a token of another purpose (an action link among them). */
  | { ok: false; reason: 'invalid' };

export const normalEmail = (email: string): string => email.trim().toLowerCase();

const linkIdOf = (purpose: CoordinatorPurpose, email: string, iat: number) =>
  createHash('sha256').update(`${purpose}\n${email}\n${iat}`, 'utf8').digest('base64url').slice(0, 22);

/** A token for one coordinator; `now` and `ttlMs` in milliseconds. The same inputs give the same token. */
export async function issueCoordinatorToken(
  keyring: Keyring,
  input: { purpose: CoordinatorPurpose; email: string; now: number; ttlMs: number },
): Promise<string> {
  const kid = keyring.currentKeyId;
  const email = normalEmail(input.email);
  const iat = Math.floor(input.now / 1000);
  return new SignJWT({ purpose: input.purpose })
    .setProtectedHeader({ alg: LINK_ALGORITHM, kid, typ: 'JWT' })
    .setSubject(email)
    .setJti(linkIdOf(input.purpose, email, iat))
    .setIssuedAt(iat)
    .setExpirationTime(iat + Math.max(1, Math.round(input.ttlMs / 1000)))
    .sign(keyOf(keyring, kid));
}

const claimsSchema = z.object({
  purpose: z.enum(COORDINATOR_PURPOSES),
  sub: z.string().min(3).max(254),
  jti: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  iat: z.number().int(),
  exp: z.number().int(),
});

function claimsFrom(payload: JWTPayload, purpose: CoordinatorPurpose): CoordinatorClaims | undefined {
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success || parsed.data.purpose !== purpose) return undefined;
  const c = parsed.data;
  return { purpose: c.purpose, email: c.sub, linkId: c.jti, issuedAt: c.iat * 1000, expiresAt: c.exp * 1000 };
}

/** Checks a token of one purpose against every key of the ring, and its expiry at `now`. */
export async function verifyCoordinatorToken(
  keyring: Keyring,
  token: string,
  purpose: CoordinatorPurpose,
  now: number,
): Promise<CoordinatorVerdict> {
  if (!wellFormedToken(token)) return { ok: false, reason: 'invalid' };
  try {
    const { payload } = await jwtVerify(token, (header) => keyOf(keyring, header.kid ?? ''), {
      algorithms: [LINK_ALGORITHM],
      typ: 'JWT',
      currentDate: new Date(now),
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
    });
    const claims = claimsFrom(payload, purpose);
    return claims ? { ok: true, claims } : { ok: false, reason: 'invalid' };
  } catch (error) {
    // jose checks the signature before the claims: an expired token's payload is genuine.
    if (error instanceof errors.JWTExpired) {
      const claims = claimsFrom(error.payload, purpose);
      if (claims) return { ok: false, reason: 'expired', claims };
    }
    return { ok: false, reason: 'invalid' };
  }
}

export interface CoordinatorLinks {
  calendar: string;
  portfolio: string;
}

/** The calendar token of a coordinator as of `now`: issued at the start of that UTC day, valid CALENDAR_TTL_MS. */
export const calendarToken = (keyring: Keyring, email: string, now: number): Promise<string> =>
  issueCoordinatorToken(keyring, { purpose: 'calendar', email, now: now - (now % DAY_MS), ttlMs: CALENDAR_TTL_MS });

export const calendarUrl = async (keyring: Keyring, publicUrl: string, email: string, now: number) =>
  `${publicUrl}/calendar/${await calendarToken(keyring, email, now)}.ics`;

/**
 * A coordinator's two links, as their digest carries them: the portfolio page lives the digest's period (the time since
 * the last digest) plus PORTFOLIO_GRACE_MS.
 */
export async function coordinatorLinks(
  keyring: Keyring,
  input: { publicUrl: string; email: string; now: number; periodMs: number },
): Promise<CoordinatorLinks> {
  const { publicUrl, email, now } = input;
  const portfolio = await issueCoordinatorToken(keyring, {
    purpose: 'portfolio',
    email,
    now,
    ttlMs: Math.max(DAY_MS, input.periodMs) + PORTFOLIO_GRACE_MS,
  });
  return { calendar: await calendarUrl(keyring, publicUrl, email, now), portfolio: `${publicUrl}/p/${portfolio}` };
}
