import type { WriteSerializer } from './kysely-records-store.ts';

/** The writes of one SQLite file: whether one is running, and those waiting, in the order they will run. */
interface Lane {
  running: boolean;
  waiting: (() => void)[];
}

const lanes = new Map<string, Lane>();

/**
 * Serialises writes to one SQLite file within this process. better-sqlite3 waits for a lock synchronously, so a
 * second connection in the same process waiting on a transaction that is suspended at an `await` would block the
 * very thread that has to finish it, and fail after busy_timeout. Other processes are covered by busy_timeout.
 *
 * An urgent write (what a mail server just accepted) goes ahead of those waiting: until it is committed, a worker
 * killed would send that mail again, so it must not queue behind other agreements' audit rows and claims.
 */
export function writeLockFor(file: string): WriteSerializer {
  return <T>(write: () => Promise<T>, options: { urgent?: boolean } = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      let lane = lanes.get(file);
      if (lane === undefined) {
        lane = { running: false, waiting: [] };
        lanes.set(file, lane);
      }
      const current = lane;
      const start = () => {
        current.running = true;
        // Through a promise: a write that throws at once still frees the lane.
        Promise.resolve()
          .then(write)
          .then(resolve, reject)
          .finally(() => {
            current.running = false;
            const next = current.waiting.shift();
            if (next) next();
            else if (lanes.get(file) === current) lanes.delete(file);
          });
      };
      if (!current.running) start();
      else if (options.urgent) current.waiting.unshift(start);
      else current.waiting.push(start);
    });
}
