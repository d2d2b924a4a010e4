import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  makeContinueAsNewFunc,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import {
  COMMAND_NAMES,
  digestSnapshot,
  durationFromText,
  initialState,
  parseAgreement,
  parseCarried,
  parseStartOptions,
  type AgreementView,
  type CarriedState,
  type CommandName,
  type CommandProof,
  type StartOptions,
} from '../domain/index.ts';
import { AgreementEntity } from './agreement-entity.ts';
import { refusePlaintext } from './refuse-plaintext.ts';
import type { ActorActivities } from '../ports/activities.ts';
import { digestQuery, stateQuery, updates, upgradeUpdate } from '../wire/contract.ts';

import { DEFAULT_DELIVERY_GIVE_UP_AFTER_MS } from './outbox.ts';

export type { CarriedState } from '../domain/index.ts';

/**
 * The worker's actor check: a local activity, so the keys and roles stay on the worker, only its verdict is recorded,
 * and a command costs no round trip to the server for it (one marker event).
 */
/** The actor a start that names none records (as `initialState` does). */
const DEFAULT_START_ACTOR = 'coordinator';

const actors = proxyLocalActivities<ActorActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

export interface LifecycleOptions extends StartOptions {
  /** Only from this workflow's own continue-as-new: a run started with it otherwise is refused (see `resume`). */
  carried?: CarriedState;
  /** The starter's actor proof, made over the agreement document (required when the workers hold actor keys). */
  proof?: CommandProof;
  /** Continue as new once the history reaches this many events (Temporal's own suggestion applies regardless). */
  continueAsNewAfterEvents?: number;
  /** How long a mail is retried before it is reported undeliverable (`30s`, `P2D`); two days if absent. */
  deliveryGiveUpAfter?: string;
}

/**
 * One partnership agreement, from draft to completed or cancelled. Commands arrive as Updates and are judged by the
 * pure decider; accepted events change the state and queue their records and mail; between commands the workflow
 * sleeps until the next planned moment (a reminder, the launch date, the end of term).
 */
export async function agreementLifecycle(document: unknown, given?: LifecycleOptions | null): Promise<AgreementView> {
  // First, before anything is recorded: with encryption required, a start sent in clear is refused.
  refusePlaintext(document, given);
  // The second argument is optional on the wire contract: a caller in another language may send null.
  const options: LifecycleOptions = typeof given === 'object' && given !== null ? given : {};
  // Made in the first activation, before any cancel can have reached the root scope (see temporalCancelShield).
  const temporalCancel = temporalCancelShield();
  const { agreement, ready } = startOrResume(document, options);
  // Handlers are set in the first activation (an Update sent with the start would otherwise be rejected for want of
  // one); they wait until the start is authorised and applied.
  handleCommands(agreement, ready, temporalCancel.shielded);
  await ready;
  // Deliveries outlive a cancellation request: it may end the agreement, and the records and mail of that must still go.
  const delivering = temporalCancel.shielded.run(() => agreement.outbox.run());

  const continueDue = () => continueAsNewDue(options);
  await temporalCancel.shielded.run(async () => {
    await untilEndOrContinueAsNew(agreement, () => continueDue() || temporalCancel.requested());
    if (!temporalCancel.requested() || agreement.isFinal) return;
    const cancelled = await agreement.cancelRequestedInTemporal(actors.authorizeCommand);
    if (!cancelled) await untilEndOrContinueAsNew(agreement, continueDue);
  });

  return temporalCancel.shielded.run(async () => {
    await condition(() => allHandlersFinished() && agreement.outbox.idle);
    agreement.outbox.stop();
    await delivering;
    if (!agreement.isFinal) {
      // The next run starts on the Worker Deployment's current build (a pinned run's next run would otherwise stay on
      // this one): at this quiet point the carried state is all that passes, so no history ever holds two builds' code
      // (spec §19). Temporal ignores it for an unversioned worker.
      const continueOnCurrentBuild = makeContinueAsNewFunc<typeof agreementLifecycle>({
        initialVersioningBehavior: 'AUTO_UPGRADE',
      });
      await continueOnCurrentBuild(agreement.document, {
        carried: agreement.carried(),
        continueAsNewAfterEvents: options.continueAsNewAfterEvents,
        deliveryGiveUpAfter: options.deliveryGiveUpAfter,
      });
    }
    return agreement.view();
  });
}

/**
 * A new agreement, validated, then authorised and started (`ready`); or the one a previous run carried over. A start is
 * authorised as a command is (the local activity checks the actor's proof and roles): refused, `ready` fails the
 * workflow, non-retryable, before any event, record or mail.
 */
function startOrResume(
  document: unknown,
  options: LifecycleOptions,
): { agreement: AgreementEntity; ready: Promise<void> } {
  const giveUpAfterMs = deliveryGiveUpAfterMs(options.deliveryGiveUpAfter);
  if (options.carried !== undefined && options.carried !== null) {
    const carried = resume(options.carried);
    const agreement = new AgreementEntity(carried.state, carried.appliedRequestIds, giveUpAfterMs);
    agreement.publish();
    return { agreement, ready: Promise.resolve() };
  }
  const parsed = parseAgreement(document);
  if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.errors.join('; '), 'InvalidAgreement');
  const how = parseStartOptions({ actor: options.actor });
  if (!how.ok) throw ApplicationFailure.nonRetryable(how.errors.join('; '), 'InvalidAgreement');
  const start = initialState(document as Record<string, unknown>, parsed.value, Date.now(), how.value.actor);
  const agreement = new AgreementEntity(start.state, [], giveUpAfterMs);
  const { workflowId } = workflowInfo();
  const ready = actors
    .authorizeCommand({
      workflowId,
      command: 'start',
      // One start per workflow id: the proof is bound to it and to the document.
      requestId: workflowId,
      args: document,
      actor: how.value.actor ?? DEFAULT_START_ACTOR,
      proof: options.proof,
    })
    .then((authorization) => {
      if (!authorization.ok) throw ApplicationFailure.nonRetryable(authorization.reason, 'ActorRefused');
      agreement.apply(start.events.map((event) => ({ ...event, actorProof: authorization.actorProof })));
    });
  return { agreement, ready };
}

/**
 * The state a previous run carried, accepted only from this workflow's own continue-as-new: anyone who can start a
 * workflow in the namespace could otherwise start an agreement already signed and funded. A retry or a cron run also
 * names the run it follows but repeats the first run's input, so only a first attempt without a cron schedule counts.
 * Refused before any event, record or mail; non-retryable, so no retry run follows.
 */
function resume(given: unknown): CarriedState {
  const info = workflowInfo();
  const continued = info.continuedFromExecutionRunId !== undefined && info.attempt === 1 && !info.cronSchedule;
  const parsed = parseCarried(given);
  const errors = [
    ...(continued ? [] : ['carried: a carried state is accepted only from a continue-as-new of this agreement']),
    ...(parsed.ok ? [] : parsed.errors),
  ];
  if (!parsed.ok || errors.length > 0) throw ApplicationFailure.nonRetryable(errors.join('; '), 'InvalidAgreement');
  return parsed.value;
}

function deliveryGiveUpAfterMs(text: unknown): number {
  if (text === undefined || text === null) return DEFAULT_DELIVERY_GIVE_UP_AFTER_MS;
  const ms = typeof text === 'string' ? durationFromText(text)?.ms : undefined;
  if (ms === undefined) {
    throw ApplicationFailure.nonRetryable(
      `deliveryGiveUpAfter: not a duration (got ${JSON.stringify(text)})`,
      'InvalidAgreement',
    );
  }
  return ms;
}

function handleCommands(agreement: AgreementEntity, ready: Promise<void>, shielded: CancellationScope): void {
  for (const name of COMMAND_NAMES) handleCommand(agreement, name, ready, shielded);
  setHandler(upgradeUpdate, () => {
    const info = workflowInfo();
    return { buildId: info.currentDeploymentVersion?.buildId, moving: info.targetWorkerDeploymentVersionChanged };
  });
  setHandler(stateQuery, () => agreement.view());
  setHandler(digestQuery, () => digestSnapshot(agreement.carried().state, Date.now()));
}

function handleCommand(
  agreement: AgreementEntity,
  name: CommandName,
  ready: Promise<void>,
  shielded: CancellationScope,
): void {
  // Arguments are what a caller sent, of any language: the entity parses them.
  const update: UpdateDefinition<AgreementView, [unknown], CommandName> = updates[name];
  // Shielded from a cancel requested in Temporal: one the workers refused leaves the agreement taking commands.
  const execute = (args: unknown) => {
    const requestId = updateId();
    return shielded.run(async () => {
      await ready;
      return agreement.execute(name, args, requestId, actors.authorizeCommand);
    });
  };
  setHandler(update, execute, {
    validator: (args) => {
      // Refused before the Update is accepted: nothing enters history. Always one argument ({} for none), so that
      // with encryption required a command without an encrypted argument cannot pass either.
      refusePlaintext(args);
      if (args === undefined)
        throw ApplicationFailure.nonRetryable(
          `${name}: a command takes one argument, its options as an object ({} for none)`,
          'InvalidCommand',
        );
      agreement.validate(name, args, updateId());
    },
  });
}

/** The id of the Update being handled: the command's request id, by which a retried command applies once. */
function updateId(): string {
  const info = currentUpdateInfo();
  // Set for every Update's validator and handler; only a call from elsewhere lacks it.
  if (info === undefined) throw new Error('updateId() called outside an Update handler');
  return info.id;
}

/**
 * A cancel requested in Temporal (the UI's Cancel, `temporal workflow cancel`) cancels the workflow's root scope. The
 * agreement does not end on it unless the workers allow it: the main loop sees `requested()` and asks them. Everything
 * that must outlive the request (the loop, the handlers, the deliveries) runs in `shielded`, a non-cancellable scope
 * inside another one, both made in the first activation, so that the request never reaches it.
 *
 * Why two: a non-cancellable scope that a cancel has reached passes it on to a scope made inside it later (a timer of
 * `condition(fn, timeout)`) only if the SDK's flag 1 (NonCancellableScopesAreShieldedFromPropagation) is off, and the
 * SDK decides that the first time it asks, recording the flag in that workflow task. On replay the flag counts only
 * from the task that recorded it, but a local activity's result is replayed in the task that recorded its marker,
 * which may be earlier than the task in which the live run got it. A scope made after a local activity (as the timer
 * after the actor check in the catch of a cancellation was) then asked first in a later task live than on replay:
 * replay saw the flag off, cancelled the timer's scope and completed the workflow as cancelled, where the live run had
 * started a timer (a non-determinism error, "Cancel workflow machine does not handle this event: TimerStarted").
 * Here the inner scope exists before the cancel, so the SDK asks once, when the cancel reaches the outer one: in the
 * task that delivers the cancel, the same live and on replay; and `shielded` is never reached, so nothing made in it
 * later asks again.
 */
function temporalCancelShield(): { shielded: CancellationScope; requested: () => boolean } {
  let requested = false;
  const outer = new CancellationScope({ cancellable: false });
  void outer.cancelRequested.catch(() => {
    requested = true;
  });
  const shielded = new CancellationScope({ cancellable: false, parent: outer });
  return { shielded, requested: () => requested };
}

/** Performs what the plan says is due, then sleeps until the next planned moment or until the plan moves. */
async function untilEndOrContinueAsNew(agreement: AgreementEntity, continueAsNewDue: () => boolean): Promise<void> {
  while (!agreement.isFinal && !continueAsNewDue()) {
    const now = Date.now();
    const { due, nextAt } = agreement.due(now);
    if (due.length > 0) {
      agreement.perform(due);
      continue;
    }
    const watched = agreement.version;
    if (nextAt === undefined) {
      await condition(() => agreement.version !== watched || continueAsNewDue());
      continue;
    }
    const replanned = () => agreement.version !== watched && (agreement.isFinal || agreement.next()?.at !== nextAt);
    const summary = agreement.next()?.summary ?? 'next planned action';
    await condition(() => replanned() || continueAsNewDue(), nextAt - now, { summary });
  }
}

/** A long history, or another build made current (then this pinned run moves onto it by continuing as new). */
function continueAsNewDue(options: LifecycleOptions): boolean {
  const info = workflowInfo();
  const limit = options.continueAsNewAfterEvents;
  return (
    info.continueAsNewSuggested ||
    info.targetWorkerDeploymentVersionChanged ||
    (limit !== undefined && info.historyLength >= limit)
  );
}
