import { CARRIED_SCHEMA_VERSION, type AgreementState, type CarriedState } from '../../src/domain/index.ts';
import { mou, startedState } from './agreements.ts';

/**
 * What an attacker with namespace access would hand a new run as its "carried" state: a memorandum already past
 * signing, every signature in, as valid by the carried-state schema as a real one.
 */
export function forgedCarriedState(id: string, now = Date.now()): CarriedState {
  const started = startedState(mou(now, id), now);
  const at = new Date(now).toISOString();
  const state: AgreementState = {
    ...started,
    stage: 'active',
    stageEnteredAt: at,
    signatures: started.agreement.signatories.map((signatory) => ({ signatory: signatory.id, signedAt: at })),
    eventCount: 4,
  };
  return { schemaVersion: CARRIED_SCHEMA_VERSION, state, appliedRequestIds: [] };
}
