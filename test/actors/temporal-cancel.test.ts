import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { issueActorToken } from '../../src/actors/actor-token.ts';
import { locateTemporalCli } from '../../src/local/devserver/temporal-cli.ts';
import { workflowIdFor } from '../../src/wire/contract.ts';
import { mou } from '../support/agreements.ts';
import { eventually, startTestStack, type TestStack } from '../support/worker.ts';

const KEY_ENTRY = `k1:${randomBytes(32).toString('base64')}`;
const ROLES = ['partnerships: [start, submit, cancel]', 'vc-uob: [sign]'];

/** A worker with actor keys and a roles file (with `extra` lines), and the partnerships office's token for it. */
async function stackWithRoles(extra: string[]): Promise<{ stack: TestStack; token: (actor: string) => string }> {
  const roles = join(await mkdtemp(join(tmpdir(), 'temporal-cancel-')), 'roles.yaml');
  await writeFile(roles, [...ROLES, ...extra].join('\n'));
  const stack = await startTestStack({ AGREEMENTS_ACTOR_KEYS: KEY_ENTRY, AGREEMENTS_ROLES: roles });
  const keyring = stack.config.actorKeys;
  if (keyring === undefined) throw new Error('the stack has no actor keys');
  return { stack, token: (actor) => issueActorToken(keyring, actor, Date.now() + 3_600_000) };
}

/** An MoU in signing, started and submitted by the partnerships office. */
async function mouInSigning(stack: TestStack, token: (actor: string) => string): Promise<string> {
  const id = `tcancel-${randomBytes(4).toString('hex')}`;
  await stack.client.start(mou(Date.now(), id), { actor: 'partnerships', actorToken: token('partnerships') });
  await stack.client.command(id, 'submit', { actor: 'partnerships' }, { actorToken: token('partnerships') });
  return id;
}

/** `temporal workflow cancel`, as anyone with access to the namespace runs it. */
async function cancelWithTemporalCli(id: string): Promise<void> {
  const temporal = await locateTemporalCli();
  if (!temporal) throw new Error('no Temporal CLI');
  const address = inject('temporalAddress');
  await promisify(execFile)(temporal, ['workflow', 'cancel', '--address', address, '--workflow-id', workflowIdFor(id)]);
}

const auditRows = (stack: TestStack, id: string, count: number) =>
  eventually(
    async () => {
      const rows = await stack.dependencies.records.history(id);
      return rows.length >= count ? rows : undefined;
    },
    30_000,
    `${count} audit rows for ${id}`,
  );

/**
 * The SDK flags recorded by the workflow task that took the cancel request: flag 1 must be decided there, the same live
 * and on replay (test/workflows/replay.test.ts; temporalCancelShield in src/workflows/agreement-lifecycle.ts).
 */
async function flagsOfCancelTask(stack: TestStack, id: string): Promise<number[]> {
  const events = (await stack.env.client.workflow.getHandle(workflowIdFor(id)).fetchHistory()).events ?? [];
  const requested = events.findIndex((event) => event.workflowExecutionCancelRequestedEventAttributes);
  expect(requested).toBeGreaterThan(0);
  const task = events.slice(requested).find((event) => event.workflowTaskCompletedEventAttributes);
  return task?.workflowTaskCompletedEventAttributes?.sdkMetadata?.langUsedFlags ?? [];
}

type KeyedStack = Awaited<ReturnType<typeof stackWithRoles>>;

/** A keyed stack for the tests of one describe block, started before them and stopped after. */
function keyedStackFor(extraRoles: string[]): { current: KeyedStack } {
  const holder = {} as { current: KeyedStack };
  beforeAll(async () => {
    holder.current = await stackWithRoles(extraRoles);
  });
  afterAll(async () => {
    await holder.current?.stack.stop();
  });
  return holder;
}

describe('a cancel requested in Temporal, with actor keys on and no opt-in', () => {
  const keyed = keyedStackFor([]);

  it('is recorded and told to the coordinators; the agreement stays in its stage and still takes commands', async () => {
    const { stack, token } = keyed.current;
    const id = await mouInSigning(stack, token);
    await cancelWithTemporalCli(id);

    // started, signing: then the request, on its own row, unverified.
    const trail = await auditRows(stack, id, 3);
    expect(trail.at(-1)).toMatchObject({
      type: 'temporal-cancel-requested',
      actor: 'temporal',
      actorProof: 'unverified',
      data: { refusal: expect.stringMatching(/names no verified actor.*temporal-cancel: allow/) as unknown },
    });
    expect((await stack.client.show(id)).stage).toBe('signing');
    const mail = await eventually(
      async () => {
        const rows = await stack.dependencies.records.sentMail(id);
        const told = rows.filter((row) => row.key.startsWith('temporal-cancel-refused:'));
        return told.length > 0 ? told : undefined;
      },
      30_000,
      'the mail to the coordinators',
    );
    expect(mail.map((row) => row.key.split(':')[2])).toEqual(['partnerships@uob.example']);

    // The run carries on: Temporal shows it running, and a proven command is applied.
    const handle = stack.env.client.workflow.getHandle(workflowIdFor(id));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const signed = await stack.client.command(
      id,
      'sign',
      { signatory: 'vc-uob', actor: 'vc-uob' },
      { actorToken: token('vc-uob') },
    );
    expect(signed.signatures.filter((s) => s.signedAt !== null).map((s) => s.signatory)).toEqual(['vc-uob']);
    const cancelled = await stack.client.command(
      id,
      'cancel',
      { reason: 'superseded', actor: 'partnerships' },
      { actorToken: token('partnerships') },
    );
    expect(cancelled.stage).toBe('cancelled');
    expect((await stack.client.result(id)).stage).toBe('cancelled');
  });

  it('handle.cancel() from an SDK is refused the same way', async () => {
    const { stack, token } = keyed.current;
    const id = await mouInSigning(stack, token);
    await stack.env.client.workflow.getHandle(workflowIdFor(id)).cancel();
    const trail = await auditRows(stack, id, 3);
    expect(trail.map((row) => row.type)).toEqual(['started', 'stage-changed', 'temporal-cancel-requested']);
    expect((await stack.client.show(id)).stage).toBe('signing');
    expect(await flagsOfCancelTask(stack, id)).toContain(1);
  });
});

describe('a cancel requested in Temporal where the roles file says temporal-cancel: allow', () => {
  const allowing = keyedStackFor(['temporal-cancel: allow']);

  it('cancels the agreement, recorded as actor temporal, unverified', async () => {
    const { stack, token } = allowing.current;
    const id = await mouInSigning(stack, token);
    await cancelWithTemporalCli(id);
    const final = await stack.client.result(id);
    expect(final).toMatchObject({ stage: 'cancelled', cancelReason: 'cancellation requested in Temporal' });
    const trail = await auditRows(stack, id, final.events);
    expect(trail.at(-1)).toMatchObject({
      type: 'stage-changed',
      actor: 'temporal',
      actorProof: 'unverified',
      data: { from: 'signing', to: 'cancelled' },
    });
    expect(trail.some((row) => row.type === 'temporal-cancel-requested')).toBe(false);
    expect(await flagsOfCancelTask(stack, id)).toContain(1);
  });
});
