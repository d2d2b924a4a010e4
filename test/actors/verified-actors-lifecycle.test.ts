import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { issueActorToken } from '../../src/actors/actor-token.ts';
import { startProof } from '../../src/client/actor-proof.ts';
import { WORKFLOW_TYPE, workflowIdFor } from '../../src/wire/contract.ts';
import { phdProgramme } from '../support/agreements.ts';
import { runCli, type CliOutcome } from '../support/cli.ts';
import { eventually, startTestStack, type TestStack } from '../support/worker.ts';

const KEY_ENTRY = `k1:${randomBytes(32).toString('base64')}`;
const ROLES = [
  'partnerships: [start, submit, cancel]',
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

const uniqueId = () => `actors-${randomBytes(4).toString('hex')}`;
let files: string;
/** The agreement as a JSON file the CLI can start. */
async function agreementFile(document: Record<string, unknown>): Promise<string> {
  files ??= await mkdtemp(join(tmpdir(), 'verified-start-'));
  const file = join(files, `${String(document.id)}.json`);
  await writeFile(file, JSON.stringify(document));
  return file;
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
    await stack.client.start({ ...phdProgramme(Date.now()), id }, { actorToken: tokens.get('partnerships') });
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
    expect(rows.find((row) => row.type === 'started')).toMatchObject({ actor: 'partnerships', actorProof: 'token:k1' });
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

  it('authorises a start as a command: unsigned, altered or outside the roles it fails with nothing recorded', async () => {
    const refusedStart = async (id: string, args: unknown[]) => {
      const handle = await stack.env.client.workflow.start(WORKFLOW_TYPE, {
        workflowId: workflowIdFor(id),
        taskQueue: stack.taskQueue,
        args,
      });
      const failure = (await handle.result().catch((error: unknown) => error)) as WorkflowFailedError;
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect(await stack.dependencies.records.history(id)).toEqual([]);
      expect((await stack.dependencies.records.register()).some((row) => row.id === id)).toBe(false);
      return failure.cause as ApplicationFailure;
    };
    const document = (id: string) => ({ ...phdProgramme(Date.now()), id });

    const unsigned = uniqueId();
    const noProof = await refusedStart(unsigned, [document(unsigned), { actor: 'system' }]);
    expect(noProof.message).toMatch(/^system: an actor token is required/);
    expect([noProof.type, noProof.nonRetryable]).toEqual(['ActorRefused', true]);

    // A proof made for one document does not start another.
    const altered = uniqueId();
    const signed = startProof(tokens.get('partnerships') ?? '', workflowIdFor(altered), document(altered), undefined);
    const changed = { ...(signed.document as Record<string, unknown>), title: 'Something else' };
    const badProof = await refusedStart(altered, [changed, { actor: signed.actor, proof: signed.proof }]);
    expect(badProof.type).toBe('ActorRefused');

    // A verified actor the roles file does not let start.
    const outsider = uniqueId();
    const byCli = await as('vc-uob', ['start', await agreementFile(document(outsider))]);
    // The workflow refuses in its first task, and the CLI waits for that task to say so.
    expect([byCli.code, byCli.stderr.trim()]).toEqual([
      1,
      `agreements: ${outsider}: not started: vc-uob may not start`,
    ]);
    const handle = stack.env.client.workflow.getHandle(workflowIdFor(outsider));
    const failure = (await handle.result().catch((error: unknown) => error)) as WorkflowFailedError;
    expect(failure.cause?.message).toBe('vc-uob may not start');
    expect(await stack.dependencies.records.history(outsider)).toEqual([]);

    // The CLI with the starter's token: started, and the audit trail says it was proven.
    const proper = uniqueId();
    expect((await as('partnerships', ['start', await agreementFile(document(proper))])).code).toBe(0);
    const rows = await eventually(async () => {
      const all = await historyOf(proper);
      return all.length > 0 ? all : undefined;
    });
    expect(rows[0]).toMatchObject({ type: 'started', actor: 'partnerships', actorProof: 'token:k1' });
  });
});
