/** Plain-text columns aligned with spaces, the header first; every line ends in a newline. */
export function toTextTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [header, ...rows].map((row) => row.map(singleLine));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)));
  return cells
    .map(
      (row) =>
        `${row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

/** A cell must not break the table, so line breaks and tabs become spaces. */
function singleLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}
