import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCandidatesCsv } from '../../src/client/files.ts';
import { parseCommand } from '../../src/domain/index.ts';

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

  it('reads an optional locale column: en, zh-CN or blank for the default', async () => {
    const file = await csv(
      'locale.csv',
      'name,email,party,Locale\nLi Wei,li.wei@jitri.example,jitri,zh-CN\nAmy Jones,amy@uob.example,uob,en\nSam Lee,sam@uob.example,,\n',
    );
    expect(await readCandidatesCsv(file)).toEqual([
      { name: 'Li Wei', email: 'li.wei@jitri.example', party: 'jitri', locale: 'zh-CN' },
      { name: 'Amy Jones', email: 'amy@uob.example', party: 'uob', locale: 'en' },
      { name: 'Sam Lee', email: 'sam@uob.example' },
    ]);
    // What the CLI sends with `enrol --csv`: the command takes each candidate's language as it was read.
    const command = parseCommand('enrol', { candidates: await readCandidatesCsv(file) });
    expect(command.ok && command.value.name === 'enrol' && command.value.args).toMatchObject({
      candidates: [{ locale: 'zh-CN' }, { locale: 'en' }, { locale: undefined }],
    });
  });

  it('refuses a locale it does not write mail in, naming the line and the column', async () => {
    const bad = await csv(
      'bad-locale.csv',
      'name,email,locale\nLi Wei,li.wei@jitri.example,zh-CN\n\nAmy Jones,amy@uob.example,fr\n',
    );
    expect(await problemWith(bad)).toBe(`${bad}: line 4: locale "fr" must be one of en, zh-CN (or blank for en)`);
    // The value is compared as written: the CLI's --locale takes zh-CN, so the file does too.
    expect(await problemWith(await csv('case.csv', 'name,email,locale\nLi Wei,li.wei@jitri.example,zh-cn\n'))).toMatch(
      /case\.csv: line 2: locale "zh-cn" must be one of en, zh-CN/,
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
