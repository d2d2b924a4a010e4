import { toTextTable } from './text-table.ts';
import type { UpgradeNudge } from './upgrade.ts';

/** The table `agreements upgrade` prints: each running agreement, its build, and whether it moves. */
export function describeNudges(nudges: readonly UpgradeNudge[]): string {
  if (nudges.length === 0) return 'No running agreements.';
  const moving = nudges.filter((nudge) => nudge.moving).length;
  const rows = nudges.map((nudge) => [
    nudge.id,
    nudge.buildId ?? (nudge.error ? '—' : '(unversioned)'),
    nudge.error
      ? `not reached: ${nudge.error}`
      : nudge.moving
        ? 'moves to the current build'
        : 'stays (on the current build)',
  ]);
  return `${toTextTable(['agreement', 'build', 'after the nudge'], rows)}${moving} of ${nudges.length} running agreements continue as new onto the current build at their next quiet point.`;
}
