import { verifyCommandProof } from '../actors/actor-token.ts';
import type { Keyring } from '../keys/keyring.ts';
import { refusalUnderRoles, TEMPORAL_CANCEL_SETTING, type Roles } from '../actors/roles.ts';
import { UNVERIFIED } from '../domain/temporal-cancel.ts';
import { BOUND_ARGUMENT, verifyLinkToken } from '../links/link-token.ts';
import { agreementIdFor } from '../wire/contract.ts';
import type { ActorActivities, Authorization, AuthorizeCommandInput } from '../ports/activities.ts';

/** What the workers enforce about actors; with neither keys nor roles every command passes as `claimed`. */
export interface ActorPolicy {
  /** AGREEMENTS_ACTOR_KEYS: with them, every command must carry a proof from an actor token they signed. */
  keys?: Keyring;
  /** AGREEMENTS_ROLES: who may run which command. */
  roles?: Roles;
  /** AGREEMENTS_LINK_KEYS: with them, a command may carry a mail link's token instead (SPEC 16). */
  linkKeys?: Keyring;
  now?: () => number;
}

const refuse = (reason: string): Authorization => ({ ok: false, reason });

/**
 * A cancel requested through Temporal names no actor. Without actor keys it cancels, as before, recorded `unverified`;
 * with them, only where the roles file says `temporal-cancel: allow`: otherwise the workflow records the request and
 * carries on, so namespace access alone does not end an agreement.
 */
export function authorizeTemporalCancel(policy: ActorPolicy): Authorization {
  if (policy.keys === undefined || policy.roles?.temporalCancel === 'allow')
    return { ok: true, actorProof: UNVERIFIED };
  return refuse(
    `a cancel requested in Temporal names no verified actor, and the roles file does not allow it (${TEMPORAL_CANCEL_SETTING}: allow)`,
  );
}

/** The check of a command without a mail link (see `authorizeLinkedCommand` for one with). */
export function authorizeCommand(policy: ActorPolicy, input: AuthorizeCommandInput): Authorization {
  if (input.command === 'temporalCancel') return authorizeTemporalCancel(policy);
  let actorProof = 'claimed';
  if (input.link !== undefined) return refuse('a command with a mail link is checked by authorizeLinkedCommand');
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

/**
 * A command sent from a mail link's page: the token itself is the proof. It must verify under the workers' link keys,
 * be unexpired, be for this agreement, allow this command, name as actor its recipient and bind the argument that
 * names what they act on (approver, signatory, commitment, obligation) to that recipient. The roles file still
 * applies. The actor is then proven as `link:<key id>`.
 */
export async function authorizeLinkedCommand(
  policy: ActorPolicy,
  input: AuthorizeCommandInput,
): Promise<Authorization> {
  if (input.link === undefined || input.command === 'temporalCancel') return authorizeCommand(policy, input);
  if (policy.linkKeys === undefined)
    return refuse('the command carries a mail link, but the workers hold no link keys (AGREEMENTS_LINK_KEYS)');
  if (input.proof !== undefined) return refuse('a command carries either an actor proof or a mail link, not both');
  const verdict = await verifyLinkToken(policy.linkKeys, input.link, (policy.now ?? Date.now)());
  if (!verdict.ok)
    return refuse(verdict.reason === 'expired' ? 'the mail link has expired' : 'the mail link is not valid');
  const { claims } = verdict;
  if (claims.agreementId !== agreementIdFor(input.workflowId)) return refuse('the mail link is for another agreement');
  if (!(claims.actions as readonly string[]).includes(input.command))
    return refuse(`the mail link does not allow ${input.command}`);
  const bound = BOUND_ARGUMENT[claims.recipient.role];
  const args = input.args as Record<string, unknown> | undefined;
  const named = args?.[bound];
  if (named !== claims.recipient.id)
    return refuse(`the mail link is for ${bound} "${claims.recipient.id}", not "${String(named)}"`);
  // A link about a variation acts on that variation only; a link about the agreement never acts on a variation.
  const variation = args?.variation;
  if (variation !== claims.variation) {
    const what = (v: unknown) => (v === undefined ? 'the agreement itself' : `variation "${String(v)}"`);
    return refuse(`the mail link is for ${what(claims.variation)}, not ${what(variation)}`);
  }
  if (input.actor !== claims.recipient.id)
    return refuse(`actor "${input.actor}" is not the recipient of the mail link ("${claims.recipient.id}")`);
  const refusal = policy.roles && refusalUnderRoles(policy.roles, input.actor, input.command, input.args);
  if (refusal) return refuse(refusal);
  const { role, id, email } = claims.recipient;
  return { ok: true, actorProof: `link:${verdict.kid}`, linkRecipient: { role, id, email } };
}

/** The actor activities, bound to the worker's policy. */
export function createActorActivities(policy: ActorPolicy = {}): ActorActivities {
  return {
    authorizeCommand: (input) => authorizeLinkedCommand(policy, input),
  };
}
