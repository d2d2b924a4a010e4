import { ApplicationFailure, log, workflowInfo } from '@temporalio/workflow';
import {
  agreementFacts,
  agreementView,
  certificateFor,
  decide,
  deliveryFailureReport,
  dueActions,
  evolve,
  factsFromView,
  isFinal,
  linkedPersonRefusal,
  markNotified,
  notificationsForEvent,
  parseCommand,
  plan,
  registerRow,
  TEMPORAL_ACTOR,
  TEMPORAL_CANCEL,
  temporalCancelRefused,
  type AgreementEvent,
  type AgreementState,
  CARRIED_SCHEMA_VERSION,
  type CarriedState,
  type AgreementView,
  type CertificateFacts,
  type Command,
  type CommandName,
  type PlannedAction,
  type TimedCommand,
  withCurrentShape,
} from '../domain/index.ts';
import type { Authorization, AuthorizeCommandInput } from '../ports/activities.ts';
import { Outbox } from './outbox.ts';
import { RequestIdMemory } from './request-ids.ts';
import { publishVisibility } from './visibility.ts';

/** The actor of a command that names none (as the decider records it). */
const DEFAULT_ACTOR = 'coordinator';

/**
 * One agreement inside its workflow: the state, the commands applied (by request id), and the outbox that carries
 * the effects of each accepted event. The pure decider judges; this applies what it accepts.
 */
export class AgreementEntity {
  readonly outbox: Outbox;
  private readonly requestIds: RequestIdMemory;
  /** Bumped on every change, so that a waiting loop can tell the plan may have moved. */
  private changes = 0;
  private state: AgreementState;
  /**
   * The validator's verdict, reused by the handler of the same update when it would decide the same (same state, same
   * time), so a command is usually decided once. Only a saving: validators do not run on replay, so what the handler
   * applies must not depend on whether this is set.
   */
  private verdict: { requestId: string; on: AgreementState; at: number; events: AgreementEvent[] } | undefined;

  constructor(state: AgreementState, carriedRequestIds: readonly string[], deliveryGiveUpAfterMs: number) {
    this.state = withCurrentShape(state);
    this.requestIds = new RequestIdMemory(carriedRequestIds);
    this.outbox = new Outbox(state.agreement.id, deliveryGiveUpAfterMs, (failed, reason) => ({
      notifications: deliveryFailureReport(this.state, failed, reason),
      facts: agreementFacts(this.state),
    }));
  }

  get version(): number {
    return this.changes;
  }

  get isFinal(): boolean {
    return isFinal(this.state.stage);
  }

  get document(): Record<string, unknown> {
    return this.state.document;
  }

  /** The state as the Query answers it: overdue obligations judged at the workflow's current time. */
  view(): AgreementView {
    return agreementView(this.state, Date.now());
  }

  carried(): CarriedState {
    return { schemaVersion: CARRIED_SCHEMA_VERSION, state: this.state, appliedRequestIds: this.requestIds.toJSON() };
  }

  /** Shows the agreement in the Temporal UI as it is (a run that continued as new starts with no events). */
  publish(): void {
    publishVisibility(this.state);
  }

  /** An Update's validator: throws the rejection, and keeps the verdict for the handler. A repeat is not judged. */
  validate(name: CommandName, args: unknown, requestId: string): void {
    if (this.requestIds.has(requestId)) return;
    const at = Date.now();
    this.verdict = { requestId, on: this.state, at, events: this.judge(commandFrom(name, args), at) };
  }

  /**
   * An Update's handler: applies the command once per request id and answers with the new state. The worker's actor
   * policy decides first: `authorize` (a local activity) verifies the actor's proof and roles; a refusal throws, and
   * nothing is applied or written. The events carry how the actor was established.
   */
  async execute(
    name: CommandName,
    args: unknown,
    requestId: string,
    authorize: (input: AuthorizeCommandInput) => Promise<Authorization>,
  ): Promise<AgreementView> {
    if (this.requestIds.has(requestId)) return this.view();
    const verdict = this.verdict;
    this.verdict = undefined;
    // The command is decided as of the moment its handler started (the moment its validator ran, if it did): the
    // workflow's clock has moved on once the actor check returns, and a replay, which runs no validator, must decide
    // at the same time as the first run did.
    const on = this.state;
    const at = Date.now();
    const command = commandFrom(name, args);
    const { proof: _proof, ...bound } = args as Record<string, unknown>;
    const authorization = await authorize({
      workflowId: workflowInfo().workflowId,
      command: name,
      requestId,
      args: bound,
      actor: command.args.actor ?? DEFAULT_ACTOR,
      proof: command.args.proof,
      link: command.args.link,
    });
    if (!authorization.ok) throw ApplicationFailure.nonRetryable(authorization.reason, 'ActorRefused');
    // While the verdict was awaited, the same request may have been applied, or the state moved on.
    if (this.requestIds.has(requestId)) return this.view();
    const replaced = authorization.linkRecipient && linkedPersonRefusal(this.state, authorization.linkRecipient);
    if (replaced) throw ApplicationFailure.nonRetryable(replaced, 'CommandRejected');
    // Where another command changed the state meanwhile, this one is decided on the new state, now.
    const events =
      this.state !== on
        ? this.judge(command, Date.now())
        : verdict?.requestId === requestId && verdict.on === on && verdict.at === at
          ? verdict.events
          : this.judge(command, at);
    const view = this.apply(events.map((event) => ({ ...event, actorProof: authorization.actorProof })));
    this.requestIds.remember(requestId);
    return view;
  }

  /** Applies accepted events and queues their records (with the certificate the last signature calls for) and mail. */
  apply(events: AgreementEvent[]): AgreementView {
    const first = this.state.eventCount + 1;
    let certificate: CertificateFacts | undefined;
    const notifications = events.flatMap((event) => {
      this.state = evolve(this.state, [event]);
      certificate = certificateFor(this.state, event) ?? certificate;
      return notificationsForEvent(this.state, event);
    });
    this.outbox.record(
      events.map((event, index) => ({ sequence: first + index, event })),
      registerRow(this.state),
      certificate,
    );
    const view = agreementView(this.state, Date.now());
    if (notifications.length > 0) this.outbox.notify({ notifications, facts: factsFromView(view) });
    this.changed();
    return view;
  }

  /** The planned actions due at `now`, and when the next one falls. */
  due(now: number): { due: PlannedAction[]; nextAt?: number } {
    return dueActions(this.state, now);
  }

  /** The next planned action, if any. */
  next(): PlannedAction | undefined {
    return plan(this.state)[0];
  }

  /** Sends the reminders that are due and runs the timed commands (launch, completion) that still apply. */
  perform(due: PlannedAction[]): void {
    const notifications = due.flatMap((action) => (action.type === 'notify' ? [action.notification] : []));
    if (notifications.length > 0) {
      this.state = markNotified(
        this.state,
        notifications.map((n) => n.key),
      );
      this.outbox.notify({ notifications, facts: agreementFacts(this.state) });
      this.changed();
    }
    for (const action of due) {
      if (action.type !== 'command') continue;
      const decision = decide(this.state, action.command, Date.now());
      if (decision.ok) this.apply(decision.value);
      else log.warn('planned action no longer applies', { action: action.summary, reason: decision.errors.join('; ') });
    }
  }

  /**
   * A cancel requested through Temporal (its UI, `temporal workflow cancel`): it names no actor, so the workers' policy
   * decides. Let through, it cancels as the cancel command does, recorded `unverified`; refused, the request is recorded
   * on its own and the coordinators told, and the agreement carries on. Answers whether it cancelled.
   */
  async cancelRequestedInTemporal(
    authorize: (input: AuthorizeCommandInput) => Promise<Authorization>,
  ): Promise<boolean> {
    const { workflowId, runId } = workflowInfo();
    const authorization = await authorize({
      workflowId,
      command: 'temporalCancel',
      requestId: `temporal-cancel:${runId}`,
      args: {},
      actor: TEMPORAL_ACTOR,
    });
    if (!authorization.ok) {
      this.apply([temporalCancelRefused(Date.now(), authorization.reason)]);
      return false;
    }
    const decision = decide(this.state, TEMPORAL_CANCEL, Date.now());
    if (decision.ok) this.apply(decision.value.map((event) => ({ ...event, actorProof: authorization.actorProof })));
    return true;
  }

  private judge(command: Command | TimedCommand, at: number): AgreementEvent[] {
    const decision = decide(this.state, command, at);
    if (!decision.ok) throw ApplicationFailure.nonRetryable(decision.errors.join('; '), 'CommandRejected');
    return decision.value;
  }

  private changed(): void {
    this.changes++;
    publishVisibility(this.state);
  }
}

function commandFrom(name: string, args: unknown): Command {
  const parsed = parseCommand(name, args);
  if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.errors.join('; '), 'InvalidCommand');
  return parsed.value;
}
