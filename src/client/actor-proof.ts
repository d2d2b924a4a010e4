import type { CommandArgs, CommandName, CommandProof } from '../domain/index.ts';
import { ActorTokenError, proveCommand, readActorToken } from '../actors/actor-token.ts';
import { AgreementError } from './agreement-error.ts';

/**
 * The command's arguments with the actor the token names and a proof bound to this workflow, update and request id.
 * The token itself stays here: only the proof goes into the Update (and so into workflow history).
 */
export function withProof<N extends CommandName>(
  token: string,
  workflowId: string,
  name: N,
  requestId: string,
  args: CommandArgs<N>,
): CommandArgs<N> {
  const actor = actorOfToken(token, args.actor);
  const bound = { ...args, actor } as CommandArgs<N>;
  // JSON drops undefined fields on the way to the worker, so the proof is made over what the worker will see.
  const sent = JSON.parse(JSON.stringify(bound)) as CommandArgs<N>;
  return { ...sent, proof: proveCommand(token, { workflowId, update: name, requestId, args: sent }, Date.now()) };
}

/**
 * The start of an agreement, signed as a command is: the actor the token names and a proof bound to the workflow id
 * (one start per id) and to the agreement document as the worker will see it. Returns that document too.
 */
export function startProof(
  token: string,
  workflowId: string,
  document: unknown,
  claimed: string | undefined,
): { document: unknown; actor: string; proof: CommandProof } {
  const actor = actorOfToken(token, claimed);
  const sent: unknown = JSON.parse(JSON.stringify(document));
  const proof = proveCommand(token, { workflowId, update: 'start', requestId: workflowId, args: sent }, Date.now());
  return { document: sent, actor, proof };
}

/** The actor `token` names; a different claimed one is refused here, before anything is sent. */
function actorOfToken(token: string, claimed: string | undefined): string {
  let actor: string;
  try {
    actor = readActorToken(token).actor.sub;
  } catch (error) {
    if (error instanceof ActorTokenError) throw new AgreementError('invalid', error.message, { cause: error });
    throw error;
  }
  if (claimed !== undefined && claimed !== actor)
    throw new AgreementError('invalid', `--actor ${claimed} is not the actor of AGREEMENTS_ACTOR_TOKEN (${actor})`);
  return actor;
}
