import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { locateTemporalCli } from '../../src/local/devserver/temporal-cli.ts';
import { mou } from '../support/agreements.ts';
import { forgedCarriedState } from '../support/forged.ts';
import { WORKFLOW_TYPE, workflowIdFor } from '../../src/wire/contract.ts';
import { startTestStack, type TestStack } from '../support/worker.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('a carried state not from a continue-as-new', () => {
  it('started with the stock temporal CLI fails the workflow before any event, record or mail', async () => {
    const id = `forged-${randomBytes(4).toString('hex')}`;
    const temporal = await locateTemporalCli();
    if (!temporal) throw new Error('no Temporal CLI');
    await promisify(execFile)(temporal, [
      'workflow',
      'start',
      '--address',
      inject('temporalAddress'),
      '--type',
      WORKFLOW_TYPE,
      '--task-queue',
      stack.taskQueue,
      '--workflow-id',
      workflowIdFor(id),
      '--input',
      JSON.stringify(mou(Date.now(), id)),
      '--input',
      JSON.stringify({ carried: forgedCarriedState(id) }),
    ]);

    const handle = stack.env.client.workflow.getHandle(workflowIdFor(id));
    const failure = await handle.result().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause?.message).toBe('carried: a carried state is accepted only from a continue-as-new of this agreement');
    expect((cause as { nonRetryable?: boolean }).nonRetryable).toBe(true);

    // Nothing happened on its behalf: no activity, no marker (actor check), no search attribute, no record.
    const history = await handle.fetchHistory();
    const kinds = (history.events ?? []).map((event) => Object.keys(event).find((key) => key.endsWith('Attributes')));
    expect(kinds).toEqual([
      'workflowExecutionStartedEventAttributes',
      'workflowTaskScheduledEventAttributes',
      'workflowTaskStartedEventAttributes',
      'workflowTaskCompletedEventAttributes',
      'workflowExecutionFailedEventAttributes',
    ]);
    expect(await stack.dependencies.records.history(id)).toEqual([]);
    expect((await stack.dependencies.records.register()).filter((row) => row.id === id)).toEqual([]);
    expect(await stack.dependencies.records.sentMail(id)).toEqual([]);
  });

  it('a carried state offered through the typed client is refused the same way', async () => {
    const id = `forged-${randomBytes(4).toString('hex')}`;
    const handle = await stack.env.client.workflow.start(WORKFLOW_TYPE, {
      workflowId: workflowIdFor(id),
      taskQueue: stack.taskQueue,
      args: [mou(Date.now(), id), { carried: { state: { stage: 'active' } } }],
    });
    const failure = (await handle.result().catch((error: unknown) => error)) as WorkflowFailedError;
    expect(failure.cause?.message).toMatch(
      /^carried: a carried state is accepted only from a continue-as-new of this agreement; carried\.state\./,
    );
    expect(await stack.dependencies.records.history(id)).toEqual([]);
  });
});
