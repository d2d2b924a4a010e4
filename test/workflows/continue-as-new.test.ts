import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgreementView } from '../../src/domain/index.ts';
import { WORKFLOW_TYPE, workflowIdFor } from '../../src/wire/contract.ts';
import { phdProgramme } from '../support/agreements.ts';
import { eventually, startTestStack, type TestStack } from '../support/worker.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('continue-as-new', () => {
  it('carries the whole state and the applied request ids into the next run', async () => {
    const id = `can-${randomBytes(4).toString('hex')}`;
    const { client } = stack;
    const handle = await stack.env.client.workflow.start(WORKFLOW_TYPE, {
      workflowId: workflowIdFor(id),
      taskQueue: stack.taskQueue,
      // A tiny history limit forces several continue-as-new hops within one lifecycle.
      args: [{ ...phdProgramme(Date.now()), id }, { continueAsNewAfterEvents: 30 }],
    });
    const firstRun = handle.firstExecutionRunId;
    await client.command(id, 'submit', {});
    await client.command(id, 'sign', { signatory: 'vc-uob' }, { requestId: 'sign-vc' });
    await client.command(id, 'sign', { signatory: 'president-jitri' });
    await client.command(id, 'confirmFunding', { commitment: 'jitri-phd', amount: 1000 }, { requestId: 'tranche-1' });
    for (let i = 0; i < 4; i++) await client.command(id, 'confirmFunding', { commitment: 'jitri-phd', amount: 1000 });

    const afterHop = await eventually(
      async () => {
        const description = await stack.env.client.workflow.getHandle(workflowIdFor(id)).describe();
        return description.runId !== firstRun ? description : undefined;
      },
      30_000,
      'a continue-as-new',
    );
    expect(afterHop.runId).not.toBe(firstRun);

    const view: AgreementView = await client.show(id);
    expect(view.stage).toBe('funding');
    // The new run has no static summary (continue-as-new cannot carry one): its current details name the agreement.
    const metadata = await stack.env.client.workflow
      .getHandle(workflowIdFor(id))
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails?.split('\n')[0]).toBe(`- **Agreement:** ${view.title}`);
    expect(view.signatures.every((s) => s.signedAt !== null)).toBe(true);
    expect(view.funding?.commitments.find((c) => c.id === 'jitri-phd')?.confirmed).toBe(5000);

    // A command retried after the hop, with the request id it had before, still applies once.
    const retried = await client.command(
      id,
      'confirmFunding',
      { commitment: 'jitri-phd', amount: 1000 },
      { requestId: 'tranche-1' },
    );
    expect(retried.funding?.commitments.find((c) => c.id === 'jitri-phd')?.confirmed).toBe(5000);
    expect(retried.events).toBe(view.events);

    await client.command(id, 'confirmFunding', { commitment: 'jitri-phd', amount: 1345000 });
    await client.command(id, 'confirmFunding', { commitment: 'uob-phd', amount: 1350000 });
    await client.command(id, 'enrol', {
      candidates: [
        { name: 'A', email: 'a@x.example' },
        { name: 'B', email: 'b@x.example' },
      ],
    });
    await client.command(id, 'launch', {});
    await client.command(id, 'complete', {});
    const final = await client.result(id);
    expect(final.stage).toBe('completed');
    const trail = await eventually(async () => {
      const rows = await stack.dependencies.records.history(id);
      return rows.length >= final.events ? rows : undefined;
    });
    expect(trail.map((row) => row.sequence)).toEqual(Array.from({ length: final.events }, (_, i) => i + 1));
  });
});
