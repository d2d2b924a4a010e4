import type { WriteSerializer } from './kysely-records-store.ts';

const tails = new Map<string, Promise<unknown>>();

/**
 * Serialises writes to one SQLite file within this process. better-sqlite3 waits for a lock synchronously, so a
 * second connection in the same process waiting on a transaction that is suspended at an `await` would block the
 * very thread that has to finish it, and fail after busy_timeout. Other processes are covered by busy_timeout.
 */
export function writeLockFor(file: string): WriteSerializer {
  return <T>(write: () => Promise<T>): Promise<T> => {
    const previous = tails.get(file) ?? Promise.resolve();
    const result = previous.then(write, write);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(file, tail);
    void tail.then(() => {
      if (tails.get(file) === tail) tails.delete(file);
    });
    return result;
  };
}
