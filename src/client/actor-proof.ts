import type { CommandArgs, CommandName } from '../domain/index.ts';
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
  let actor: string;
  try {
    actor = readActorToken(token).actor.sub;
  } catch (error) {
    if (error instanceof ActorTokenError) throw new AgreementError('invalid', error.message, { cause: error });
    throw error;
  }
  if (args.actor !== undefined && args.actor !== actor)
    throw new AgreementError('invalid', `--actor ${args.actor} is not the actor of AGREEMENTS_ACTOR_TOKEN (${actor})`);
  const bound = { ...args, actor } as CommandArgs<N>;
  // JSON drops undefined fields on the way to the worker, so the proof is made over what the worker will see.
  const sent = JSON.parse(JSON.stringify(bound)) as CommandArgs<N>;
  return { ...sent, proof: proveCommand(token, { workflowId, update: name, requestId, args: sent }, Date.now()) };
}
