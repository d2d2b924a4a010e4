import {
  decide,
  evolve,
  notificationsForEvent,
  parseCommand,
  type AgreementState,
  type Command,
  type Decision,
} from '../../src/domain/index.ts';

export function command(name: string, args: unknown = {}): Command {
  const parsed = parseCommand(name, args);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.value;
}

/** Applies a command through the decider; throws if it was rejected. */
export function apply(state: AgreementState, name: string, args: unknown, now: number): AgreementState {
  const decision = decide(state, command(name, args), now);
  if (!decision.ok) throw new Error(`${name} rejected: ${decision.errors.join('; ')}`);
  return evolve(state, decision.value);
}

export function rejection(decision: Decision): string {
  if (decision.ok) throw new Error(`expected a rejection, got ${decision.value.map((e) => e.type).join(', ')}`);
  return decision.errors.join('; ');
}

/** Applies a command through the decider, one event at a time as the workflow does; with the mail its events cause. */
export function applyWithMail(state: AgreementState, name: string, args: unknown, now: number) {
  const decision = decide(state, command(name, args), now);
  if (!decision.ok) throw new Error(`${name} rejected: ${decision.errors.join('; ')}`);
  let next = state;
  const mail = decision.value.flatMap((event) => {
    next = evolve(next, [event]);
    return notificationsForEvent(next, event);
  });
  return { state: next, mail, keys: mail.map((n) => n.key), events: decision.value };
}
