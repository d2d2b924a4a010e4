import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CommandProof } from '../domain/commands.ts';
import type { Keyring } from '../keys/keyring.ts';

/**
 * Actor tokens: who a person is, vouched for by a key the workers hold (AGREEMENTS_ACTOR_KEYS).
 *
 * A token is `agt1.<key id>.<claims>.<secret>`: the claims (`{ sub, exp }`, base64url JSON) say who and until when,
 * and the secret is HMAC-SHA256(key, "agt1.<key id>.<claims>"). The token never travels: a command carries a proof,
 * the claims plus HMAC-SHA256(secret, the command), bound to the workflow, the update (request) id, the arguments and
 * the time. Workflow history keeps only that proof, so reading a history gives nobody a way to make a new command:
 * the secret is not in it, and a proof replayed as is names a request id already applied (or is stale).
 */

const VERSION = 'agt1';
/** A proof older (or newer) than this is refused, so a proof read from history cannot be sent again much later. */
export const PROOF_FRESHNESS_MS = 5 * 60_000;

export interface ActorClaims {
  /** The actor's name, as the audit trail and the roles file spell it. */
  sub: string;
  /** Expiry, epoch milliseconds. */
  exp: number;
}

/** What a proof is bound to: the command exactly as the workflow receives it. */
export interface CommandBinding {
  workflowId: string;
  update: string;
  requestId: string;
  /** The command's arguments without `proof`. */
  args: unknown;
}

export class ActorTokenError extends Error {
  override name = 'ActorTokenError';
}

const hmac = (key: Uint8Array, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();
const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** A token for `actor`, signed with the ring's current key, valid until `expiresAt`. */
export function issueActorToken(keyring: Keyring, actor: string, expiresAt: number): string {
  const kid = keyring.currentKeyId;
  const key = keyring.keys.get(kid);
  if (key === undefined) throw new ActorTokenError(`key "${kid}" is not in the keyring`);
  const claims = encode({ sub: actor, exp: expiresAt } satisfies ActorClaims);
  const signed = `${VERSION}.${kid}.${claims}`;
  return `${signed}.${hmac(key, signed).toString('base64url')}`;
}

/** The token's parts; refuses anything not shaped like one (without echoing it: it is a credential). */
export function readActorToken(token: string): { kid: string; claims: string; actor: ActorClaims; secret: Buffer } {
  const parts = token.trim().split('.');
  const [version, kid, claims, secret] = parts;
  if (parts.length !== 4 || version !== VERSION || !kid || !claims || !secret)
    throw new ActorTokenError('AGREEMENTS_ACTOR_TOKEN: not an actor token (expected agt1.<key id>.<claims>.<secret>)');
  const actor = parseClaims(claims);
  if (actor === undefined) throw new ActorTokenError('AGREEMENTS_ACTOR_TOKEN: its claims are unreadable');
  return { kid, claims, actor, secret: Buffer.from(secret, 'base64url') };
}

/** A proof that the holder of `token` sends this command now. */
export function proveCommand(token: string, binding: CommandBinding, now: number): CommandProof {
  const { kid, claims, secret } = readActorToken(token);
  return { kid, claims, at: now, mac: hmac(secret, boundText(binding, now)).toString('base64url') };
}

export type ProofVerdict = { ok: true; actor: string; kid: string } | { ok: false; reason: string };

/** Checks a proof against the workers' keys: the key, the claims' signature and expiry, the binding and its age. */
export function verifyCommandProof(
  keys: ReadonlyMap<string, Uint8Array>,
  proof: CommandProof,
  binding: CommandBinding,
  now: number,
): ProofVerdict {
  const key = keys.get(proof.kid);
  if (key === undefined) return { ok: false, reason: `actor token signed with unknown key "${proof.kid}"` };
  const claims = parseClaims(proof.claims);
  if (claims === undefined) return { ok: false, reason: 'actor token claims are unreadable' };
  const secret = hmac(key, `${VERSION}.${proof.kid}.${proof.claims}`);
  const expected = hmac(secret, boundText(binding, proof.at));
  const given = Buffer.from(proof.mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'actor proof does not match this command (wrong token, or the command was altered)' };
  if (claims.exp <= now) return { ok: false, reason: `actor token of "${claims.sub}" has expired` };
  if (Math.abs(now - proof.at) > PROOF_FRESHNESS_MS)
    return {
      ok: false,
      reason: 'actor proof is stale (made more than 5 minutes away from now): send the command again',
    };
  return { ok: true, actor: claims.sub, kid: proof.kid };
}

function parseClaims(encoded: string): ActorClaims | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { sub, exp } = value as Record<string, unknown>;
    return typeof sub === 'string' && sub !== '' && typeof exp === 'number' ? { sub, exp } : undefined;
  } catch {
    return undefined;
  }
}

function boundText(binding: CommandBinding, at: number): string {
  return canonicalJson([VERSION, binding.workflowId, binding.update, binding.requestId, at, binding.args]);
}

/** JSON with object keys sorted, so the client and the worker serialise the same arguments alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : item,
  );
}
