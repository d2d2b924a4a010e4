import { stringify } from 'csv-stringify/sync';

/**
 * RFC 4180 (csv-stringify): a field with a comma, a quote, CR or LF is quoted, quotes inside doubled; every record
 * ends in CRLF. Every field is also neutralised against formula injection (see `inertCell`), since the office opens
 * these files in a spreadsheet.
 */
export function toCsv(records: readonly (readonly string[])[]): string {
  return stringify(
    records.map((fields) => fields.map(inertCell)),
    { record_delimiter: '\r\n', quoted_match: /[\r\n]/ },
  );
}

/**
 * A cell a spreadsheet could run as a formula — starting with `=`, `+`, `-`, `@`, tab, CR or LF, also after leading
 * spaces, which some spreadsheets trim — gets a leading `'` so it opens as text (OWASP, "CSV Injection").
 */
export function inertCell(value: string): string {
  return /^(?:[\t\r\n]| *[=+\-@])/.test(value) ? `'${value}` : value;
}
