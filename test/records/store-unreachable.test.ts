import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStoreUnreachable, openRecordsStore, redactRecordsUrl } from '../../src/records/index.ts';
import { ThrowawayPostgresDatabases } from './support/postgres-databases.ts';
import { temporaryHome } from './support/records-backends.ts';

async function openingFailure(options: { url?: string; home: string }): Promise<unknown> {
  // Opening checks the connection; migrate is the first thing a caller does, so either may be where it fails.
  const failure = await openRecordsStore(options)
    .then((store) => store.migrate().finally(() => store.close()))
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  expect(failure, 'the store should have been unreachable').toBeDefined();
  return failure;
}

function expectOneCleanLine(line: string | undefined): asserts line is string {
  expect(line).toBeDefined();
  expect(line).not.toMatch(/[\r\n]/);
  expect(line).not.toMatch(/\bat .*:\d+:\d+/);
}

describe('an unreachable records store', () => {
  const homes: string[] = [];
  const newHome = async () => {
    const home = await temporaryHome();
    homes.push(home);
    return home;
  };
  afterAll(() => Promise.all(homes.map((home) => rm(home, { recursive: true, force: true }))));

  it('is one line naming the PostgreSQL server without its password when nothing listens', async () => {
    const failure = await openingFailure({
      home: await newHome(),
      url: 'postgres://postgres:s3cret@127.0.0.1:1/records?password=s3cret',
    });
    const line = describeStoreUnreachable(failure);
    expectOneCleanLine(line);
    expect(line).toBe('records store unreachable: postgres://…@127.0.0.1:1/records (connection refused)');
    expect(String(failure)).not.toContain('s3cret');
  });

  it('says so when the PostgreSQL database does not exist', async () => {
    const databases = new ThrowawayPostgresDatabases();
    const url = new URL(await databases.create());
    await databases.dropAll();
    const line = describeStoreUnreachable(await openingFailure({ home: await newHome(), url: url.toString() }));
    expectOneCleanLine(line);
    expect(line).toBe(
      `records store unreachable: postgres://…@127.0.0.1:5432${url.pathname} (database does not exist)`,
    );
  });

  it('says so when the SQLite file cannot be opened', async () => {
    const home = await newHome();
    await mkdir(path.join(home, 'records.db'));
    const line = describeStoreUnreachable(await openingFailure({ home }));
    expectOneCleanLine(line);
    expect(line).toBe(`records store unreachable: ${path.join(home, 'records.db')} (cannot open database file)`);
  });

  it('recognises a raw connection failure, and nothing else', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:5432'), {
      code: 'ECONNREFUSED',
      address: '10.0.0.9',
      port: 5432,
    });
    expect(describeStoreUnreachable(new AggregateError([refused], 'connect failed'))).toBe(
      'records store unreachable: 10.0.0.9:5432 (connection refused)',
    );
    expect(describeStoreUnreachable(Object.assign(new Error('x'), { code: 'SQLITE_CANTOPEN' }))).toBe(
      'records store unreachable (cannot open database file)',
    );
    expect(describeStoreUnreachable(new Error('boom'))).toBeUndefined();
    expect(
      describeStoreUnreachable(Object.assign(new Error('no such table'), { code: 'SQLITE_ERROR' })),
    ).toBeUndefined();
    expect(describeStoreUnreachable('ECONNREFUSED')).toBeUndefined();
  });

  it('rejects a RECORDS_URL that is neither empty nor postgres, naming the variable', async () => {
    const failure = await openingFailure({ home: await newHome(), url: 'mysql://root:pw@db/records' });
    expect(String(failure)).toMatch(/RECORDS_URL/);
    expect(String(failure)).not.toContain('pw');
    expect(describeStoreUnreachable(failure)).toBeUndefined();
  });

  it('redacts credentials from store URLs', () => {
    expect(redactRecordsUrl('postgresql://app:pa%40ss@db.internal/records?sslmode=require&password=x')).toBe(
      'postgresql://…@db.internal:5432/records',
    );
    expect(redactRecordsUrl('postgres://db.internal:6543/records')).toBe('postgres://db.internal:6543/records');
  });
});
