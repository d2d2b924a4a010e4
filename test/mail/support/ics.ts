/** The value of the first `name` property in an iCalendar text (lines unfolded), or undefined. */
export function icsProperty(content: string, name: string): string | undefined {
  const unfolded = content.replace(/\r?\n[ \t]/g, '');
  const line = unfolded.split(/\r?\n/).find((entry) => entry.startsWith(`${name}:`) || entry.startsWith(`${name};`));
  return line?.slice(line.indexOf(':') + 1);
}
