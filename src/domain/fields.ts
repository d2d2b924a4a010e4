import { z } from 'zod';
import { durationFromText } from './duration.ts';
import { inClosure } from './closure.ts';
import { LOCALES } from './locale.ts';

/** Control characters (CR, LF, NUL, …) are refused in every text field, so no header can ever be injected. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export const LIMITS = {
  shortText: 200,
  longText: 2_000,
  signatories: 100,
  parties: 50,
  coordinators: 50,
  commitments: 200,
  capacity: 10_000,
  reminderLeads: 20,
  approvers: 20,
  obligations: 200,
  documents: 50,
} as const;

export function text(max: number = LIMITS.shortText) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain line breaks or control characters');
}

const knownTimeZones = new Set<string>();

export function isKnownTimeZone(zone: string): boolean {
  if (knownTimeZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch {
    return false;
  }
  if (zone.length > 0) knownTimeZones.add(zone);
  return zone.length > 0;
}

/** The field schemas (kept in a closure: see closure.ts). */
function buildFields() {
  const isoInstant = z.iso.datetime({ offset: true });

  const identifier = z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'must use only lowercase letters, digits and "-"')
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters');

  const email = z
    .string()
    .trim()
    .max(254, 'must be at most 254 characters')
    // Our own literal pattern: zod's is frozen with the shared module (checks reset lastIndex) and is a function in
    // the workflow bundle.
    .pipe(
      z.email({
        pattern: /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/,
        message: 'must be an email address',
      }),
    )
    .transform((value) => value.toLowerCase());

  const timezone = z
    .string()
    .max(64, 'must be at most 64 characters')
    .superRefine((zone, ctx) => {
      if (!isKnownTimeZone(zone)) ctx.addIssue({ code: 'custom', message: `unknown timezone "${zone.slice(0, 64)}"` });
    });

  /** An ISO 8601 instant that carries its offset (Z or ±hh:mm): naive local times are ambiguous across Birmingham and Nanjing. */
  const instant = z.union([z.string(), z.date()]).transform((value, ctx) => {
    const textValue = value instanceof Date ? value.toISOString() : value;
    const parsed = isoInstant.safeParse(textValue);
    if (!parsed.success || Number.isNaN(Date.parse(textValue))) {
      ctx.addIssue({
        code: 'custom',
        message: `must be an ISO 8601 date-time with an offset (e.g. 2027-01-15T10:00:00+08:00), got "${String(textValue).slice(0, 40)}"`,
      });
      return z.NEVER;
    }
    return textValue;
  });

  const duration = z.string().transform((value, ctx) => {
    const parsed = durationFromText(value);
    if (!parsed) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a duration like P14D, PT30S, 14d or 30s, got "${value.slice(0, 40)}"`,
      });
      return z.NEVER;
    }
    return parsed;
  });

  /** A positive amount with at most two decimals, held as integer minor units (pence, fen) to keep sums exact. */
  const amountInMinorUnits = z
    .number({ message: 'must be a number' })
    .positive('must be positive')
    .max(1e13, 'must be at most 10,000,000,000,000')
    .transform((value, ctx) => {
      const minor = Math.round(value * 100);
      if (Math.abs(minor - value * 100) > 1e-6) {
        ctx.addIssue({ code: 'custom', message: 'must have at most 2 decimals' });
        return z.NEVER;
      }
      return minor;
    });

  const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as GBP or CNY');

  const locale = z.enum(LOCALES, { message: `must be one of ${LOCALES.join(', ')}` });

  /** A document version's SHA-256 as `sha256sum` prints it: lower case, so one version has one spelling. */
  const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256: 64 lowercase hexadecimal characters');

  /** A language tag such as en, zh-CN or zh-Hans (BCP 47, its common shapes). */
  const language = z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, 'must be a language tag such as en, zh-CN or zh-Hans');

  return { identifier, email, timezone, instant, duration, amountInMinorUnits, currency, locale, sha256, language };
}

export const fields = inClosure(buildFields());
