import type { Command } from './commands.ts';
import type { AgreementEvent } from './events.ts';

/**
 * A cancel requested through Temporal (its UI, `temporal workflow cancel`, an SDK's `cancel()`): it names no actor, so
 * it is recorded as actor `temporal`, proven `unverified`. The workers' policy decides whether it cancels.
 */
export const TEMPORAL_ACTOR = 'temporal';
export const UNVERIFIED = 'unverified';

/** The cancel command a Temporal cancel request becomes where the workers let it through. */
export const TEMPORAL_CANCEL: Command = {
  name: 'cancel',
  args: { reason: 'cancellation requested in Temporal', actor: TEMPORAL_ACTOR },
};

/** The audit row of a Temporal cancel request the workers did not apply: the agreement carries on. */
export function temporalCancelRefused(now: number, refusal: string): AgreementEvent {
  return {
    type: 'temporal-cancel-requested',
    at: new Date(now).toISOString(),
    actor: TEMPORAL_ACTOR,
    actorProof: UNVERIFIED,
    refusal,
  };
}
