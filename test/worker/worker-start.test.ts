import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Outcome {
  code: number | null;
  stderr: string;
}

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'worker-start-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

/** Runs `npm run worker`'s entry point; one that does not end by itself within the limit is killed and fails the test. */
function startWorker(env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      'node',
      ['src/worker/main.ts'],
      {
        env: { ...process.env, AGREEMENTS_HOME: home, LOG_LEVEL: 'error', ...env },
        timeout: 30_000,
        killSignal: 'SIGKILL',
      },
      (error, _stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
    );
  });
}

describe('a worker that cannot start', () => {
  it('ends with exit 3 and one line when the records store is unreachable (it used to stay up, deaf to SIGTERM)', async () => {
    const outcome = await startWorker({ RECORDS_URL: 'postgres://postgres@127.0.0.1:1/records' });
    expect(outcome.code).toBe(3);
    expect(outcome.stderr.trim()).toMatch(
      /^worker: records store unreachable: postgres:\/\/.*127\.0\.0\.1:1\/records \(connection refused\)$/,
    );
  });

  it('ends with exit 3 and one line naming the address when Temporal is unreachable', async () => {
    const outcome = await startWorker({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(outcome.code).toBe(3);
    expect(outcome.stderr.trim()).toBe(
      'worker: Temporal unreachable at 127.0.0.1:1 (is the server running? try npm run dev)',
    );
  });
});

describe('a worker misconfigured', () => {
  it('refuses a roles file without actor keys with exit 1 and one line', async () => {
    const roles = join(home, 'roles.yaml');
    await writeFile(roles, 'finance-office: [confirm-funding]\n');
    const outcome = await startWorker({ AGREEMENTS_ROLES: roles, AGREEMENTS_ACTOR_KEYS: '' });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe(
      'worker: invalid configuration: AGREEMENTS_ROLES needs AGREEMENTS_ACTOR_KEYS on the worker (without actor keys a role checks only a claimed name)\n',
    );
  });
});
