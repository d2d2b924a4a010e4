import type { Command } from 'commander';
import { print, type Output } from '../output.ts';
import { jsonOption, type CommandContext } from './context.ts';

/** `agreements upgrade`: the step of a rollout that moves running agreements to the current build (spec §19). */
export function addUpgradeCommand(program: Command, context: CommandContext): void {
  program
    .command('upgrade')
    .description(
      'wake every running agreement so that those pinned to an older build continue as new onto the current one',
    )
    .addOption(jsonOption())
    .action(async (options: Output) => {
      const [{ nudgeRunningAgreements }, { describeNudges }] = await Promise.all([
        import('../upgrade.ts'),
        import('../describe-upgrade.ts'),
      ]);
      const session = await context.open();
      const nudges = await session.withClient((agreements) => nudgeRunningAgreements(agreements.client));
      print(options, nudges, describeNudges(nudges));
      if (nudges.some((nudge) => nudge.error !== undefined)) process.exitCode = 1;
    });
}
