import { z } from 'zod';
import { agreementSchemas } from './agreement.ts';
import { fields, LIMITS, text } from './fields.ts';
import { inClosure } from './closure.ts';
import { parseWith, type Result } from './validation.ts';
import { COMMAND_NAMES, type CommandName } from './command-names.ts';

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

export { COMMAND_NAMES, type CommandName } from './command-names.ts';

/** Each command's schema (kept in a closure: see closure.ts). */
function buildCommandSchemas() {
  const { email, identifier, instant, locale } = fields();
  const { candidate } = agreementSchemas();

  /** A plain object, checked before any copy so a "__proto__" key cannot slip through. */
  const plainObject = (what: string) =>
    z.unknown().transform((value, ctx) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        ctx.addIssue({ code: 'custom', message: `must be an object (${what})` });
        return z.NEVER;
      }
      const key = forbiddenKey(value);
      if (key) {
        ctx.addIssue({ code: 'custom', message: `key "${key}" is not allowed` });
        return z.NEVER;
      }
      return value as Record<string, unknown>;
    });
  const actor = text().optional();
  /** An actor token's proof for this command (src/actors/actor-token.ts); the worker checks it, the decider ignores it. */
  const proof = z
    .strictObject({
      kid: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a key id'),
      claims: z.string().regex(/^[A-Za-z0-9_-]{1,1000}$/, 'must be base64url'),
      at: z.number().int().nonnegative(),
      mac: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url HMAC-SHA256'),
    })
    .optional();
  /** A mail link's token (SPEC 16, src/links/link-token.ts), sent by the web server; the worker checks it, the decider ignores it. */
  const link = z
    .string()
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be a link token')
    .max(4000)
    .optional();
  const options = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ ...shape, actor, proof, link });
  const hex = z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters')
    .transform((value) => value.toLowerCase());
  const hexList = z
    .array(hex)
    .min(1, 'must list at least one SHA-256')
    .max(LIMITS.documents, `must list at most ${LIMITS.documents} SHA-256 values`);
  /** One SHA-256 or a list of them (one per document), always a list once parsed; a lone string's errors name no index. */
  const documentHashes = z
    .union([z.string(), z.array(z.string())], { message: 'must be a SHA-256 or a list of them' })
    .transform((value, ctx) => {
      const lone = typeof value === 'string';
      const parsed = hexList.safeParse(lone ? [value] : value);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) {
        const path = lone ? issue.path.slice(1) : issue.path;
        ctx.addIssue({ code: 'custom', path, message: issue.message });
      }
      return z.NEVER;
    });

  const enrolOne = options({ name: text(), email, party: identifier.optional(), locale: locale.optional() });
  const enrolMany = options({
    candidates: z
      .array(candidate)
      .min(1, 'must list at least one candidate')
      .max(LIMITS.capacity, `must list at most ${LIMITS.capacity} candidates at once`),
  });

  /**
   * The argument of each Update, keyed by its wire name: the CLI options in camelCase.
   * `actor` is optional on all of them and names who acted in the audit trail; `proof` (an actor token's) or `link`
   * (a mail link's token) vouches for it.
   */
  const byName = {
    amend: options({ patch: plainObject('a JSON merge patch') }),
    submit: options({}),
    /** `variation` names a variation of an active agreement (SPEC 18) instead of the agreement itself. */
    approve: options({
      approver: identifier,
      note: text(LIMITS.longText).optional(),
      variation: identifier.optional(),
    }),
    requestChanges: options({ approver: identifier, reason: text(LIMITS.longText), variation: identifier.optional() }),
    reschedule: options({ at: instant, venue: text().optional() }),
    sign: options({
      signatory: identifier,
      at: instant.optional(),
      documentSha256: documentHashes.optional(),
      variation: identifier.optional(),
    }),
    decline: options({ signatory: identifier, reason: text(LIMITS.longText), variation: identifier.optional() }),
    extend: options({ until: instant }),
    replace: options({
      signatory: identifier.optional(),
      approver: identifier.optional(),
      name: text(),
      email,
      title: text().optional(),
      locale: locale.optional(),
      reason: text(LIMITS.longText),
    }).refine((args) => (args.signatory === undefined) !== (args.approver === undefined), {
      message: 'must name either a signatory or an approver to replace',
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
    fulfil: options({ obligation: identifier, reference: text().optional() }),
    /** One obligation as in the agreement file; the decider validates it as part of the agreement. */
    addObligation: options({ obligation: plainObject('one obligation: id, title, due, owner, notice') }),
    /** A JSON merge patch on the varied sections of an active agreement, and why (SPEC 18). */
    vary: options({ patch: plainObject('a JSON merge patch'), reason: text(LIMITS.longText) }),
    withdrawVariation: options({ variation: identifier, reason: text(LIMITS.longText).optional() }),
    complete: options({}),
    cancel: options({ reason: text(LIMITS.longText) }),
  } as const satisfies Record<CommandName, z.ZodType>;

  return { byName, enrolOne, enrolMany, startOptions: z.strictObject({ actor }) };
}

const commandSchemas = inClosure(buildCommandSchemas());
type CommandSchemas = ReturnType<typeof buildCommandSchemas>['byName'];

export type CommandArgs<N extends CommandName> = z.input<CommandSchemas[N]>;
type ParsedArgs<N extends CommandName> = z.output<CommandSchemas[N]>;

export type Command = { [N in CommandName]: { name: N; args: ParsedArgs<N> } }[CommandName];

/** What a command carries instead of an actor token: the token's claims and an HMAC over the command (src/actors/actor-token.ts). */
export interface CommandProof {
  kid: string;
  claims: string;
  /** When the proof was made, epoch milliseconds. */
  at: number;
  mac: string;
}

/** Commands the workflow issues itself when a planned moment arrives. */
export type TimedCommand = { name: 'autoLaunch' } | { name: 'autoComplete' } | { name: 'deadlinePassed' };

export function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

/** How an agreement is started, beside its document (the workflow's optional second argument). */
export interface StartOptions {
  /** Who started it, for the first row of the audit trail (`agreements start --actor`). */
  actor?: string;
}

export function parseStartOptions(options: unknown): Result<StartOptions> {
  return parseWith(commandSchemas().startOptions, options ?? {});
}

export function parseCommand(name: string, args: unknown): Result<Command> {
  if (!isCommandName(name)) return { ok: false, errors: [`unknown command "${name}"`] };
  // enrol takes one of two shapes; pick it up front so errors name the fields rather than "matches neither".
  const batch = typeof args === 'object' && args !== null && 'candidates' in args;
  const schemas = commandSchemas();
  const schema = name === 'enrol' ? (batch ? schemas.enrolMany : schemas.enrolOne) : schemas.byName[name];
  const parsed = parseWith(schema, args ?? {});
  return parsed.ok ? { ok: true, value: { name, args: parsed.value } as Command } : parsed;
}
