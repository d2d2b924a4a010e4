import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authorizeCommand, type ActorPolicy } from '../../src/activities/actor-activities.ts';
import {
  issueActorToken,
  PROOF_FRESHNESS_MS,
  proveCommand,
  readActorToken,
  verifyCommandProof,
} from '../../src/actors/actor-token.ts';
import type { Keyring } from '../../src/keys/keyring.ts';
import { ConfigError, loadConfig } from '../../src/shared/config.ts';
import { loadRoles, RolesConfigError } from '../../src/actors/roles.ts';
import type { AuthorizeCommandInput } from '../../src/ports/activities.ts';

const now = Date.parse('2026-12-05T12:00:00Z');
const ring = (id = 'k1'): Keyring => ({ currentKeyId: id, keys: new Map([[id, randomBytes(32)]]) });
const keys = ring();
const binding = {
  workflowId: 'agreement-uob-jitri',
  update: 'confirmFunding',
  requestId: 'req-1',
  args: { commitment: 'jitri-phd', amount: 500000.5, actor: 'finance-office' },
};
const token = issueActorToken(keys, 'finance-office', now + 86_400_000);

describe('actor tokens', () => {
  it('verify a proof made for exactly this command, and say by which key', () => {
    const proof = proveCommand(token, binding, now);
    expect(verifyCommandProof(keys.keys, proof, binding, now + 1000)).toEqual({
      ok: true,
      actor: 'finance-office',
      kid: 'k1',
    });
    // What goes into history is the proof: the token's secret part is not in it.
    const secret = token.split('.')[3] ?? '';
    expect(JSON.stringify(proof)).not.toContain(secret);
    // Keys sorted: the worker sees the arguments in whatever order the wire gave them.
    const reordered = { ...binding, args: { actor: 'finance-office', amount: 500000.5, commitment: 'jitri-phd' } };
    expect(verifyCommandProof(keys.keys, proof, reordered, now).ok).toBe(true);
  });

  it.each([
    ['another amount', { args: { ...binding.args, amount: 5_000_000 } }, /does not match this command/],
    ['another agreement', { workflowId: 'agreement-other' }, /does not match/],
    ['another request id (a replay from history)', { requestId: 'req-2' }, /does not match/],
    ['another command', { update: 'cancel' }, /does not match/],
  ])('refuse the proof for %s', (_name, change, reason) => {
    const proof = proveCommand(token, binding, now);
    const verdict = verifyCommandProof(keys.keys, proof, { ...binding, ...change }, now);
    expect(verdict).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('refuse expired tokens, stale proofs, unknown keys and tokens signed with another key', () => {
    const proof = proveCommand(token, binding, now);
    expect(verifyCommandProof(keys.keys, proof, binding, now + 2 * 86_400_000)).toMatchObject({
      reason: expect.stringMatching(/has expired/),
    });
    expect(verifyCommandProof(keys.keys, proof, binding, now + PROOF_FRESHNESS_MS + 1)).toMatchObject({
      reason: expect.stringMatching(/stale/),
    });
    expect(verifyCommandProof(ring('k2').keys, proof, binding, now)).toMatchObject({
      reason: 'actor token signed with unknown key "k1"',
    });
    const forged = proveCommand(issueActorToken(ring('k1'), 'finance-office', now + 1000), binding, now);
    expect(verifyCommandProof(keys.keys, forged, binding, now).ok).toBe(false);
    expect(() => readActorToken('Bearer something')).toThrow(/not an actor token/);
  });
});

const input = (overrides: Partial<AuthorizeCommandInput> = {}): AuthorizeCommandInput => ({
  workflowId: binding.workflowId,
  command: 'confirmFunding',
  requestId: binding.requestId,
  args: binding.args,
  actor: 'finance-office',
  ...overrides,
});

async function rolesFile(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'roles-')), 'roles.yaml');
  await writeFile(file, text);
  return file;
}

describe('the worker’s actor check', () => {
  it('takes the actor as claimed when nothing is configured (today’s behaviour)', () => {
    expect(authorizeCommand({}, input())).toEqual({ ok: true, actorProof: 'claimed' });
  });

  it('with keys: needs a valid proof for the named actor, and says which key vouched', () => {
    const policy: ActorPolicy = { keys, now: () => now };
    expect(authorizeCommand(policy, input())).toEqual({
      ok: false,
      reason: expect.stringMatching(/^finance-office: an actor token is required/),
    });
    const proof = proveCommand(token, binding, now);
    expect(authorizeCommand(policy, input({ proof }))).toEqual({ ok: true, actorProof: 'token:k1' });
    expect(authorizeCommand(policy, input({ proof, actor: 'vc-uob' }))).toMatchObject({ ok: false });
    expect(authorizeCommand({}, input({ proof }))).toMatchObject({ reason: expect.stringMatching(/no actor keys/) });
  });

  it('with a roles file: only listed actors, only their commands; a signatory signs only as themself', async () => {
    const roles = loadRoles(
      await rolesFile(
        'finance-office: [confirm-funding]\nvc-uob: [sign]\nceremony-desk: [sign-for-others]\nadmin: ["*"]\n',
      ),
    );
    const policy: ActorPolicy = { roles };
    expect(authorizeCommand(policy, input())).toEqual({ ok: true, actorProof: 'claimed' });
    expect(authorizeCommand(policy, input({ actor: 'vc-uob' }))).toEqual({
      ok: false,
      reason: 'vc-uob may not confirm-funding',
    });
    expect(authorizeCommand(policy, input({ actor: 'mallory' }))).toMatchObject({
      reason: 'mallory is not in the roles file, so may not confirm-funding',
    });
    const sign = (actor: string, signatory: string) =>
      authorizeCommand(policy, input({ command: 'sign', actor, args: { signatory, actor } }));
    expect(sign('vc-uob', 'vc-uob')).toMatchObject({ ok: true });
    expect(sign('vc-uob', 'president-jitri')).toEqual({
      ok: false,
      reason: 'vc-uob may sign only as themself, not as president-jitri',
    });
    expect(sign('ceremony-desk', 'president-jitri')).toMatchObject({ ok: true });
    expect(sign('admin', 'president-jitri')).toMatchObject({ ok: false });
    expect(authorizeCommand(policy, input({ command: 'cancel', actor: 'admin' }))).toMatchObject({ ok: true });
  });

  it('an approver approves or requests changes only as themself; approve-for-others may act for any', async () => {
    const policy: ActorPolicy = {
      roles: loadRoles(await rolesFile('legal: [approve, request-changes]\napprovals-desk: [approve-for-others]\n')),
    };
    const act = (command: 'approve' | 'requestChanges', actor: string, approver: string) =>
      authorizeCommand(policy, input({ command, actor, args: { approver, actor } }));
    expect(act('approve', 'legal', 'legal')).toMatchObject({ ok: true });
    expect(act('requestChanges', 'legal', 'finance')).toEqual({
      ok: false,
      reason: 'legal may request-changes only as themself, not as finance',
    });
    expect(act('approve', 'approvals-desk', 'finance')).toMatchObject({ ok: true });
    expect(authorizeCommand(policy, input({ command: 'fulfil', actor: 'legal' }))).toEqual({
      ok: false,
      reason: 'legal may not fulfil',
    });
  });

  it('lets a cancel requested in Temporal through without keys, and with keys only under temporal-cancel: allow', async () => {
    const temporalCancel = input({ command: 'temporalCancel', actor: 'temporal', args: {} });
    expect(authorizeCommand({}, temporalCancel)).toEqual({ ok: true, actorProof: 'unverified' });
    const refusing = loadRoles(await rolesFile('admin: ["*"]\n'));
    expect(refusing.temporalCancel).toBe('refuse');
    expect(refusing.actors.has('temporal-cancel')).toBe(false);
    expect(authorizeCommand({ keys, roles: refusing }, temporalCancel)).toEqual({
      ok: false,
      reason:
        'a cancel requested in Temporal names no verified actor, and the roles file does not allow it (temporal-cancel: allow)',
    });
    // `*` is every command an actor may give, not a Temporal cancel, which names no actor.
    expect(authorizeCommand({ keys, roles: refusing }, { ...temporalCancel, actor: 'admin' })).toMatchObject({
      ok: false,
    });
    const allowing = loadRoles(await rolesFile('temporal-cancel: allow\nadmin: ["*"]\n'));
    expect(allowing.temporalCancel).toBe('allow');
    expect([...allowing.actors.keys()]).toEqual(['admin']);
    expect(authorizeCommand({ keys, roles: allowing }, temporalCancel)).toEqual({ ok: true, actorProof: 'unverified' });
    const file = await rolesFile('temporal-cancel: yes\n');
    expect(() => loadRoles(file)).toThrow(new RegExp(`^AGREEMENTS_ROLES: ${file}: temporal-cancel: .*allow`));
  });

  it('refuses a roles file naming an unknown command, with the variable and the file', async () => {
    const file = await rolesFile('finance-office: [confirm_funding]\n');
    expect(() => loadRoles(file)).toThrow(RolesConfigError);
    expect(() => loadRoles(file)).toThrow(new RegExp(`^AGREEMENTS_ROLES: ${file}: .*must be a command`));
  });

  it('stops a worker or the CLI with one line for a missing roles file, bad actor keys or a malformed token', () => {
    expect(() => loadConfig({ AGREEMENTS_ROLES: '/nonexistent/roles.yaml' })).toThrow(
      new ConfigError('invalid configuration: AGREEMENTS_ROLES: cannot read /nonexistent/roles.yaml (ENOENT)'),
    );
    expect(() => loadConfig({ AGREEMENTS_ACTOR_KEYS: 'k1:c2hvcnQ=' })).toThrow(
      /^invalid configuration: AGREEMENTS_ACTOR_KEYS: key "k1" must decode to exactly 32 bytes/,
    );
    expect(() => loadConfig({ AGREEMENTS_ACTOR_TOKEN: 'not-a-token' })).toThrow(/AGREEMENTS_ACTOR_TOKEN/);
    expect(
      loadConfig({ AGREEMENTS_ACTOR_KEYS: `k1:${randomBytes(32).toString('base64')}` }).actorKeys?.currentKeyId,
    ).toBe('k1');
  });
});
