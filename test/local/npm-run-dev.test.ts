// `npm run dev` as a developer runs it: the dev server and a worker come up, and when npm dies without a word (SIGKILL:
// nothing is passed on) both stop, leaving the ports free.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { portIsFree } from '../../src/local/stack/ports.ts';
import { freePort } from '../support/global-setup.ts';
import { runNpmScript } from '../support/npm-script.ts';
import { eventually } from '../support/worker.ts';

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
  const dev = runNpmScript('dev', {
    AGREEMENTS_HOME: home,
    TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    LOG_LEVEL: 'info',
  });
  cleanup.push(async () => dev.killAll());

  await dev.printed('Ready.', 180_000);
  expect(await portIsFree(port)).toBe(false);

  dev.npm.kill('SIGKILL');
  await dev.exited;
  await eventually(
    async () => ((await portIsFree(port)) && (await portIsFree(port + 1000)) ? true : undefined),
    60_000,
    `the dev server on ${port} to stop once npm is gone:\n${dev.output()}`,
  );
}, 300_000);
