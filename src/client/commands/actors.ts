import { CommanderError, type Command } from 'commander';
import { AgreementError } from '../agreement-error.ts';
import { print, type Output } from '../output.ts';
import { jsonOption, type CommandContext } from './context.ts';

const DAY_MS = 86_400_000;
const MAX_DAYS = 3650;

/**
 * `agreements actors issue --actor NAME [--days N]`: an actor token signed with the workers' key
 * (AGREEMENTS_ACTOR_KEYS on the machine that issues it). It prints only the token, so
 * `export AGREEMENTS_ACTOR_TOKEN=$(agreements actors issue --actor finance-office)` works.
 */
export function addActorsCommand(program: Command, context: CommandContext): void {
  // Made with program.command (not new Command) so that it inherits exitOverride and the one-line error output.
  const actors = program
    .command('actors')
    .description('verified actors: issue actor tokens signed with the workers’ key');
  actors
    .command('issue')
    .description('print an actor token for one person or office (give it to them as AGREEMENTS_ACTOR_TOKEN)')
    .requiredOption('--actor <name>', 'the actor, as the audit trail and the roles file name them')
    .option('--days <n>', `how many days the token is valid (1–${MAX_DAYS})`, '365')
    .addOption(jsonOption())
    .action(async (options: Output & { actor: string; days: string }) => {
      const days = Number(options.days);
      if (!/^\d+$/.test(options.days) || days < 1 || days > MAX_DAYS)
        throw new CommanderError(2, 'usage', `--days must be a whole number from 1 to ${MAX_DAYS}`);
      if (options.actor.trim() === '' || options.actor.length > 200 || /\p{Cc}/u.test(options.actor))
        throw new AgreementError('invalid', '--actor: must be 1–200 characters on one line');
      const session = await context.open();
      const [{ issueActorToken }, { ACTOR_KEY_VARIABLES }] = await Promise.all([
        import('../../actors/actor-token.ts'),
        import('../../shared/config.ts'),
      ]);
      const keys = session.config.actorKeys;
      if (keys === undefined)
        throw new AgreementError(
          'invalid',
          `${ACTOR_KEY_VARIABLES.keys} is not set: tokens are signed with the workers' actor key (make one with node src/codec/generate-key.ts)`,
        );
      const expiresAt = Date.now() + days * DAY_MS;
      const token = issueActorToken(keys, options.actor, expiresAt);
      const issued = { actor: options.actor, keyId: keys.currentKeyId, expiresAt: new Date(expiresAt).toISOString() };
      print(options, { ...issued, token }, token);
    });
}
