import { Help, Option, type Command } from 'commander';
import { STAGES } from '../../domain/stages.ts';
import { AgreementError } from '../agreement-error.ts';
import type { CliSession } from '../cli-session.ts';

/**
 * What the command modules share. Nothing here (nor in the modules' static imports) loads the Temporal client or
 * the configuration: `--help`, `--version` and `validate` stay fast and offline, and each action imports what it
 * needs when it runs.
 */
export class CommandContext {
  private session: Promise<CliSession> | undefined;
  private readonly env: NodeJS.ProcessEnv;

  constructor(env: NodeJS.ProcessEnv) {
    this.env = env;
  }

  /** The session, its configuration read (once): a bad configuration stops the command with one line. */
  open(): Promise<CliSession> {
    this.session ??= (async () => {
      const [{ CliSession }, { ConfigError, loadConfig }] = await Promise.all([
        import('../cli-session.ts'),
        import('../../shared/config.ts'),
      ]);
      try {
        return new CliSession(loadConfig(this.env));
      } catch (error) {
        throw error instanceof ConfigError ? new AgreementError('invalid', error.message) : error;
      }
    })();
    return this.session;
  }
}

export const stageOption = () => new Option('--stage <stage>', 'only agreements in this stage').choices(STAGES);

export const jsonOption = () => new Option('--json', 'machine-readable output on stdout (errors as JSON on stderr)');

/** Help that says which options must be given (set with configureHelp, which subcommands inherit). */
export const helpConfiguration: Partial<Help> = {
  optionDescription(this: Help, option: Option): string {
    const description = Help.prototype.optionDescription.call(this, option);
    return option.mandatory ? `${description} (required)` : description;
  },
};

/** A lifecycle command: `NAME ID` with --json, --request-id and --actor. */
export function updateCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .argument('<id>', 'agreement id')
    .addOption(jsonOption())
    .option('--request-id <id>', 'idempotency key: a retried command with the same id applies once')
    .option('--actor <name>', 'who is acting, for the audit trail (default: $AGREEMENTS_ACTOR or your user name)');
}
