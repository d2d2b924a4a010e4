import { readFile, rm, writeFile } from 'node:fs/promises';

/** The running stack's pid file: a second `npm run stack` reads it and says so instead of fighting over the ports. */
export interface StackLock {
  release(): Promise<void>;
}

export class StackAlreadyRunningError extends Error {
  override name = 'StackAlreadyRunningError';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock at `path`, replacing one left by a stack that died without releasing it. */
export async function acquireStackLock(path: string, envFile: string): Promise<StackLock> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
      return {
        async release() {
          const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
          if (holder === process.pid) await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new StackAlreadyRunningError(
        `a stack is already running (pid ${holder}); its addresses are in ${envFile}. Stop it with Ctrl-C in its terminal or kill ${holder}`,
      );
    }
    await rm(path, { force: true });
  }
  throw new StackAlreadyRunningError(`another stack is starting at the same moment (${path})`);
}
