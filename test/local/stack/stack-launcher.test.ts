// `npm run stack` refusing to start, each with one clear line and exit code 1: bad settings, a stack already running,
// a port already taken. None of these gets as far as building or starting anything.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { freePort } from '../../support/global-setup.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

async function home(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'agreements-stack-cli-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function stack(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['src/local/stack/main.ts'],
      { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number | null) : 0, stdout, stderr }),
    );
  });
}

it('refuses a bad port setting with one line naming the variable', async () => {
  const result = await stack({ AGREEMENTS_HOME: await home(), STACK_TEMPORAL_PORT: 'seven' });
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split('\n')).toEqual([
    expect.stringMatching(/^stack: invalid configuration: .*STACK_TEMPORAL_PORT/),
  ]);
});

it('says a stack is already running, and exits, when the lock holder is alive', async () => {
  const dir = await home();
  await writeFile(join(dir, 'stack.pid'), `${process.pid}\n`);
  const result = await stack({ AGREEMENTS_HOME: dir });
  expect(result.code).toBe(1);
  expect(result.stderr.trim()).toBe(
    `stack: a stack is already running (pid ${process.pid}); its addresses are in ${join(dir, 'stack.env')}. ` +
      `Stop it with Ctrl-C in its terminal or kill ${process.pid}`,
  );
});

it('says which port is taken and which variable moves it', async () => {
  const taken: Server = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => taken.close(resolve)));
  const address = taken.address();
  if (!address || typeof address !== 'object') throw new Error('no port');
  const dir = await home();
  const result = await stack({
    AGREEMENTS_HOME: dir,
    STACK_TEMPORAL_PORT: String(20_000 + (address.port % 12_000)),
    STACK_SMTP_PORT: String(await freePort()),
    STACK_MAILPIT_PORT: String(await freePort()),
    STACK_UI_PORT: String(address.port),
  });
  expect(result.code).toBe(1);
  expect(result.stderr.trim()).toBe(
    `stack: port ${address.port} on 127.0.0.1 is already in use; set STACK_UI_PORT to another port`,
  );
  // The lock is released: a stack that did not start leaves nothing behind.
  expect(await readdir(dir)).not.toContain('stack.pid');
});
