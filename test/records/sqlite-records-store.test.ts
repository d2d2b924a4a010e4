import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, rm } from 'node:fs/promises';
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
const modeOf = (file: string) => statSync(file).mode & 0o777;
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

  it('commits to the disk before a write reports done (synchronous=FULL): a power loss keeps reported audit rows', async () => {
    const { db } = openSqliteRecords(await newHome());
    try {
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
      // 2 is FULL; NORMAL (1) could lose the last commits of WAL mode to a power loss after they were reported.
      expect(rows[0]?.synchronous).toBe(2);
    } finally {
      await db.destroy();
    }
  });

  it("keeps records.db, its -wal and -shm and a new home the owner's alone (0600, 0700), whatever the umask", async () => {
    const previous = process.umask(0);
    try {
      const home = path.join(await newHome(), 'new', '.agreements');
      const store = await storeIn(home);
      await store.recordEvents(recordBatch('ag-modes', lifecycleEvents(2), 1, 2));
      const file = path.join(home, 'records.db');
      for (const part of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(part), part).toBe(0o600);
      expect(modeOf(home)).toBe(0o700);
      expect(modeOf(path.dirname(home))).toBe(0o700);

      // A database an older version left readable by all is made private when opened.
      const old = await newHome();
      const oldFile = path.join(old, 'records.db');
      new Database(oldFile).close();
      await chmod(oldFile, 0o644);
      await storeIn(old);
      expect(modeOf(oldFile)).toBe(0o600);
      expect(modeOf(old)).toBe(0o700); // mkdtemp's own, left as it was
    } finally {
      process.umask(previous);
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
