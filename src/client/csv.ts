/** RFC 4180: a field with a comma, a quote, CR or LF is quoted, quotes inside doubled; every record ends in CRLF. */
export function toCsv(records: readonly (readonly string[])[]): string {
  return records.map((fields) => `${fields.map(csvField).join(',')}\r\n`).join('');
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
