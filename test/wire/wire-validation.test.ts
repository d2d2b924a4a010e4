import { randomBytes } from 'node:crypto';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAgreement, parseCommand } from '../../src/domain/index.ts';
import { WORKFLOW_TYPE, workflowIdFor } from '../../src/wire/contract.ts';
import { phdProgramme } from '../support/agreements.ts';
import { startTestStack, type TestStack } from '../support/worker.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('an agreement started over the wire contract, without the client', () => {
  it('is validated again by the workflow: a bad document fails the workflow with the field named, and sends nothing', async () => {
    const id = `wire-${randomBytes(4).toString('hex')}`;
    const document = {
      ...phdProgramme(Date.now(), {}, { id }),
      coordinators: [{ name: 'Partnerships Office', email: 'not-an-address' }],
    };
    const handle = await stack.env.client.workflow.start(WORKFLOW_TYPE, {
      workflowId: workflowIdFor(id),
      taskQueue: stack.taskQueue,
      args: [document],
    });
    const failure = await handle.result().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(String((failure as WorkflowFailedError).cause?.message)).toContain(
      'coordinators[0].email: must be an email address',
    );
    expect(await stack.dependencies.records.sentMail(id)).toEqual([]);
  });

  it("checks who started it (the optional second argument) like a command's actor", async () => {
    const id = `wire-${randomBytes(4).toString('hex')}`;
    const args = [phdProgramme(Date.now(), {}, { id }), { actor: 'Dr Jane\nSmith' }];
    const handle = await stack.env.client.workflow.start(WORKFLOW_TYPE, {
      workflowId: workflowIdFor(id),
      taskQueue: stack.taskQueue,
      args,
    });
    const failure = await handle.result().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toBe(
      'actor: must not contain line breaks or control characters',
    );
    expect(await stack.dependencies.records.sentMail(id)).toEqual([]);
  });

  it('takes null for the optional second argument, as a caller in another language may send', async () => {
    const id = `wire-${randomBytes(4).toString('hex')}`;
    const args = [phdProgramme(Date.now(), {}, { id }), null];
    const handle = await stack.env.client.workflow.start(WORKFLOW_TYPE, {
      workflowId: workflowIdFor(id),
      taskQueue: stack.taskQueue,
      args,
    });
    // The start is applied once its first task has authorised it; a query may come in while it authorises.
    await vi.waitFor(
      async () =>
        expect(await handle.query<{ stage: string; events: number }>('state')).toMatchObject({
          stage: 'draft',
          events: 1,
        }),
      { timeout: 15_000, interval: 50 },
    );
    await handle.terminate('test over');
  });

  it('rejects in the workflow exactly what the client rejects (the bundled validation is the same as in Node)', async () => {
    const base = (id: string) => phdProgramme(Date.now(), {}, { id });
    const cases: [string, (id: string) => Record<string, unknown>][] = [
      [
        'signatory email',
        (id) => ({ ...base(id), signatories: [{ id: 'vc-uob', name: 'A', party: 'uob', email: 'vc at uob' }] }),
      ],
      [
        'unknown timezone',
        (id) => ({
          ...base(id),
          parties: [
            { id: 'uob', name: 'UoB', timezone: 'Europe/Birmingham' },
            { id: 'jitri', name: 'JITRI', timezone: 'Asia/Shanghai' },
          ],
        }),
      ],
      [
        'negative amount',
        (id) => ({
          ...base(id),
          funding: {
            currency: 'GBP',
            commitments: [{ id: 'c', funder: 'uob', amount: -5, contact: { name: 'F', email: 'f@uob.example' } }],
          },
        }),
      ],
      ['unknown key', (id) => ({ ...base(id), budget: 1 })],
      [
        'instant without offset',
        (id) => ({ ...base(id), ceremony: { at: '2027-01-01T10:00:00', venue: 'Nanjing', timezone: 'Asia/Shanghai' } }),
      ],
    ];
    for (const [what, make] of cases) {
      const id = `wire-${randomBytes(4).toString('hex')}`;
      const document = make(id);
      const expected = parseAgreement(document);
      expect(expected.ok, what).toBe(false);
      const handle = await stack.env.client.workflow.start(WORKFLOW_TYPE, {
        workflowId: workflowIdFor(id),
        taskQueue: stack.taskQueue,
        args: [document],
      });
      const failure = await handle.result().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure, what).toBeInstanceOf(WorkflowFailedError);
      expect((failure as WorkflowFailedError).cause?.message, what).toBe(expected.ok ? '' : expected.errors.join('; '));
    }
  });

  it("rejects an update's bad email in the workflow's validator, with the client's message, and records nothing", async () => {
    const id = `wire-${randomBytes(4).toString('hex')}`;
    const handle = await stack.env.client.workflow.start(WORKFLOW_TYPE, {
      workflowId: workflowIdFor(id),
      taskQueue: stack.taskQueue,
      args: [phdProgramme(Date.now(), {}, { id })],
    });
    const args = { name: 'Li Wei', email: 'li.wei at jitri' };
    const expected = parseCommand('enrol', args);
    expect(expected.ok).toBe(false);
    const failure = await handle.executeUpdate('enrol', { args: [args] }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((failure as WorkflowUpdateFailedError).cause?.message).toBe(expected.ok ? '' : expected.errors.join('; '));
    expect((await stack.client.show(id)).events).toBe(1);
  });
});
