import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { CST, Lexer, Parser, parse as parseYaml } from 'yaml';
import { LOCALES, type Locale } from '../domain/locale.ts';
import { AgreementError } from './agreement-error.ts';

const MAX_FILE_BYTES = 5 * 1024 * 1024;
const LIMIT_TEXT = `${MAX_FILE_BYTES / 1024 / 1024} MB limit`;
/** Parser stack entries (about one per level; an agreement needs 7): far more is an attack on the parser's stack. */
export const MAX_NESTING = 64;
/**
 * Mapping entries (`key: value` pairs) in one file, all mappings together. An agreement has about 60 and a batch file
 * a few thousand; yaml's composer checks each new key against the others of its mapping, so one flat mapping of 40,000
 * keys would take it some 20 s. Counted by the lexer alone, which is linear and stops at the first entry too many.
 */
export const MAX_ENTRIES = 10_000;
/** The name that reads standard input instead of a file (`agreements start -`). */
export const STDIN = '-';

const tooLarge = (name: string) => new AgreementError('invalid', `${name}: larger than the ${LIMIT_TEXT}`);

/**
 * The text of `file` (or of standard input for `-`), refused as soon as it passes the size limit: a regular file by
 * its size before a byte is read, anything else (a pipe, a device) once it has sent one byte too many.
 */
async function readText(file: string): Promise<string> {
  const bytes = await readBytes(file);
  return asText(bytes, file === STDIN ? 'standard input' : file);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text, or why they are not: empty, binary (a NUL byte), or not UTF-8. */
function asText(bytes: Buffer, name: string): string {
  if (bytes.includes(0)) throw new AgreementError('invalid', `${name}: binary data, not text (it contains NUL bytes)`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new AgreementError('invalid', `${name}: not UTF-8 text (save it as UTF-8)`);
  }
  if (text.trim() === '') throw new AgreementError('invalid', `${name}: is empty`);
  return text;
}

async function readBytes(file: string): Promise<Buffer> {
  if (file === STDIN) return readBounded(process.stdin, 'standard input');
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw unreadable(file, error);
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new AgreementError('invalid', `cannot read ${file}: is a directory`);
    if (stats.isFile() && stats.size > MAX_FILE_BYTES) throw tooLarge(file);
    return await readBounded(handle.createReadStream({ autoClose: false }), file);
  } catch (error) {
    throw error instanceof AgreementError ? error : unreadable(file, error);
  } finally {
    await handle.close();
  }
}

function unreadable(file: string, error: unknown): AgreementError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
  return new AgreementError('invalid', `cannot read ${file}: ${reason}`);
}

/** Collects a stream up to the limit; one byte more and it stops reading and refuses. */
async function readBounded(stream: Readable, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.byteLength;
    if (size > MAX_FILE_BYTES) {
      stream.destroy();
      throw tooLarge(name);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/**
 * Refuses text nested deeper than MAX_NESTING before it is parsed: the YAML composer recurses once per level, so
 * 200k brackets would otherwise end in a stack overflow seconds and hundreds of MB later. yaml's CST parser keeps
 * its nesting on an explicit stack, so watching that stack costs one pass and stops at the first level too many.
 */
function refuseDeepNesting(text: string, name: string): void {
  const parser = new Parser();
  const lexer = new Lexer();
  const fail = () =>
    new AgreementError('invalid', `${name}: nested more than ${MAX_NESTING} levels deep (an agreement needs about 7)`);
  for (const lexeme of lexer.lex(text, false)) {
    for (const _token of parser.next(lexeme)) if (parser.stack.length > MAX_NESTING) throw fail();
    if (parser.stack.length > MAX_NESTING) throw fail();
  }
}

/** Refuses more than MAX_ENTRIES mapping entries, counting the lexer's `:` value indicators (linear, no parse). */
function refuseTooManyEntries(text: string, name: string): void {
  let entries = 0;
  for (const lexeme of new Lexer().lex(text, false)) {
    const type = CST.tokenType(lexeme);
    if (type === 'map-value-ind' && ++entries > MAX_ENTRIES)
      throw new AgreementError(
        'invalid',
        `${name}: more than ${MAX_ENTRIES.toLocaleString('en')} keys (an agreement has about 60): split it into several files`,
      );
  }
}

/**
 * Reads a YAML or JSON file (YAML is a superset of JSON), or standard input for `-`. Timestamps stay strings, so
 * offsets are kept.
 */
export async function readDataFile(file: string): Promise<unknown> {
  const text = await readText(file);
  const name = file === STDIN ? 'standard input' : file;
  refuseTooManyEntries(text, name);
  refuseDeepNesting(text, name);
  try {
    return parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new AgreementError('invalid', `${name}: not valid YAML or JSON (${message})`);
  }
}

/** What a parsed document is, for a message that says so: `a list`, `the number 42`, `nothing`. */
export function whatItHolds(content: unknown): string {
  if (content === null || content === undefined) return 'nothing (only comments, or null)';
  if (Array.isArray(content)) return 'a list';
  if (typeof content === 'string') return `the text "${content.length > 40 ? `${content.slice(0, 40)}…` : content}"`;
  if (typeof content === 'object') return 'a mapping';
  return `the ${typeof content} ${String(content)}`;
}

/** Reads a file that must hold one mapping of fields (a merge patch, an obligation), or says what it holds instead. */
export async function readDataMapping(file: string, what: string): Promise<Record<string, unknown>> {
  const content = await readDataFile(file);
  if (typeof content === 'object' && content !== null && !Array.isArray(content))
    return content as Record<string, unknown>;
  const name = file === STDIN ? 'standard input' : file;
  throw new AgreementError('invalid', `${name}: holds ${whatItHolds(content)}, not ${what} (a mapping of fields)`);
}

/** Candidates from a CSV file with a header row: name,email[,party][,locale]. */
export async function readCandidatesCsv(
  file: string,
): Promise<{ name: string; email: string; party?: string; locale?: Locale }[]> {
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
      `${file}: no ${missing.join(' or ')} column (the header must name ${CSV_HEADER})`,
    );
  const unknown = columns.filter((column) => !CSV_COLUMNS.includes(column));
  if (unknown.length > 0)
    throw new AgreementError(
      'invalid',
      `${file}: unknown column ${unknown.map((column) => `"${column}"`).join(', ')} (expected ${CSV_HEADER})`,
    );
  const firstLine = new Map<string, number>();
  const candidates = records.map(({ record, info }) => {
    const email = record.email ?? '';
    // A missing email is left for validation to name; a repeated one is named here, with both lines of the file.
    const earlier = email === '' ? undefined : firstLine.get(email.toLowerCase());
    if (earlier !== undefined)
      throw new AgreementError('invalid', `${file}: line ${info.lines}: ${email} is already on line ${earlier}`);
    if (email !== '') firstLine.set(email.toLowerCase(), info.lines);
    // Blank is the default language; anything else must be one the mail is written in, named with its line.
    const locale = record.locale || undefined;
    if (locale !== undefined && !isLocale(locale))
      throw new AgreementError(
        'invalid',
        `${file}: line ${info.lines}: locale "${locale}" must be one of ${LOCALES.join(', ')} (or blank for ${LOCALES[0]})`,
      );
    return { name: record.name ?? '', email, party: record.party || undefined, locale };
  });
  if (candidates.length === 0)
    throw new AgreementError('invalid', `${file}: no candidates (a header row and one line per candidate)`);
  return candidates;
}

const REQUIRED_CSV_COLUMNS = ['name', 'email'];
const CSV_COLUMNS = [...REQUIRED_CSV_COLUMNS, 'party', 'locale'];
const CSV_HEADER = 'name,email[,party][,locale]';
const isLocale = (text: string): text is Locale => (LOCALES as readonly string[]).includes(text);
