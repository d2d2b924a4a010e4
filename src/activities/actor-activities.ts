import { verifyCommandProof } from '../actors/actor-token.ts';
import type { Keyring } from '../keys/keyring.ts';
import { refusalUnderRoles, type Roles } from '../actors/roles.ts';
import type { ActorActivities, Authorization, AuthorizeCommandInput } from '../ports/activities.ts';

/** What the workers enforce about actors; with neither keys nor roles every command passes as `claimed`. */
export interface ActorPolicy {
  /** AGREEMENTS_ACTOR_KEYS: with them, every command must carry a proof from an actor token they signed. */
  keys?: Keyring;
  /** AGREEMENTS_ROLES: who may run which command. */
  roles?: Roles;
  now?: () => number;
}

const refuse = (reason: string): Authorization => ({ ok: false, reason });

export function authorizeCommand(policy: ActorPolicy, input: AuthorizeCommandInput): Authorization {
  let actorProof = 'claimed';
  if (input.proof !== undefined) {
    if (policy.keys === undefined)
      return refuse('the command carries an actor proof, but the workers hold no actor keys (AGREEMENTS_ACTOR_KEYS)');
    const binding = {
      workflowId: input.workflowId,
      update: input.command,
      requestId: input.requestId,
      args: input.args,
    };
    const verdict = verifyCommandProof(policy.keys.keys, input.proof, binding, (policy.now ?? Date.now)());
    if (!verdict.ok) return refuse(verdict.reason);
    if (verdict.actor !== input.actor)
      return refuse(`actor "${input.actor}" is not the actor of the token ("${verdict.actor}")`);
    actorProof = `token:${verdict.kid}`;
  } else if (policy.keys !== undefined) {
    return refuse(
      `${input.actor}: an actor token is required (set AGREEMENTS_ACTOR_TOKEN to one from "agreements actors issue")`,
    );
  }
  const refusal = policy.roles && refusalUnderRoles(policy.roles, input.actor, input.command, input.args);
  return refusal ? refuse(refusal) : { ok: true, actorProof };
}

/** The actor activities, bound to the worker's policy. */
export function createActorActivities(policy: ActorPolicy = {}): ActorActivities {
  return {
    authorizeCommand: (input) => Promise.resolve(authorizeCommand(policy, input)),
  };
}
