import type { z } from 'zod';
import { agreementSchemas, type Agreement } from './agreement.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** `['signatories', 1, 'party']` → `signatories[1].party`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => `unknown key "${key}"`).join(', ');
    case 'invalid_type':
      return /received undefined/.test(issue.message) ? 'is required' : `must be ${article(issue.expected)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => String(value)).join(', ')}`;
    case 'too_big':
    case 'too_small':
    case 'custom':
    case 'invalid_format':
      return issue.message;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'an object';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** One line per problem, each naming its field path: `signatories[1].party: unknown party "jitr"`. */
export function describeIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.map((issue) => {
    const path = formatPath([...prefix, ...issue.path]);
    return path ? `${path}: ${describeIssue(issue)}` : describeIssue(issue);
  });
}

export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix: readonly PropertyKey[] = [],
): Result<z.output<S>> {
  const parsed = schema.safeParse(input);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: describeIssues(parsed.error, prefix) };
}

export function parseAgreement(input: unknown): Result<Agreement> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: ['agreement must be an object'] };
  }
  return parseWith(agreementSchemas().agreement, input);
}

/** Splits a file's content into agreements: one document, `agreements: [...]`, or a top-level list. */
export function agreementDocuments(content: unknown): Result<unknown[]> {
  let list: unknown[];
  if (Array.isArray(content)) list = content;
  else if (typeof content === 'object' && content !== null && 'agreements' in content && !('id' in content)) {
    const { agreements, ...rest } = content as { agreements: unknown };
    const unknown = Object.keys(rest);
    if (unknown.length > 0)
      return { ok: false, errors: unknown.map((key) => `unknown key "${key}" beside agreements`) };
    if (!Array.isArray(agreements)) return { ok: false, errors: ['agreements: must be a list'] };
    list = agreements;
  } else list = [content];
  return list.length > 0 ? { ok: true, value: list } : { ok: false, errors: ['no agreements: the list is empty'] };
}
