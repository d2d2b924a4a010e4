import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stateOverHttp } from '../../src/client/http-state-query.ts';
import { phdProgramme } from '../support/agreements.ts';
import { runCli } from '../support/cli.ts';
import { startTestStack, type TestStack } from '../support/worker.ts';

let stack: TestStack;
let dir: string;
beforeAll(async () => {
  stack = await startTestStack();
  dir = await mkdtemp(join(tmpdir(), 'agreements-http-show-'));
});
afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const settings = () => ({ temporalHttpUrl: inject('temporalHttpUrl'), namespace: 'default', workerWaitMs: 10_000 });

describe("show through the Temporal server's HTTP API (TEMPORAL_HTTP_ADDRESS)", () => {
  it('answers exactly what the client’s Query answers', async () => {
    const id = `http-show-${randomBytes(4).toString('hex')}`;
    await stack.client.start(phdProgramme(Date.now(), {}, { id }));
    await stack.client.command(id, 'submit', {});
    const view = await stateOverHttp(settings(), id);
    expect(view).toEqual(await stack.client.show(id));
    expect(view?.stage).toBe('signing');
  });

  it('leaves to the client what it cannot answer: no address, an unknown agreement, nobody listening', async () => {
    expect(await stateOverHttp({ ...settings(), temporalHttpUrl: undefined }, 'anything')).toBeUndefined();
    expect(await stateOverHttp(settings(), `no-such-${randomBytes(4).toString('hex')}`)).toBeUndefined();
    expect(await stateOverHttp({ ...settings(), temporalHttpUrl: 'http://127.0.0.1:1' }, 'anything')).toBeUndefined();
  });

  it('is what `agreements show` uses where set, and an unknown id reads as without it', async () => {
    const id = `http-cli-${randomBytes(4).toString('hex')}`;
    await stack.client.start(phdProgramme(Date.now(), {}, { id }));
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AGREEMENTS_HOME: dir,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      TEMPORAL_HTTP_ADDRESS: inject('temporalHttpUrl'),
    };
    // Nothing listens on the gRPC address: the answer can only have come over HTTP.
    const shown = await runCli(['show', id, '--json'], { ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect([shown.code, shown.stderr]).toEqual([0, '']);
    expect(JSON.parse(shown.stdout)).toEqual(await stack.client.show(id));

    const unknown = `no-such-${randomBytes(4).toString('hex')}`;
    const viaHttp = await runCli(['show', unknown], { ...env, TEMPORAL_ADDRESS: inject('temporalAddress') });
    const viaGrpc = await runCli(['show', unknown], {
      ...env,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_HTTP_ADDRESS: '',
    });
    expect([viaHttp.code, viaHttp.stderr]).toEqual([1, viaGrpc.stderr]);
    expect(viaHttp.stderr).toMatch(/not found/);
  });

  it('refuses a TEMPORAL_HTTP_ADDRESS that is not an http(s) address, naming it', async () => {
    const bad = await runCli(['show', 'x'], { PATH: process.env.PATH, TEMPORAL_HTTP_ADDRESS: 'localhost:7243' });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toMatch(
      /^agreements: invalid configuration: TEMPORAL_HTTP_ADDRESS: must be the server's HTTP API/,
    );
  });
});
