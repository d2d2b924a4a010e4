import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { issueActorToken } from '../../src/actors/actor-token.ts';
import { phdProgramme } from '../support/agreements.ts';
import { runCli, type CliOutcome } from '../support/cli.ts';
import { eventually, startTestStack, type TestStack } from '../support/worker.ts';

const KEY_ENTRY = `k1:${randomBytes(32).toString('base64')}`;
const ROLES = [
  'partnerships: [submit, cancel]',
  'finance-office: [confirm-funding]',
  'vc-uob: [sign]',
  'president-jitri: [sign]',
].join('\n');

let stack: TestStack;
const tokens = new Map<string, string>();

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'verified-actors-'));
  const roles = join(dir, 'roles.yaml');
  await writeFile(roles, ROLES);
  stack = await startTestStack({ AGREEMENTS_ACTOR_KEYS: KEY_ENTRY, AGREEMENTS_ROLES: roles });
  const keyring = stack.config.actorKeys;
  if (keyring === undefined) throw new Error('the stack has no actor keys');
  for (const actor of ['partnerships', 'finance-office', 'vc-uob', 'president-jitri'])
    tokens.set(actor, issueActorToken(keyring, actor, Date.now() + 3_600_000));
});
afterAll(async () => {
  await stack?.stop();
});

/** The CLI as a person holding `actor`'s token runs it (no token for `undefined`). */
function as(actor: string | undefined, args: string[]): Promise<CliOutcome> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    AGREEMENTS_HOME: stack.home,
    AGREEMENTS_ACTOR: 'someone',
  };
  delete env.AGREEMENTS_ACTOR_TOKEN;
  if (actor !== undefined) env.AGREEMENTS_ACTOR_TOKEN = tokens.get(actor);
  return runCli(args, env);
}

const historyOf = async (id: string) =>
  JSON.parse((await as(undefined, ['history', id, '--json'])).stdout) as {
    type: string;
    actor: string;
    actorProof: string;
  }[];

describe('verified actors (AGREEMENTS_ACTOR_KEYS and AGREEMENTS_ROLES on the worker)', () => {
  it('applies commands proven by actor tokens, refuses the rest with a reason, and records how each was proven', async () => {
    const id = `actors-${randomBytes(4).toString('hex')}`;
    await stack.client.start({ ...phdProgramme(Date.now()), id }, { actor: 'partnerships' });
    expect((await as('partnerships', ['submit', id])).code).toBe(0);
    expect((await as('vc-uob', ['sign', id, '--signatory', 'vc-uob'])).code).toBe(0);

    const forOther = await as('vc-uob', ['sign', id, '--signatory', 'president-jitri']);
    expect(forOther.code).toBe(1);
    expect(forOther.stderr.trim()).toBe('agreements: vc-uob may sign only as themself, not as president-jitri');
    expect((await as('president-jitri', ['sign', id, '--signatory', 'president-jitri'])).code).toBe(0);

    // In funding now. The partnerships office may not confirm funding, and nobody may without a token.
    const rowsBefore = await eventually(async () => {
      const rows = await historyOf(id);
      return rows.some((row) => row.type === 'stage-changed' && row.actor === 'president-jitri') ? rows : undefined;
    });
    const confirm = ['confirm-funding', id, '--commitment', 'jitri-phd', '--amount', '1000'];
    const unauthorised = await as('partnerships', confirm);
    expect(unauthorised.code).toBe(1);
    expect(unauthorised.stderr.trim()).toBe('agreements: partnerships may not confirm-funding');
    const unproven = await as(undefined, [...confirm, '--actor', 'finance-office']);
    expect(unproven.code).toBe(1);
    expect(unproven.stderr).toMatch(/^agreements: finance-office: an actor token is required/);
    const claimedOther = await as('vc-uob', [...confirm, '--actor', 'finance-office']);
    expect(claimedOther.code).toBe(1);
    expect(claimedOther.stderr).toMatch(/is not the actor of AGREEMENTS_ACTOR_TOKEN \(vc-uob\)/);

    // Nothing was written by the refusals: no event, no record, no mail.
    const shown = JSON.parse((await as(undefined, ['show', id, '--json'])).stdout) as {
      funding: { confirmed: number };
    };
    expect(shown.funding.confirmed).toBe(0);
    expect(await historyOf(id)).toEqual(rowsBefore);
    const mail = JSON.parse((await as(undefined, ['mail', id, '--json'])).stdout) as { kind: string }[];
    expect(mail.map((row) => row.kind)).not.toContain('funding-confirmed');

    expect((await as('finance-office', confirm)).code).toBe(0);
    const rows = await eventually(async () => {
      const all = await historyOf(id);
      return all.some((row) => row.type === 'funding-confirmed') ? all : undefined;
    });
    expect(rows.find((row) => row.type === 'started')).toMatchObject({ actor: 'partnerships', actorProof: 'claimed' });
    expect(rows.find((row) => row.type === 'signed')).toMatchObject({ actor: 'vc-uob', actorProof: 'token:k1' });
    expect(rows.find((row) => row.type === 'funding-confirmed')).toMatchObject({
      actor: 'finance-office',
      actorProof: 'token:k1',
    });
    const register = JSON.parse((await as(undefined, ['register', '--json'])).stdout) as {
      id: string;
      updatedBy?: string;
      updatedByProof?: string;
    }[];
    expect(register.find((row) => row.id === id)).toMatchObject({
      updatedBy: 'finance-office',
      updatedByProof: 'token:k1',
    });
  });
});
