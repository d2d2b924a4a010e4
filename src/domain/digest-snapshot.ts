import type { TimedCommand } from './commands.ts';
import { coordinators, type MailKind, type Recipient } from './notifications.ts';
import { plan } from './plan.ts';
import type { AgreementState } from './state.ts';
import { agreementView, type AgreementView } from './view.ts';

/**
 * One planned step as the digest lists it: a reminder of a kind (and lead), or an automatic launch, completion or
 * cancellation at a deadline.
 */
export interface PlannedStep {
  at: string;
  kind: MailKind | 'automatic-launch' | 'end-of-term' | 'deadline';
  lead?: string;
}

/** What the `digest` Query answers: the agreement's view, who coordinates it and what is planned. */
export interface DigestSnapshot {
  view: AgreementView;
  coordinators: Recipient[];
  planned: PlannedStep[];
}

const STEP_OF = {
  autoLaunch: 'automatic-launch',
  autoComplete: 'end-of-term',
  deadlinePassed: 'deadline',
} as const satisfies Record<TimedCommand['name'], PlannedStep['kind']>;

/**
 * A reminder that goes to several people is one step in a digest. `now` decides which open obligations the view calls
 * overdue: the workflow's clock when the Query is answered (the state's last change if absent).
 */
export function digestSnapshot(state: AgreementState, now?: number): DigestSnapshot {
  const seen = new Set<string>();
  const planned: PlannedStep[] = [];
  for (const action of plan(state)) {
    const step: PlannedStep =
      action.type === 'notify'
        ? {
            at: new Date(action.at).toISOString(),
            kind: action.notification.kind,
            lead: action.notification.about.lead,
          }
        : {
            at: new Date(action.at).toISOString(),
            kind: STEP_OF[action.command.name],
          };
    const identity = `${step.at} ${step.kind} ${step.lead ?? ''}`;
    if (!seen.has(identity)) planned.push(step);
    seen.add(identity);
  }
  return { view: agreementView(state, now), coordinators: coordinators(state), planned };
}
