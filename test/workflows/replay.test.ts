// Every history recorded under test/histories (scripts/record-histories.ts) replays against today's workflow code: a
// change that would break a recorded run fails here. A new history is replayed without editing this file; the shapes
// below say which kinds of run must keep one.
import { readdirSync, readFileSync } from 'node:fs';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { dataConverterFor } from '../../src/codec/data-converter.ts';
import { keyringFromEnvironment } from '../../src/keys/keyring.ts';
import { DIGEST_WORKFLOW_TYPE, WORKFLOW_TYPE } from '../../src/wire/contract.ts';
import { HISTORY_TEST_CODEC_KEYS } from '../support/history-codec-key.ts';

/** The little of a JSON history (as `historyToJSON` writes it) that this test reads. */
interface RecordedHistory {
  events: {
    workflowExecutionStartedEventAttributes?: {
      workflowType?: { name?: string };
      continuedExecutionRunId?: string;
      input?: { payloads?: { metadata?: Record<string, string> }[] };
    };
    workflowExecutionContinuedAsNewEventAttributes?: object;
    workflowExecutionCancelRequestedEventAttributes?: object;
    workflowTaskCompletedEventAttributes?: { sdkMetadata?: { langUsedFlags?: number[] } };
    workflowExecutionUpdateAcceptedEventAttributes?: { acceptedRequest?: { input?: { name?: string } } };
    activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
  }[];
}

const FOLDER = 'test/histories';
const recorded = readdirSync(FOLDER)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({ file, history: JSON.parse(readFileSync(`${FOLDER}/${file}`, 'utf8')) as RecordedHistory }));

const started = (history: RecordedHistory) => history.events[0]?.workflowExecutionStartedEventAttributes;
const workflowType = (history: RecordedHistory) => started(history)?.workflowType?.name;
const commands = (history: RecordedHistory) =>
  new Set(
    history.events.map((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name),
  );
const encoding = (history: RecordedHistory) => {
  const encoded = started(history)?.input?.payloads?.[0]?.metadata?.encoding;
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
};

/**
 * The SDK flags the workflow task that took a cancel requested in Temporal recorded (undefined without such a request):
 * the first task completed after the request.
 */
const flagsOfCancelTask = (history: RecordedHistory) => {
  const requested = history.events.findIndex((event) => event.workflowExecutionCancelRequestedEventAttributes);
  if (requested < 0) return undefined;
  const task = history.events.slice(requested).find((event) => event.workflowTaskCompletedEventAttributes);
  return task?.workflowTaskCompletedEventAttributes?.sdkMetadata?.langUsedFlags ?? [];
};

/** The kinds of run that must each keep a recorded history (one history may show several). */
const SHAPES: Record<string, (history: RecordedHistory) => boolean> = {
  'a programme from draft to completed': (history) =>
    ['sign', 'confirmFunding', 'enrol', 'complete'].every((name) => commands(history).has(name)),
  'approvals and obligations': (history) => commands(history).has('approve') && commands(history).has('fulfil'),
  'a cancel command': (history) => commands(history).has('cancel'),
  'a cancellation requested in Temporal': (history) =>
    history.events.some((event) => event.workflowExecutionCancelRequestedEventAttributes),
  // With actor keys on and no opt-in: the run records the request and goes on taking commands.
  'a cancellation requested in Temporal that the workers refused': (history) =>
    history.events.some(
      (event, index) =>
        event.workflowExecutionCancelRequestedEventAttributes &&
        history.events.slice(index).some((later) => later.workflowExecutionUpdateAcceptedEventAttributes),
    ),
  'a run that continued as new': (history) =>
    history.events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes !== undefined,
  'a run started from the state the previous one carried': (history) =>
    started(history)?.continuedExecutionRunId !== undefined,
  'encrypted payloads (AES-GCM codec)': (history) => encoding(history) === 'binary/encrypted',
  'the weekly digest': (history) => workflowType(history) === DIGEST_WORKFLOW_TYPE,
};

// The encrypted history was recorded under the test-only key; the codec passes clear payloads through unchanged.
const options: ReplayWorkerOptions = {
  workflowBundle: { code: inject('workflowBundleCode') },
  dataConverter: dataConverterFor(keyringFromEnvironment({ AGREEMENTS_CODEC_KEYS: HISTORY_TEST_CODEC_KEYS })),
};

describe('recorded histories replay against the current workflow code', () => {
  it.each(Object.entries(SHAPES))('has a recorded history of %s', (_shape, shows) => {
    expect(recorded.filter(({ history }) => shows(history)).map(({ file }) => file)).not.toEqual([]);
  });

  it.each(recorded.map(({ file, history }) => [file, history] as const))(
    '%s is a run of the workflow type its name says',
    (file, history) => {
      expect(workflowType(history)).toBe(file.startsWith('digest-') ? DIGEST_WORKFLOW_TYPE : WORKFLOW_TYPE);
    },
  );

  // Flag 1 (NonCancellableScopesAreShieldedFromPropagation) decides whether a cancel goes on into scopes made inside a
  // non-cancellable scope it reached; a replay counts it only from the task that recorded it. Decided first in a later
  // task live than on replay (a timer after a local activity's result), a refused cancel completed the workflow on
  // replay (temporalCancelShield, src/workflows/agreement-lifecycle.ts): the workflow decides it when the cancel comes.
  it.each(
    recorded
      .filter(({ history }) => flagsOfCancelTask(history) !== undefined)
      .map(({ file, history }) => [file, history] as const),
  )('%s records SDK flag 1 in the task that took the cancel request', (_file, history) => {
    expect(flagsOfCancelTask(history)).toContain(1);
  });

  it('replays every recorded history without a non-determinism error', async () => {
    const replayed: string[] = [];
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      options,
      recorded.map(({ file, history }) => ({ workflowId: file, history })),
    )) {
      replayed.push(result.workflowId);
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed.sort()).toEqual(recorded.map(({ file }) => file));
  });

  it('fails a history the code no longer matches (an activity renamed in it)', async () => {
    const { history } = recorded.find(({ file }) => file === 'phd-programme-full-lifecycle.json') ?? {};
    const tampered = structuredClone(history) as RecordedHistory;
    const scheduled = tampered.events.find(
      (event) => event.activityTaskScheduledEventAttributes,
    )?.activityTaskScheduledEventAttributes;
    expect(scheduled?.activityType?.name).toBeDefined();
    scheduled!.activityType = { name: 'notAnActivityOfTodaysCode' };
    await expect(Worker.runReplayHistory(options, tampered, 'tampered')).rejects.toMatchObject({
      name: 'DeterminismViolationError',
    });
  });
});
