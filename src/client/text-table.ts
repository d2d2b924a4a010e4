import stringWidth from 'string-width';

/**
 * Plain-text columns aligned with spaces, the header first; every line ends in a newline. Cells are measured by the
 * columns a terminal gives them (string-width: a Chinese character takes two, a combining mark none), not by
 * `.length`, so a table with Chinese names lines up.
 */
export function toTextTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [header, ...rows].map((row) => row.map(singleLine));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => stringWidth(row[column] ?? ''))));
  return cells
    .map(
      (row) =>
        `${row
          .map((cell, column) => cell + ' '.repeat(Math.max(0, (widths[column] ?? 0) - stringWidth(cell))))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

/** A cell must not break the table, so line breaks and tabs become spaces. */
function singleLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}
