import { z } from 'zod';
import { candidateSchema } from './agreement.ts';
import { email, identifier, instant, LIMITS, text } from './fields.ts';
import { parseWith, type Result } from './validation.ts';

const actor = text().optional();

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function forbiddenKey(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return key;
    const nested = forbiddenKey((value as Record<string, unknown>)[key]);
    if (nested) return nested;
  }
  return undefined;
}

/** A JSON merge patch: a plain object, checked before any copy so a "__proto__" key cannot slip through. */
const mergePatch = z.unknown().transform((value, ctx) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be an object (a JSON merge patch)' });
    return z.NEVER;
  }
  const key = forbiddenKey(value);
  if (key) {
    ctx.addIssue({ code: 'custom', message: `key "${key}" is not allowed` });
    return z.NEVER;
  }
  return value as Record<string, unknown>;
});
const options = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ ...shape, actor });

const enrolOne = options({ name: text(), email, party: identifier.optional() });
const enrolMany = options({
  candidates: z
    .array(candidateSchema)
    .min(1, 'must list at least one candidate')
    .max(LIMITS.capacity, `must list at most ${LIMITS.capacity} candidates at once`),
});

/**
 * The argument of each Update, keyed by its wire name (spec §4): the CLI options in camelCase.
 * `actor` is optional on all of them and names who acted in the audit trail.
 */
export const commandSchemas = {
  amend: options({ patch: mergePatch }),
  submit: options({}),
  reschedule: options({ at: instant, venue: text().optional() }),
  sign: options({
    signatory: identifier,
    at: instant.optional(),
    documentSha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters')
      .transform((hex) => hex.toLowerCase())
      .optional(),
  }),
  confirmFunding: options({
    commitment: identifier,
    amount: z.number({ message: 'must be a number' }).positive('must be positive').max(1e13),
    reference: text().optional(),
  }),
  enrol: z.union([enrolOne, enrolMany], { message: 'must give name and email, or candidates: [{ name, email }]' }),
  withdraw: options({ candidate: email }),
  launch: options({}),
  renew: options({ until: instant }),
  complete: options({}),
  cancel: options({ reason: text(LIMITS.longText) }),
} as const;

export type CommandName = keyof typeof commandSchemas;
export const COMMAND_NAMES = Object.keys(commandSchemas) as CommandName[];

export type CommandArgs<N extends CommandName> = z.input<(typeof commandSchemas)[N]>;
type ParsedArgs<N extends CommandName> = z.output<(typeof commandSchemas)[N]>;

export type Command = { [N in CommandName]: { name: N; args: ParsedArgs<N> } }[CommandName];

/** Commands the workflow issues itself when a planned moment arrives. */
export type TimedCommand = { name: 'autoLaunch' } | { name: 'autoComplete' };

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commandSchemas, name);
}

export function parseCommand(name: string, args: unknown): Result<Command> {
  if (!isCommandName(name)) return { ok: false, errors: [`unknown command "${name}"`] };
  // enrol takes one of two shapes; pick it up front so errors name the fields rather than "matches neither".
  const batch = typeof args === 'object' && args !== null && 'candidates' in args;
  const schema = name === 'enrol' ? (batch ? enrolMany : enrolOne) : commandSchemas[name];
  const parsed = parseWith(schema, args ?? {});
  return parsed.ok ? { ok: true, value: { name, args: parsed.value } as Command } : parsed;
}
