import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  defineUpdate,
  isCancellation,
  log,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  agreementFacts,
  agreementView,
  COMMAND_NAMES,
  decide,
  deliveryFailureReport,
  dueActions,
  durationFromText,
  evolve,
  factsFromView,
  initialState,
  isFinal,
  markNotified,
  notificationsForEvent,
  parseAgreement,
  parseCommand,
  parseStartOptions,
  plan,
  registerRow,
  type AgreementEvent,
  type AgreementState,
  type AgreementView,
  type Command,
  type PlannedAction,
  type StartOptions,
  type TimedCommand,
} from '../domain/index.ts';
import { stateQuery } from './definitions.ts';
import { DEFAULT_DELIVERY_GIVE_UP_AFTER_MS, Outbox } from './outbox.ts';
import { publishVisibility } from './visibility.ts';

/** What a run hands to the next one when it continues as new. */
export interface CarriedState {
  state: AgreementState;
  appliedRequestIds: string[];
}

export interface LifecycleOptions extends StartOptions {
  carried?: CarriedState;
  /** Continue as new once the history reaches this many events (Temporal's own suggestion applies regardless). */
  continueAsNewAfterEvents?: number;
  /** How long a mail is retried before it is reported undeliverable (`30s`, `P2D`); two days if absent. */
  deliveryGiveUpAfter?: string;
}

const REMEMBERED_REQUEST_IDS = 1_000;

/**
 * One partnership agreement, from draft to completed or cancelled. Commands arrive as Updates and are judged by the
 * pure decider; the workflow applies the accepted events, hands their side effects to the outbox, and sleeps until
 * the next planned moment (a reminder, the launch date, the end of term), re-planning whenever the state changes.
 */
export async function agreementLifecycle(document: unknown, given?: LifecycleOptions | null): Promise<AgreementView> {
  // The second argument is optional on the wire contract: a caller in another language may send null.
  const options: LifecycleOptions = typeof given === 'object' && given !== null ? given : {};
  let state: AgreementState;
  let firstEvents: AgreementEvent[] | undefined;
  let version = 0;
  const appliedRequestIds = options.carried?.appliedRequestIds ?? [];
  const applied = new Set(appliedRequestIds);

  if (options.carried) {
    state = options.carried.state;
  } else {
    const parsed = parseAgreement(document);
    if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.errors.join('; '), 'InvalidAgreement');
    const how = parseStartOptions({ actor: options.actor });
    if (!how.ok) throw ApplicationFailure.nonRetryable(how.errors.join('; '), 'InvalidAgreement');
    const start = initialState(document as Record<string, unknown>, parsed.value, Date.now(), how.value.actor);
    state = start.state;
    firstEvents = start.events;
  }
  const giveUpText = options.deliveryGiveUpAfter;
  const giveUpAfter =
    giveUpText === undefined
      ? DEFAULT_DELIVERY_GIVE_UP_AFTER_MS
      : typeof giveUpText === 'string'
        ? durationFromText(giveUpText)?.ms
        : undefined;
  if (giveUpAfter === undefined) {
    throw ApplicationFailure.nonRetryable(
      `deliveryGiveUpAfter: not a duration (got ${JSON.stringify(options.deliveryGiveUpAfter)})`,
      'InvalidAgreement',
    );
  }
  const outbox = new Outbox(
    state.agreement.id,
    (failed, reason) => outbox.notify(deliveryFailureReport(state, failed, reason), agreementFacts(state)),
    giveUpAfter,
  );

  /** Applies accepted events and queues their effects; returns the new view, which the update also answers with. */
  function accept(events: AgreementEvent[]): AgreementView {
    const first = state.eventCount + 1;
    const notifications = events.flatMap((event) => {
      state = evolve(state, [event]);
      return notificationsForEvent(state, event);
    });
    outbox.record(
      events.map((event, index) => ({ sequence: first + index, event })),
      registerRow(state),
    );
    const view = agreementView(state);
    if (notifications.length > 0) outbox.notify(notifications, factsFromView(view));
    changed();
    return view;
  }

  function changed(): void {
    version++;
    publishVisibility(state);
  }

  function commandFrom(name: string, args: unknown): Command {
    const parsed = parseCommand(name, args);
    if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.errors.join('; '), 'InvalidCommand');
    return parsed.value;
  }

  function judge(command: Command | TimedCommand): AgreementEvent[] {
    const decision = decide(state, command, Date.now());
    if (!decision.ok) throw ApplicationFailure.nonRetryable(decision.errors.join('; '), 'CommandRejected');
    return decision.value;
  }

  /**
   * The validator's verdict, for the handler that runs next for the same update: deciding twice is wasted work. On
   * replay validators do not run, and the handler decides on the same state at the same time, so the result is the same.
   */
  let validated: { updateId: string; on: AgreementState; events: AgreementEvent[] } | undefined;

  function validate(name: string, args: unknown): void {
    const events = judge(commandFrom(name, args));
    const updateId = currentUpdateInfo()?.id;
    validated = updateId === undefined ? undefined : { updateId, on: state, events };
  }

  function decided(name: string, args: unknown): AgreementEvent[] {
    const verdict = validated;
    validated = undefined;
    if (verdict && verdict.updateId === currentUpdateInfo()?.id && verdict.on === state) return verdict.events;
    return judge(commandFrom(name, args));
  }

  /** A retried command (same request id) after continue-as-new: Temporal's own dedupe covers one run only. */
  const isRepeat = () => {
    const id = currentUpdateInfo()?.id;
    return id !== undefined && applied.has(id);
  };

  function remember(): void {
    const id = currentUpdateInfo()?.id;
    if (id === undefined) return;
    applied.add(id);
    appliedRequestIds.push(id);
    if (appliedRequestIds.length > REMEMBERED_REQUEST_IDS) applied.delete(appliedRequestIds.shift() ?? '');
  }

  // The start is recorded before any update that arrived with it: setHandler runs an update buffered in the first
  // workflow task at once (a client that submits right after starting), which numbered its events before `started`.
  // Agreements whose first task ran in that order replay it.
  const startBeforeUpdates = firstEvents !== undefined && patched('start-before-buffered-updates');
  if (startBeforeUpdates && firstEvents) accept(firstEvents);

  for (const name of COMMAND_NAMES) {
    setHandler(
      defineUpdate<AgreementView, [unknown]>(name),
      (args) => {
        if (isRepeat()) return agreementView(state);
        const view = accept(decided(name, args));
        remember();
        return view;
      },
      {
        validator: (args) => {
          if (!isRepeat()) validate(name, args);
        },
      },
    );
  }
  setHandler(stateQuery, () => agreementView(state));

  function perform(due: PlannedAction[]): void {
    const notifications = due.flatMap((action) => (action.type === 'notify' ? [action.notification] : []));
    if (notifications.length > 0) {
      state = markNotified(
        state,
        notifications.map((n) => n.key),
      );
      outbox.notify(notifications, agreementFacts(state));
      changed();
    }
    for (const action of due) {
      if (action.type !== 'command') continue;
      const decision = decide(state, action.command, Date.now());
      if (decision.ok) accept(decision.value);
      else log.warn('planned action no longer applies', { action: action.summary, reason: decision.errors.join('; ') });
    }
  }

  const continueAsNewDue = () => {
    const info = workflowInfo();
    const limit = options.continueAsNewAfterEvents;
    return info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit);
  };

  // Deliveries outlive a cancellation request: it ends the agreement, and the records and mail of that must still go.
  const delivering = CancellationScope.nonCancellable(() => outbox.run());
  if (!firstEvents) publishVisibility(state);
  else if (!startBeforeUpdates) accept(firstEvents);

  async function untilEndOrContinueAsNew(): Promise<void> {
    while (!isFinal(state.stage) && !continueAsNewDue()) {
      const now = Date.now();
      const { due, nextAt } = dueActions(state, now);
      if (due.length > 0) {
        perform(due);
        continue;
      }
      const watched = version;
      if (nextAt === undefined) {
        await condition(() => version !== watched || continueAsNewDue());
        continue;
      }
      let checked = watched;
      const replanned = () => {
        if (version === checked) return false;
        checked = version;
        return isFinal(state.stage) || plan(state)[0]?.at !== nextAt;
      };
      const summary = plan(state)[0]?.summary ?? 'next planned action';
      await condition(() => replanned() || continueAsNewDue(), nextAt - now, { summary });
    }
  }

  try {
    await untilEndOrContinueAsNew();
  } catch (error) {
    if (!isCancellation(error)) throw error;
    // Cancel in the Temporal UI (or `temporal workflow cancel`) cancels the agreement, as the cancel command does.
    const decision = decide(
      state,
      { name: 'cancel', args: { reason: 'cancellation requested in Temporal', actor: 'temporal' } },
      Date.now(),
    );
    if (decision.ok) accept(decision.value);
  }

  return CancellationScope.nonCancellable(async () => {
    await condition(() => allHandlersFinished() && outbox.idle);
    outbox.stop();
    await delivering;
    if (!isFinal(state.stage)) {
      await continueAsNew<typeof agreementLifecycle>(state.document, {
        carried: { state, appliedRequestIds },
        ...(options.continueAsNewAfterEvents === undefined
          ? {}
          : { continueAsNewAfterEvents: options.continueAsNewAfterEvents }),
        ...(options.deliveryGiveUpAfter === undefined ? {} : { deliveryGiveUpAfter: options.deliveryGiveUpAfter }),
      });
    }
    return agreementView(state);
  });
}
