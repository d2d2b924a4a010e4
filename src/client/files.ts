import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { AgreementError } from './errors.ts';

const MAX_FILE_BYTES = 5 * 1024 * 1024;

async function readText(file: string): Promise<string> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
    throw new AgreementError('invalid', `cannot read ${file}: ${reason}`);
  }
  if (content.byteLength > MAX_FILE_BYTES) {
    throw new AgreementError('invalid', `${file}: larger than the ${MAX_FILE_BYTES / 1024 / 1024} MB limit`);
  }
  return content.toString('utf8');
}

/** Reads a YAML or JSON file (YAML is a superset of JSON). Timestamps stay strings, so offsets are kept. */
export async function readDataFile(file: string): Promise<unknown> {
  const text = await readText(file);
  try {
    return parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new AgreementError('invalid', `${file}: not valid YAML or JSON (${message})`);
  }
}

/** Candidates from a CSV file with a header row: name,email[,party]. */
export async function readCandidatesCsv(file: string): Promise<{ name: string; email: string; party?: string }[]> {
  const text = await readText(file);
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      // A column with no name (a spreadsheet's trailing comma) is skipped.
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase() || false),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
    });
  } catch (error) {
    throw new AgreementError(
      'invalid',
      `${file}: not valid CSV (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const columns = Object.keys(records[0]?.record ?? {});
  const missing = REQUIRED_CSV_COLUMNS.filter((column) => !columns.includes(column));
  if (records.length > 0 && missing.length > 0)
    throw new AgreementError(
      'invalid',
      `${file}: no ${missing.join(' or ')} column (the header must name name,email[,party])`,
    );
  const unknown = columns.filter((column) => !CSV_COLUMNS.includes(column));
  if (unknown.length > 0)
    throw new AgreementError(
      'invalid',
      `${file}: unknown column ${unknown.map((column) => `"${column}"`).join(', ')} (expected name,email[,party])`,
    );
  const firstLine = new Map<string, number>();
  const candidates = records.map(({ record, info }) => {
    const email = record.email ?? '';
    // A missing email is left for validation to name; a repeated one is named here, with both lines of the file.
    const earlier = email === '' ? undefined : firstLine.get(email.toLowerCase());
    if (earlier !== undefined)
      throw new AgreementError('invalid', `${file}: line ${info.lines}: ${email} is already on line ${earlier}`);
    if (email !== '') firstLine.set(email.toLowerCase(), info.lines);
    return { name: record.name ?? '', email, party: record.party || undefined };
  });
  if (candidates.length === 0)
    throw new AgreementError('invalid', `${file}: no candidates (a header row and one line per candidate)`);
  return candidates;
}

const REQUIRED_CSV_COLUMNS = ['name', 'email'];
const CSV_COLUMNS = [...REQUIRED_CSV_COLUMNS, 'party'];
