import { CommanderError, type Command } from 'commander';
import { humanTime } from '../../domain/human-time.ts';
import { DEFAULT_DIGEST_CRON, DEFAULT_DIGEST_TIMEZONE } from '../digest-defaults.ts';
import type { DigestSchedule, DigestScheduleInfo } from '../digest-schedule.ts';
import { print, type Output } from '../output.ts';
import { jsonOption, type CommandContext } from './context.ts';

interface DigestOptions extends Output {
  enable?: boolean;
  disable?: boolean;
  now?: boolean;
  show?: boolean;
  cron?: string;
  timezone?: string;
}

const ACTIONS = ['enable', 'disable', 'now', 'show'] as const;

/** `agreements digest --enable|--disable|--now|--show`: the coordinators' weekly digest on a Temporal Schedule. */
export function addDigestCommand(program: Command, context: CommandContext): void {
  program
    .command('digest')
    .description('the weekly digest mailed to each coordinator, on a Temporal Schedule')
    .option('--enable', 'create the schedule, or update it if it exists')
    .option('--disable', 'delete the schedule')
    .option('--now', 'run the digest now')
    .option('--show', 'the schedule, its next and recent runs')
    .option('--cron <expression>', `when it runs, with --enable (default "${DEFAULT_DIGEST_CRON}")`)
    .option('--timezone <zone>', `the zone of --cron, with --enable (default ${DEFAULT_DIGEST_TIMEZONE})`)
    .addOption(jsonOption())
    .action(async (options: DigestOptions) => {
      const chosen = ACTIONS.filter((action) => options[action]);
      if (chosen.length !== 1)
        throw new CommanderError(2, 'usage', 'digest needs exactly one of --enable, --disable, --now, --show');
      if (!options.enable && (options.cron !== undefined || options.timezone !== undefined))
        throw new CommanderError(2, 'usage', '--cron and --timezone go with --enable');
      const [{ checkSpec, DigestSchedule }, { explain }] = await Promise.all([
        import('../digest-schedule.ts'),
        import('../errors.ts'),
      ]);
      if (options.enable) checkSpec(specOf(options));
      const session = await context.open();
      await session.withClient(async (agreements) => {
        const schedule = new DigestSchedule(agreements.client, agreements.taskQueue);
        try {
          await run(schedule, options);
        } catch (error) {
          throw explain(error, {});
        }
      });
    });
}

const specOf = (options: DigestOptions) => ({
  cron: options.cron ?? DEFAULT_DIGEST_CRON,
  timezone: options.timezone ?? DEFAULT_DIGEST_TIMEZONE,
});

async function run(schedule: DigestSchedule, options: DigestOptions): Promise<void> {
  const { scheduleId } = schedule;
  if (options.enable) {
    const spec = specOf(options);
    const outcome = await schedule.enable(spec);
    print(
      options,
      { scheduleId, outcome, ...spec },
      `digest schedule ${scheduleId} ${outcome}: "${spec.cron}" in ${spec.timezone}`,
    );
  } else if (options.disable) {
    const deleted = await schedule.disable();
    print(
      options,
      { scheduleId, deleted },
      deleted ? `digest schedule ${scheduleId} deleted` : 'no digest schedule to delete',
    );
  } else if (options.now) {
    await schedule.trigger();
    print(
      options,
      { scheduleId, triggered: true },
      `digest ${scheduleId} triggered: each coordinator gets today's digest`,
    );
  } else {
    const info = await schedule.show();
    print(options, info, describeSchedule(info));
  }
}

function describeSchedule(info: DigestScheduleInfo): string {
  const time = (iso: string) => humanTime(iso, info.timezone);
  return [
    `${info.scheduleId}: "${info.cron}" in ${info.timezone}${info.paused ? ' (paused)' : ''}`,
    `  next:   ${info.nextRuns.slice(0, 3).map(time).join('; ') || 'none'}`,
    `  recent: ${info.recentRuns.map((r) => time(r.scheduledAt)).join('; ') || 'none yet'}`,
  ].join('\n');
}
