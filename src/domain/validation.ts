import type { z } from 'zod';
import { agreementSchemas, type Agreement } from './agreement.ts';

import { describeIssues, type Result } from './issues.ts';

export { describeIssues, formatPath, type Result } from './issues.ts';

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
