import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { parse } from 'yaml';
import { z } from 'zod';
import { COMMAND_NAMES, type CommandName } from '../domain/command-names.ts';
import { describeIssues } from '../domain/issues.ts';

/** The YAML parser, loaded when a roles file is read: every client loads this module, few have a roles file. */
const yamlParser = (): typeof parse => (createRequire(import.meta.url)('yaml') as { parse: typeof parse }).parse;

/**
 * Who may run which command (AGREEMENTS_ROLES, a YAML or JSON file on the workers):
 *
 * ```yaml
 * finance-office: [confirm-funding]
 * partnerships: [amend, submit, reschedule, extend, replace, enrol, withdraw, launch, renew, vary, withdraw-variation,
 *                complete, cancel]
 * vc-uob: [sign, decline]        # signs (or declines) as signatory vc-uob, and only as that signatory
 * ceremony-desk: [sign-for-others]  # records signatures collected on paper, for any signatory
 * legal: [approve, request-changes]  # approves as approver legal, and only as that approver
 * approvals-desk: [approve-for-others] # records approvals given on paper, for any approver
 * partnerships-office: [start]   # starts agreements (with actor keys on, a start carries a proof too)
 * admin: ['*']                   # every command and start (signing still only as themself)
 * temporal-cancel: allow         # a cancel requested in Temporal (UI, `temporal workflow cancel`) cancels; see below
 * ```
 *
 * Commands are named as on the CLI. An actor not listed may do nothing. `temporal-cancel` is a setting, not an actor: a
 * cancel requested through Temporal names no one, so with actor keys on it is recorded and the coordinators told,
 * but the agreement is not cancelled, unless the office allows it here.
 */
export interface Roles {
  readonly actors: ReadonlyMap<string, ReadonlySet<Permission>>;
  /** Whether a cancel requested through Temporal cancels the agreement (`allow`) or is only recorded (`refuse`). */
  readonly temporalCancel: TemporalCancelSetting;
}
export type TemporalCancelSetting = 'allow' | 'refuse';
export const TEMPORAL_CANCEL_SETTING = 'temporal-cancel';
/** What the workers authorise: every command, and starting an agreement. */
export type AuthorizedAction = CommandName | 'start';
type Permission = AuthorizedAction | 'signForOthers' | 'approveForOthers';
const AUTHORIZED_ACTIONS: readonly AuthorizedAction[] = ['start', ...COMMAND_NAMES];

/** Commands a person gives for themself: the argument that names them must be the actor, unless acting for others. */
const AS_THEMSELF: Partial<Record<CommandName, { field: string; forOthers: Permission }>> = {
  sign: { field: 'signatory', forOthers: 'signForOthers' },
  decline: { field: 'signatory', forOthers: 'signForOthers' },
  approve: { field: 'approver', forOthers: 'approveForOthers' },
  requestChanges: { field: 'approver', forOthers: 'approveForOthers' },
};
const FOR_OTHERS: Record<string, Permission> = {
  'sign-for-others': 'signForOthers',
  'approve-for-others': 'approveForOthers',
};

export const ROLES_VARIABLE = 'AGREEMENTS_ROLES';

const cliName = (name: AuthorizedAction) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
/** CLI name → Update name (`confirm-funding` → `confirmFunding`). */
const BY_CLI_NAME = new Map<string, AuthorizedAction>(AUTHORIZED_ACTIONS.map((name) => [cliName(name), name]));

/** A roles file that cannot be used: one line naming the variable and the file. */
export class RolesConfigError extends Error {
  override name = 'RolesConfigError';
}

const permission = z.string().refine((name) => name === '*' || name in FOR_OTHERS || BY_CLI_NAME.has(name), {
  message: `must be a command (${[...BY_CLI_NAME.keys()].join(', ')}), sign-for-others, approve-for-others or *`,
});
const rolesSchema = z
  .object({ [TEMPORAL_CANCEL_SETTING]: z.enum(['allow', 'refuse']).optional() })
  .catchall(z.array(permission).max(50))
  .refine((roles) => Object.keys(roles).every((actor) => actor.length >= 1 && actor.length <= 200), {
    message: 'an actor name must be 1 to 200 characters',
  });

/** The roles in `file`; throws one line naming the file and what is wrong. */
export function loadRoles(file: string): Roles {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new RolesConfigError(`${ROLES_VARIABLE}: cannot read ${file} (${code})`, { cause: error });
  }
  let document: unknown;
  try {
    document = yamlParser()(text, { maxAliasCount: 0 });
  } catch (error) {
    const why = (error as Error).message.split('\n')[0];
    throw new RolesConfigError(`${ROLES_VARIABLE}: ${file} is not YAML or JSON (${why})`, { cause: error });
  }
  const parsed = rolesSchema.safeParse(document ?? {});
  if (!parsed.success)
    throw new RolesConfigError(`${ROLES_VARIABLE}: ${file}: ${describeIssues(parsed.error).join('; ')}`);
  const { [TEMPORAL_CANCEL_SETTING]: temporalCancel = 'refuse', ...actors } = parsed.data;
  return { actors: actorPermissions(actors), temporalCancel };
}

function actorPermissions(actors: Record<string, string[]>): Roles['actors'] {
  return new Map(
    Object.entries(actors).map(([actor, names]) => [
      actor,
      new Set(
        names.flatMap((name): Permission[] => {
          if (name === '*') return [...AUTHORIZED_ACTIONS];
          const forOthers = FOR_OTHERS[name];
          if (forOthers !== undefined) return [forOthers];
          const command = BY_CLI_NAME.get(name);
          return command === undefined ? [] : [command];
        }),
      ),
    ]),
  );
}

/** Why `actor` may not run `command` with `args` under `roles`, or undefined when they may. */
export function refusalUnderRoles(
  roles: Roles,
  actor: string,
  command: AuthorizedAction,
  args: unknown,
): string | undefined {
  const allowed = roles.actors.get(actor);
  if (allowed === undefined) return `${actor} is not in the roles file, so may not ${cliName(command)}`;
  const themself = command === 'start' ? undefined : AS_THEMSELF[command];
  if (themself) {
    const named = (args as Record<string, unknown> | null)?.[themself.field];
    if (allowed.has(themself.forOthers)) return undefined;
    if (!allowed.has(command)) return `${actor} may not ${cliName(command)}`;
    return named === actor ? undefined : `${actor} may ${cliName(command)} only as themself, not as ${String(named)}`;
  }
  return allowed.has(command) ? undefined : `${actor} may not ${cliName(command)}`;
}
