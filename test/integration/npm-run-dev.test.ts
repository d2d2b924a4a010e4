// `npm run dev` as a developer runs it: the dev server and a worker come up, and when npm dies without a word (SIGKILL:
// nothing is passed on) both stop, leaving the ports free.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { portIsFree } from '../../src/stack/ports.ts';
import { freePort } from '../support/global-setup.ts';
import { eventually } from '../support/worker.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.splice(0)) await step();
});

it('stops the dev server and the worker when npm dies', async () => {
  const home = await mkdtemp(join(tmpdir(), 'agreements-npm-dev-'));
  cleanup.push(() => rm(home, { recursive: true, force: true }));
  // The UI listens 1000 above the frontend: find a pair that is free.
  let port = 0;
  for (let attempt = 0; attempt < 20 && port === 0; attempt++) {
    const candidate = await freePort();
    if (candidate < 64_000 && (await portIsFree(candidate + 1000))) port = candidate;
  }
  const npm = spawn('npm', ['run', '--silent', 'dev'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AGREEMENTS_HOME: home,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that a failed run can still be cleaned up whole.
    detached: true,
  });
  let output = '';
  npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const npmExited = new Promise((resolve) => npm.on('exit', resolve));
  cleanup.push(async () => {
    try {
      if (npm.pid) process.kill(-npm.pid, 'SIGKILL');
    } catch {
      // The group is gone: everything stopped as it should.
    }
  });

  await eventually(async () => (output.includes('Ready.') ? true : undefined), 180_000, `npm run dev to be ready`);
  expect(await portIsFree(port)).toBe(false);

  npm.kill('SIGKILL');
  await npmExited;
  await eventually(
    async () => ((await portIsFree(port)) && (await portIsFree(port + 1000)) ? true : undefined),
    60_000,
    `the dev server on ${port} to stop once npm is gone:\n${output}`,
  );
}, 300_000);
