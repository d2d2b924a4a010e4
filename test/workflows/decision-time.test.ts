// A command is decided as of the moment its Update was accepted, not when the actor check (a local activity) returns:
// a replay runs no validator, so a decision kept from the validator and one made after the check must be the same.
// The soak once wedged an agreement on this: the last signature, checked slowly, started funding 105 ms later on replay
// than in the first run, a funding chase fell due on one side of a workflow task and not the other, and the replay
// failed with "Timer machine does not handle this event: UpsertWorkflowSearchAttributes".
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { workflowIdFor } from '../../src/wire/contract.ts';
import { phdProgramme } from '../support/agreements.ts';
import { eventually, startTestStack, type TestStack } from '../support/worker.ts';

/** Longer than the funding chase's interval: the first chase is due by the time the slow check returns. */
const SLOW_CHECK_MS = 1_500;
let slowCommand: string | undefined;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack(
    {},
    {
      actorActivities: (real) => ({
        async authorizeCommand(input) {
          if (input.command === slowCommand) await sleep(SLOW_CHECK_MS);
          return real.authorizeCommand(input);
        },
      }),
    },
  );
});
afterAll(async () => {
  await stack?.stop();
});

describe('a command whose actor check takes a while', () => {
  it('is decided as of its acceptance, so its run replays', async () => {
    const id = `slow-check-${randomBytes(4).toString('hex')}`;
    const { client } = stack;
    await client.start({
      ...phdProgramme(Date.now(), { ceremonyInMs: 60_000 }),
      id,
      reminders: { fundingChase: { every: 'PT1S', escalateAfter: 10 } },
    });
    await client.command(id, 'submit', {});
    await client.command(id, 'sign', { signatory: 'vc-uob' });
    // The last signature starts funding; its check returns after the first funding chase (1 s in) is due.
    slowCommand = 'sign';
    const accepted = Date.now();
    const funding = await client.command(id, 'sign', { signatory: 'president-jitri' });
    slowCommand = undefined;
    expect(funding.stage).toBe('funding');
    expect(Date.now() - accepted).toBeGreaterThanOrEqual(SLOW_CHECK_MS);

    // Funding was entered when the command was accepted, not when its check returned.
    const handle = stack.env.client.workflow.getHandle(workflowIdFor(id));
    const stageChanged = await eventually(async () => {
      const rows = await stack.dependencies.records.history(id);
      return rows.find((row) => row.data.type === 'stage-changed' && row.data.to === 'funding');
    });
    expect(Date.parse(stageChanged.at)).toBeLessThan(accepted + SLOW_CHECK_MS);

    await client.command(id, 'cancel', { reason: 'done' });
    await client.result(id);
    const history = await handle.fetchHistory();
    await expect(
      Worker.runReplayHistory({ workflowBundle: { code: inject('workflowBundleCode') } }, history, id),
    ).resolves.toBeUndefined();
  });
});
