import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { eventually } from '../support/worker.ts';
import { freePort } from './support.ts';

const run = promisify(execFile);
const LINK_KEYS = `k1:${randomBytes(32).toString('base64')}`;
const baseEnv = () => ({ PATH: process.env.PATH, HOME: process.env.HOME, AGREEMENTS_LINK_KEYS: LINK_KEYS });

describe('npm run web (node src/web/main.ts)', () => {
  it('stops at a bad setting with one line naming it, exit 1', async () => {
    const failed = await run('node', ['src/web/main.ts'], { env: { ...baseEnv(), WEB_PORT: '0' } }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toBe(
      'web: invalid configuration: WEB_PORT: must be between 1 and 65535\n',
    );
  });

  it('serves on WEB_PORT against Temporal, and stops on SIGTERM with exit 0', async () => {
    const port = await freePort();
    const web = spawn('node', ['src/web/main.ts'], {
      env: { ...baseEnv(), TEMPORAL_ADDRESS: inject('temporalAddress'), WEB_PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => web.once('exit', resolve));
    try {
      const status = await eventually(
        () =>
          fetch(`http://127.0.0.1:${port}/a/not-a-token`)
            .then((response) => response.status)
            .catch(() => undefined),
        30_000,
        'the web server to answer',
      );
      expect(status).toBe(404);
    } finally {
      web.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
