import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordsStore } from '../../src/ports/records-store.ts';
import { sql } from 'kysely';
import { openRecordsStore } from '../../src/records/index.ts';
import { openSqliteRecords } from '../../src/records/sqlite-connection.ts';
import { lifecycleEvents, recordBatch, storedRegisterAfter } from './support/agreement-events.ts';
import { temporaryHome } from './support/records-backends.ts';

const run = promisify(execFile);
const writerScript = fileURLToPath(new URL('./support/record-events-process.ts', import.meta.url));
const oneToN = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

describe('records store on SQLite', () => {
  const homes: string[] = [];
  const stores: RecordsStore[] = [];

  async function storeIn(home: string): Promise<RecordsStore> {
    const store = await openRecordsStore({ home, url: '' });
    stores.push(store);
    await store.migrate();
    return store;
  }

  async function newHome(): Promise<string> {
    const home = await temporaryHome();
    homes.push(home);
    return home;
  }

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(homes.splice(0).map((home) => rm(home, { recursive: true, force: true })));
  });

  it('creates <home>/records.db, home included, in WAL mode', async () => {
    const home = path.join(await newHome(), 'nested', '.agreements');
    await storeIn(home);

    const file = path.join(home, 'records.db');
    expect(existsSync(file)).toBe(true);
    const reader = new Database(file, { readonly: true });
    try {
      expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      reader.close();
    }
  });

  it('commits without waiting for the disk on every transaction (synchronous=NORMAL, safe in WAL mode)', async () => {
    const { db } = openSqliteRecords(await newHome());
    try {
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
      // 1 is NORMAL; FULL (2, better-sqlite3's default) would block the worker's event loop on an fsync per commit.
      expect(rows[0]?.synchronous).toBe(1);
    } finally {
      await db.destroy();
    }
  });

  it('keeps one row per sequence when two store instances write to the same file at once', async () => {
    const home = await newHome();
    const [first, second] = [await storeIn(home), await storeIn(home)];
    const events = lifecycleEvents(15);
    const writes = oneToN(15).flatMap((to) => [
      first.recordEvents(recordBatch('ag-shared', events, Math.max(1, to - 3), to)),
      second.recordEvents(recordBatch('ag-shared', events, 1, to)),
      (to % 2 ? first : second).recordEvents(recordBatch(`ag-${to}`, events, 1, 15)),
    ]);
    // A reader on either instance is not blocked by the other's writes.
    const reads = oneToN(10).map((n) => (n % 2 ? first : second).history('ag-shared'));
    await Promise.all([...writes, ...reads]);

    for (const store of [first, second]) {
      expect((await store.history('ag-shared')).map((row) => row.sequence)).toEqual(oneToN(15));
      expect(await store.register({ stage: 'cohort' })).toHaveLength(16);
    }
    expect((await first.register()).find((row) => row.id === 'ag-shared')).toEqual(
      storedRegisterAfter('ag-shared', events),
    );
  });

  it('shares the file with another process writing at the same time', async () => {
    const home = await newHome();
    const store = await storeIn(home);
    const events = lifecycleEvents(40);
    let otherProcessDone = false;
    const otherProcess = run(process.execPath, [writerScript, home, 'ag-other-process', '40']).finally(() => {
      otherProcessDone = true;
    });
    // Keep writing (re-delivering, as retries do) for as long as the other process runs, so the writes overlap.
    for (let round = 0; round < 3 || !otherProcessDone; round += 1) {
      for (let to = 1; to <= 40; to += 1) await store.recordEvents(recordBatch('ag-here', events, 1, to));
      // better-sqlite3 settles every query in microtasks: let the event loop see the other process exit.
      await setImmediatePromise();
    }
    await otherProcess;

    for (const id of ['ag-here', 'ag-other-process']) {
      expect((await store.history(id)).map((row) => row.sequence)).toEqual(oneToN(40));
    }
    expect(await store.register()).toEqual([
      storedRegisterAfter('ag-here', events),
      storedRegisterAfter('ag-other-process', events),
    ]);
  });
});
