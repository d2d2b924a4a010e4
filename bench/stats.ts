import { readFileSync } from 'node:fs';

/** The p-th percentile (nearest rank) of values sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Runs `count` tasks, at most `limit` at a time, and returns their results in order. */
export async function runConcurrently<T>(
  count: number,
  limit: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
  return results;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc; undefined where that cannot be read. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** CPU ms the worker processes have used so far: these pids, or this process (all its threads) when there are none. */
function workersCpuMs(workerPids: readonly number[]): number {
  if (workerPids.length === 0) {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  }
  return workerPids.reduce((sum, pid) => sum + (processCpuMs(pid) ?? Number.NaN), 0);
}

/** CPU ms used by the workers and by the server process while `run` runs. */
export async function measureCpu<T>(
  serverPid: number | undefined,
  workerPids: readonly number[],
  run: () => Promise<T>,
): Promise<{ result: T; workerMs: number; serverMs: number | undefined }> {
  const worker = workersCpuMs(workerPids);
  const server = processCpuMs(serverPid);
  const result = await run();
  const workerAfter = workersCpuMs(workerPids);
  const serverAfter = processCpuMs(serverPid);
  return {
    result,
    workerMs: workerAfter - worker,
    serverMs: server === undefined || serverAfter === undefined ? undefined : serverAfter - server,
  };
}

/** Resident memory in MB: of these processes together, or of this one when there are none. */
export function workersRssMb(workerPids: readonly number[]): number {
  if (workerPids.length === 0) return process.memoryUsage().rss / 1024 / 1024;
  return workerPids.reduce((sum, pid) => {
    try {
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return sum + Number(kb ?? Number.NaN) / 1024;
    } catch {
      return Number.NaN;
    }
  }, 0);
}
