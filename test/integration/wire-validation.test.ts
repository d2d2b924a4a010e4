import { randomBytes } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TYPE, workflowIdFor } from '../../src/workflows/definitions.ts';
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
    const document = { ...phdProgramme(Date.now(), {}, { id }), coordinators: [{ name: 'Partnerships Office', email: 'not-an-address' }] };
    const handle = await stack.env.client.workflow.start(WORKFLOW_TYPE, { workflowId: workflowIdFor(id), taskQueue: stack.taskQueue, args: [document] });
    const failure = await handle.result().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(String((failure as WorkflowFailedError).cause?.message)).toContain('coordinators[0].email: must be an email address');
    expect(await stack.dependencies.records.sentMail(id)).toEqual([]);
  });
});
