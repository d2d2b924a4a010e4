import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCandidatesCsv } from '../../src/client/files.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agreements-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function csv(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function problemWith(file: string): Promise<string> {
  return readCandidatesCsv(file).then(
    () => 'no problem',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
}

describe('enrol --csv', () => {
  it('reads name,email[,party] with any header case, a BOM and blank lines', async () => {
    const file = await csv(
      'ok.csv',
      '\uFEFFName, Email ,party\nLi Wei,li.wei@jitri.example,jitri\n\nAmy Jones,amy@uob.example,\n',
    );
    expect(await readCandidatesCsv(file)).toEqual([
      { name: 'Li Wei', email: 'li.wei@jitri.example', party: 'jitri' },
      { name: 'Amy Jones', email: 'amy@uob.example' },
    ]);
  });

  it('names the column that is missing or unknown, rather than blaming every row', async () => {
    expect(await problemWith(await csv('no-email.csv', 'name,mail\nLi Wei,li.wei@jitri.example\n'))).toMatch(
      /no-email\.csv: no email column/,
    );
    expect(await problemWith(await csv('extra.csv', 'name,email,phone\nLi Wei,li.wei@jitri.example,123\n'))).toMatch(
      /extra\.csv: unknown column "phone"/,
    );
  });

  it("skips a nameless column (a spreadsheet's trailing comma)", async () => {
    const file = await csv('trailing.csv', 'name,email,\nLi Wei,li.wei@jitri.example,\n');
    expect(await readCandidatesCsv(file)).toEqual([{ name: 'Li Wei', email: 'li.wei@jitri.example' }]);
  });

  it('names the lines of an email given twice (counting blank lines), and refuses a file with no candidates', async () => {
    const twice = await csv(
      'twice.csv',
      'name,email\nLi Wei,li.wei@jitri.example\n\nAmy Jones,amy@uob.example\nWei Li,LI.WEI@jitri.example\n',
    );
    expect(await problemWith(twice)).toMatch(/twice\.csv: line 5: LI\.WEI@jitri\.example is already on line 2$/);
    const blank = await csv('blank.csv', 'name,email\nLi Wei,\nAmy Jones,\n');
    expect(await readCandidatesCsv(blank)).toEqual([
      { name: 'Li Wei', email: '' },
      { name: 'Amy Jones', email: '' },
    ]);
    expect(await problemWith(await csv('empty.csv', 'name,email\n'))).toMatch(/empty\.csv: no candidates/);
  });
});
