import { createHash } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import { LOCALES, type Locale } from '../domain/locale.ts';
import type { Keyring } from '../keys/keyring.ts';

/**
 * Mail links (SPEC 16): a JWS (HS256, made and checked by `jose`) that lets one recipient act on one agreement from
 * the page it opens. The token carries:
 *
 * - `agr`: the agreement id;
 * - `sub`: the recipient's id in the agreement, which becomes the actor in the audit trail. It is the approver id, the
 *   signatory id, the commitment id (for that commitment's funding contact) or the obligation id (for its owner), so
 *   the argument that names what they act on (`approver`, `signatory`, `commitment`, `obligation`) must equal it;
 * - `email`, `role`, `loc` (locale) and `tz` (time zone): who it was sent to, and how their page speaks;
 * - `act`: the Updates it may run (`['approve', 'requestChanges']`, `['sign', 'decline']`, `['confirmFunding']`, `['fulfil']`);
 * - `var` (approvers and signatories, optional): the variation of an active agreement it asks about (SPEC 18). Such a
 *   link acts on that variation only (`['approve', 'requestChanges']`, `['sign', 'decline']`; sending it back or
 *   declining withdraws it): never on the agreement itself, nor on another;
 * - `jti`: the link id, derived from the notification key, so a resent mail carries the same link id (and the web
 *   server's request id, made from it, applies a command once);
 * - `purpose: 'act'`, so a token of another kind (a calendar or portfolio link, coordinator-token.ts) can never act;
 * - `iat` and `exp` (AGREEMENTS_LINK_TTL after issue).
 *
 * The header's `kid` names the key of AGREEMENTS_LINK_KEYS that signed it; every key of the ring verifies.
 */

export const LINK_ACTIONS = ['approve', 'requestChanges', 'sign', 'decline', 'confirmFunding', 'fulfil'] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

export const LINK_ROLES = ['approver', 'signatory', 'funding-contact', 'obligation-owner'] as const;
export type LinkRole = (typeof LINK_ROLES)[number];

/** The command argument that names what a recipient of each role acts on; it must equal the token's `sub`. */
export const BOUND_ARGUMENT: Record<LinkRole, 'approver' | 'signatory' | 'commitment' | 'obligation'> = {
  approver: 'approver',
  signatory: 'signatory',
  'funding-contact': 'commitment',
  'obligation-owner': 'obligation',
};

/** What each role's link may do. */
export const ACTIONS_OF: Record<LinkRole, readonly LinkAction[]> = {
  approver: ['approve', 'requestChanges'],
  signatory: ['sign', 'decline'],
  'funding-contact': ['confirmFunding'],
  'obligation-owner': ['fulfil'],
};

/** What a link about a variation may do: approve it or send it back, sign it or decline it (either withdraws it). */
export const VARIATION_ACTIONS_OF: Partial<Record<LinkRole, readonly LinkAction[]>> = {
  approver: ['approve', 'requestChanges'],
  signatory: ['sign', 'decline'],
};

export const LINK_PURPOSE = 'act';
export const LINK_ALGORITHM = 'HS256';

export interface LinkRecipient {
  role: LinkRole;
  /** Approver, signatory, commitment or obligation id. */
  id: string;
  email: string;
  locale?: Locale;
  timezone: string;
}

export interface LinkClaims {
  agreementId: string;
  recipient: Required<LinkRecipient>;
  actions: LinkAction[];
  /** The variation the link asks about (SPEC 18); absent for the agreement itself. */
  variation?: string;
  linkId: string;
  issuedAt: number;
  expiresAt: number;
}

export type LinkVerdict =
  | { ok: true; claims: LinkClaims; kid: string }
  /** Signed by one of our keys, but past its expiry: the claims are genuine, so the page may name the coordinators. */
  | { ok: false; reason: 'expired'; claims: LinkClaims; kid: string }
  /** Not a link of ours: malformed, altered, an unknown key, or a token of another purpose. */
  | { ok: false; reason: 'invalid' };

/** The link id of a notification: the same for every copy of that mail. */
export function linkIdFor(notificationKey: string): string {
  return createHash('sha256').update(`agreement-link\n${notificationKey}`, 'utf8').digest('base64url').slice(0, 22);
}

export function keyOf(keyring: Keyring, kid: string): Uint8Array {
  const key = keyring.keys.get(kid);
  if (key === undefined) throw new Error(`link key "${kid}" is not in the keyring`);
  return key;
}

/** A link token for one recipient, signed with the ring's current key. `now` and `ttlMs` in milliseconds. */
export async function issueLinkToken(
  keyring: Keyring,
  input: {
    agreementId: string;
    recipient: LinkRecipient;
    notificationKey: string;
    /** The variation the mail asks about, for an approver or a signatory. */
    variation?: string;
    now: number;
    ttlMs: number;
  },
): Promise<string> {
  const { agreementId, recipient, notificationKey, variation, now, ttlMs } = input;
  const variationActions = VARIATION_ACTIONS_OF[recipient.role];
  if (variation !== undefined && variationActions === undefined) {
    throw new Error(`a ${recipient.role}'s link cannot be about a variation`);
  }
  const kid = keyring.currentKeyId;
  const iat = Math.floor(now / 1000);
  return new SignJWT({
    purpose: LINK_PURPOSE,
    agr: agreementId,
    email: recipient.email,
    role: recipient.role,
    loc: recipient.locale ?? 'en',
    tz: recipient.timezone,
    act: [...(variation === undefined ? ACTIONS_OF[recipient.role] : (variationActions ?? []))],
    ...(variation === undefined ? {} : { var: variation }),
  })
    .setProtectedHeader({ alg: LINK_ALGORITHM, kid, typ: 'JWT' })
    .setSubject(recipient.id)
    .setJti(linkIdFor(notificationKey))
    .setIssuedAt(iat)
    .setExpirationTime(iat + Math.max(1, Math.round(ttlMs / 1000)))
    .sign(keyOf(keyring, kid));
}

const claimsSchema = z.object({
  purpose: z.literal(LINK_PURPOSE),
  agr: z.string().min(1).max(64),
  sub: z.string().min(1).max(64),
  email: z.string().min(3).max(254),
  role: z.enum(LINK_ROLES),
  loc: z.enum(LOCALES),
  tz: z.string().min(1).max(64),
  act: z.array(z.enum(LINK_ACTIONS)).min(1).max(LINK_ACTIONS.length),
  var: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  jti: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  iat: z.number().int(),
  exp: z.number().int(),
});

function claimsFrom(payload: JWTPayload): LinkClaims | undefined {
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const c = parsed.data;
  // The actions must be the role's: a token can never widen what a recipient of its role may do.
  const allowed = c.var === undefined ? ACTIONS_OF[c.role] : VARIATION_ACTIONS_OF[c.role];
  if (allowed === undefined || c.act.some((action) => !allowed.includes(action))) return undefined;
  return {
    agreementId: c.agr,
    recipient: { role: c.role, id: c.sub, email: c.email, locale: c.loc, timezone: c.tz },
    actions: c.act,
    ...(c.var === undefined ? {} : { variation: c.var }),
    linkId: c.jti,
    issuedAt: c.iat * 1000,
    expiresAt: c.exp * 1000,
  };
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{10,2000}\.[A-Za-z0-9_-]{10,4000}\.[A-Za-z0-9_-]{43}$/;

/**
 * A token's shape before any key is tried: three base64url parts, each in its one spelling (a last character whose
 * unused bits differ is an altered token, refused).
 */
export const wellFormedToken = (token: string): boolean =>
  TOKEN_SHAPE.test(token) &&
  token.split('.').every((part) => Buffer.from(part, 'base64url').toString('base64url') === part);

/**
 * Checks a token against every key of the ring: its signature, its purpose and claims, and its expiry at `now`.
 * An expired token whose signature holds is told apart (`expired`, with its claims); anything else is `invalid`.
 */
export async function verifyLinkToken(keyring: Keyring, token: string, now: number): Promise<LinkVerdict> {
  if (!wellFormedToken(token)) return { ok: false, reason: 'invalid' };
  let kid = '';
  const key = (header: { kid?: string }) => {
    kid = header.kid ?? '';
    return keyOf(keyring, kid);
  };
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [LINK_ALGORITHM],
      typ: 'JWT',
      currentDate: new Date(now),
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
    });
    const claims = claimsFrom(payload);
    return claims ? { ok: true, claims, kid } : { ok: false, reason: 'invalid' };
  } catch (error) {
    // jose checks the signature before the claims: an expired token's payload is genuine.
    if (error instanceof errors.JWTExpired) {
      const claims = claimsFrom(error.payload);
      if (claims) return { ok: false, reason: 'expired', claims, kid };
    }
    return { ok: false, reason: 'invalid' };
  }
}

/** The request id of one action from one link: a second POST of the same action applies nothing. */
export const linkRequestId = (linkId: string, action: LinkAction): string => `link-${linkId}-${action}`;
