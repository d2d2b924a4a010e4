import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { AgreementError } from './agreement-error.ts';
import { addActorsCommand } from './commands/actors.ts';
import { CommandContext, helpConfiguration } from './commands/context.ts';
import { addCalendarCommand } from './commands/calendar.ts';
import { addDigestCommand } from './commands/digest.ts';
import { addLifecycleCommands } from './commands/lifecycle.ts';
import { addReadCommands } from './commands/read.ts';
import { addStartCommands } from './commands/start.ts';
import { addUpgradeCommand } from './commands/upgrade.ts';

// The wiring only: each command group lives in ./commands, and imports what talks to Temporal or the records store
// inside its actions, so `--help`, `--version` and `validate` load neither.

/** Commands that need no configuration: they read only the files they are given. */
const OFFLINE_COMMANDS = new Set(['validate']);

/** A usage error in one line (commander puts its "Did you mean …?" on a second one), with where to look. */
function usageLine(message: string): string {
  return `agreements: ${message
    .trim()
    .split(/\s*\n\s*/)
    .join(' ')} (run with --help for usage)`;
}

/** An error for stderr: one plain line, or with --json one JSON object (`{"error":"…","exitCode":1}`). */
function errorOutput(line: string, exitCode: number, json: boolean): string {
  return json ? `${JSON.stringify({ error: line.replace(/^agreements: /, ''), exitCode })}\n` : `${line}\n`;
}

function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

export function buildProgram(env: NodeJS.ProcessEnv = process.env, options: { json?: boolean } = {}): Command {
  const context = new CommandContext(env);
  const program = new Command('agreements')
    .description('Drive partnership agreements through draft → approval → signing → funding → cohort → active.')
    .version(packageVersion(), '-V, --version', 'the version of agreements')
    .configureHelp(helpConfiguration)
    // One line for a usage error too: commander's message, with the hint on the same line.
    .configureOutput({
      outputError: (message, write) =>
        write(errorOutput(usageLine(message.replace(/^error: /, '')), 2, options.json ?? false)),
    })
    .exitOverride()
    // A bad configuration stops the command before it does anything (before a file is read).
    .hook('preAction', async (_program, action) => {
      if (!OFFLINE_COMMANDS.has(action.name())) await context.open();
    });

  addStartCommands(program, context);
  addLifecycleCommands(program, context);
  addReadCommands(program, context);
  addDigestCommand(program, context);
  addCalendarCommand(program, context);
  addActorsCommand(program, context);
  addUpgradeCommand(program, context);
  return program;
}

/** Whether the command line asks for JSON (before a `--`, after which everything is an argument). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** Runs the CLI and returns the exit code: 0 done, 1 rejected/invalid, 2 usage, 3 unreachable. */
export async function main(argv: string[]): Promise<number> {
  const json = wantsJson(argv);
  const fail = (line: string, exitCode: number) => {
    process.stderr.write(errorOutput(line, exitCode, json));
    return exitCode;
  };
  const program = buildProgram(process.env, { json });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0)
        return 0;
      if (error.code === 'usage') return fail(usageLine(error.message), 2);
      return 2; // commander has written the line (outputError above)
    }
    if (error instanceof AgreementError)
      return fail(`agreements: ${error.message.split('\n').join('; ')}`, error.exitCode);
    const message = error instanceof Error ? error.message : String(error);
    return fail(`agreements: unexpected error: ${message.split('\n')[0]}`, 1);
  }
}
