import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecordsStoreOptions } from '../../../src/records/index.ts';
import { ThrowawayPostgresDatabases } from './postgres-databases.ts';

/** Where a behavioural test gets empty databases from, and how it cleans them up. */
export interface RecordsBackend {
  name: 'sqlite' | 'postgres';
  /** Options that open a store on a new, empty database. */
  emptyDatabase(): Promise<RecordsStoreOptions>;
  cleanup(): Promise<void>;
}

export async function temporaryHome(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'records-test-'));
}

export function sqliteBackend(): RecordsBackend {
  const homes: string[] = [];
  return {
    name: 'sqlite',
    async emptyDatabase() {
      const home = await temporaryHome();
      homes.push(home);
      return { home };
    },
    async cleanup() {
      await Promise.all(homes.splice(0).map((home) => rm(home, { recursive: true, force: true })));
    },
  };
}

export function postgresBackend(): RecordsBackend {
  const databases = new ThrowawayPostgresDatabases();
  const homes: string[] = [];
  return {
    name: 'postgres',
    async emptyDatabase() {
      // A home too, so a test would notice a store that wrongly fell back to SQLite.
      const home = await temporaryHome();
      homes.push(home);
      return { url: await databases.create(), home };
    },
    async cleanup() {
      await databases.dropAll();
      await Promise.all(homes.splice(0).map((home) => rm(home, { recursive: true, force: true })));
    },
  };
}
