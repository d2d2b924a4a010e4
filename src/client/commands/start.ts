import type { Command } from 'commander';
import type { StartedAgreement } from '../agreements-client.ts';
import type { StartOptions } from '../../domain/index.ts';
import { AgreementError } from '../agreement-error.ts';
import type { BatchSource, CheckedBatch } from '../batch.ts';
import { defaultActor, plural, print, type Output } from '../output.ts';
import { jsonOption, type CommandContext } from './context.ts';

const FILES_HELP = 'YAML or JSON agreement files (one agreement, a list, or agreements: [...]); - reads standard input';

/**
 * Every file read, in order, and checked as one batch (a file's label names it in messages only when there are
 * several). One error names every problem: each file that cannot be read, and what is wrong in the others.
 */
async function checkFiles(files: readonly string[], options?: StartOptions): Promise<CheckedBatch> {
  const [{ readDataFile }, { checkBatch }] = await Promise.all([import('../files.ts'), import('../batch.ts')]);
  const read = await Promise.allSettled(
    files.map(async (file) => ({
      label: files.length > 1 ? file : '',
      content: await readDataFile(file),
      file: file === '-' ? 'standard input' : file,
    })),
  );
  const problems: string[] = [];
  const sources: BatchSource[] = [];
  for (const result of read) {
    if (result.status === 'fulfilled') sources.push(result.value);
    else if (result.reason instanceof AgreementError) problems.push(result.reason.message);
    else throw result.reason;
  }
  try {
    const batch = checkBatch(sources, options);
    if (problems.length === 0) return batch;
  } catch (error) {
    if (!(error instanceof AgreementError)) throw error;
    problems.push(error.message);
  }
  throw new AgreementError('invalid', problems.join('\n'));
}

/** `agreements start FILE...` and its offline half, `agreements validate FILE...`. */
export function addStartCommands(program: Command, context: CommandContext): void {
  program
    .command('start')
    .description('validate agreement files and start one workflow per agreement (none starts unless all are valid)')
    .argument('<files...>', FILES_HELP)
    .option('--dry-run', 'check everything that needs no server, as validate does, and start nothing')
    .addOption(jsonOption())
    .option(
      '--actor <name>',
      'who is starting them, for the audit trail (default: $AGREEMENTS_ACTOR or your user name)',
    )
    .action(async (files: string[], options: Output & { actor?: string; dryRun?: boolean }) => {
      // Checked before connecting: a bad file is named as such even when Temporal is down.
      const actor = options.actor ?? defaultActor();
      const batch = await checkFiles(files, { actor });
      if (options.dryRun) {
        const ids = batch.agreements.map(({ agreement }) => agreement.id);
        print(
          options,
          { valid: true, dryRun: true, agreements: ids.map((id) => ({ id, workflowId: `agreement-${id}` })) },
          ids.map((id) => `would start ${id} (workflow agreement-${id})`).join('\n'),
        );
        return;
      }
      const session = await context.open();
      // With a token, the token names the actor (and a different --actor is refused); without, the claim as above.
      const actorToken = session.config.actorToken;
      const claimed = actorToken === undefined ? actor : options.actor;
      const progress = startProgress(options, batch.agreements.length);
      let started: StartedAgreement[];
      try {
        // The batch was checked with the claimed actor; with a token, the token's actor is the one recorded.
        const toStart = claimed === actor ? batch : { ...batch, options: { ...batch.options, actor: claimed } };
        started = await session.withClient((client) => client.startChecked(toStart, progress.started, actorToken));
      } finally {
        progress.stop();
      }
      progress.done(started);
    });

  program
    .command('validate')
    .description('check agreement files offline: every check start makes that needs no server')
    .argument('<files...>', FILES_HELP)
    .addOption(jsonOption())
    .action(async (files: string[], options: Output) => {
      const { agreements } = await checkFiles(files);
      const listed = agreements.map(({ agreement, label }) => ({
        id: agreement.id,
        ...(label ? { file: label } : {}),
      }));
      print(
        options,
        { valid: true, agreements: listed },
        `valid: ${plural(agreements.length, 'agreement')} (${listed.map((a) => a.id).join(', ')})`,
      );
    });
}

const startedLine = (s: StartedAgreement) => `started ${s.id} (workflow ${s.workflowId})`;

/**
 * How a batch reports as it goes. On a terminal, a count on stderr (`starting 3/40…`) rewritten in place, the list at
 * the end; otherwise (a log, a pipe) one line per agreement on stdout as each starts, counted when there are several.
 * With --json, stdout is one JSON array at the end.
 */
function startProgress(options: Output, total: number) {
  const terminal = process.stderr.isTTY === true && total > 1;
  const stream = !terminal && !options.json;
  let shown = false;
  if (terminal) {
    process.stderr.write(`starting 0/${total}…`);
    shown = true;
  }
  return {
    started: (started: StartedAgreement, count: number) => {
      if (terminal) process.stderr.write(`\r\x1b[Kstarting ${count}/${total}: ${started.id}`);
      else if (stream) process.stdout.write(`${total > 1 ? `${count}/${total} ` : ''}${startedLine(started)}\n`);
    },
    done: (started: StartedAgreement[]) => {
      if (!stream) print(options, started, started.map(startedLine).join('\n'));
    },
    stop: () => {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
