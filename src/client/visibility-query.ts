/**
 * Temporal visibility queries built from parts instead of by pasting text: every value is a quoted, escaped string
 * literal, so a value can never change the query's shape.
 */
export type Clause = string & { readonly __clause: unique symbol };

/** A string literal of the visibility query language (`"…"`, with `\` and `"` escaped). */
export function literal(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function equals(attribute: string, value: string): Clause {
  return `${attribute} = ${literal(value)}` as Clause;
}

export function atOrBefore(attribute: string, instant: Date): Clause {
  return `${attribute} <= ${literal(instant.toISOString())}` as Clause;
}

/** A query the user wrote, kept whole inside parentheses. */
export function userQuery(text: string): Clause {
  return `(${text})` as Clause;
}

export function allOf(clauses: readonly Clause[]): string {
  return clauses.join(' AND ');
}
