import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/client/cli.ts';

/** Runs the CLI in-process against an address nothing listens on: these lines must come before any connection. */
async function run(...argv: string[]): Promise<{ code: number; stderr: string }> {
  vi.stubEnv('TEMPORAL_ADDRESS', '127.0.0.1:1');
  const written: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  const code = await main(argv);
  return { code, stderr: written.join('') };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('agreements digest, refusing bad input in one line', () => {
  it('needs exactly one action', async () => {
    expect(await run('digest')).toEqual({
      code: 2,
      stderr:
        'agreements: digest needs exactly one of --enable, --disable, --now, --show (run with --help for usage)\n',
    });
    expect((await run('digest', '--now', '--show')).code).toBe(2);
    expect((await run('digest', '--now', '--cron', '0 8 * * MON')).stderr).toContain(
      '--cron and --timezone go with --enable',
    );
  });

  it('names a bad timezone or cron before asking Temporal anything', async () => {
    expect(await run('digest', '--enable', '--timezone', 'Mars/Base')).toEqual({
      code: 1,
      stderr: 'agreements: --timezone: unknown timezone "Mars/Base"\n',
    });
    expect(await run('digest', '--enable', '--cron', 'every monday')).toEqual({
      code: 1,
      stderr: 'agreements: --cron: must have five fields like "0 8 * * MON", got "every monday"\n',
    });
  });

  it('says Temporal is unreachable with exit code 3', async () => {
    const { code, stderr } = await run('digest', '--show');
    expect(code).toBe(3);
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
