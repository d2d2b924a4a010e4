import { spawn } from 'node:child_process';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_NESTING, readCandidatesCsv, readDataFile } from '../../src/client/files.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'input-limits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** How `work` failed (undefined if it did not). How long it takes is the benchmark's business, not a test's. */
function failure(work: () => Promise<unknown>): Promise<unknown> {
  return work().then(
    () => undefined,
    (reason: unknown) => reason,
  );
}

/** Runs the CLI with `input` on standard input (so no Temporal is needed: files are read before connecting). */
function cli(args: string[], input: string | Buffer): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/agreements.js', ...args], {
      env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.on('error', () => undefined); // The CLI stops reading at the limit: the rest of a write is refused.
    child.stdin.end(input);
  });
}

describe('input limits', () => {
  it('refuses 200k nested brackets with one clear line (before the parser recurses into them)', async () => {
    const file = join(dir, 'nested.json');
    await writeFile(file, `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    const error = await failure(() => readDataFile(file));
    expect((error as Error).message).toBe(
      `${file}: nested more than ${MAX_NESTING} levels deep (an agreement needs about 7)`,
    );
  });

  it('refuses deep block nesting too, and still reads a real agreement', async () => {
    const file = join(dir, 'block.yaml');
    await writeFile(file, Array.from({ length: 100 }, (_, depth) => `${' '.repeat(depth)}a:`).join('\n'));
    await expect(readDataFile(file)).rejects.toThrow(/nested more than 64 levels/);
    await expect(readDataFile('examples/uob-jitri-phd-programme.yaml')).resolves.toMatchObject({
      id: 'uob-jitri-phd-programme',
    });
  });

  it('refuses a file over the limit by its size, before reading it', async () => {
    // 8 GB, sparse: reading it whole would take many seconds and all the memory there is.
    const file = join(dir, 'huge.yaml');
    await writeFile(file, '');
    await truncate(file, 8 * 1024 ** 3);
    const error = await failure(() => readDataFile(file));
    expect((error as Error).message).toBe(`${file}: larger than the 5 MB limit`);
    await expect(readCandidatesCsv(file)).rejects.toThrow(/larger than the 5 MB limit/);
  });

  it('stops reading a device at the limit', async () => {
    const error = await failure(() => readDataFile('/dev/zero'));
    expect((error as Error).message).toBe('/dev/zero: larger than the 5 MB limit');
    await expect(readDataFile(dir)).rejects.toThrow(`cannot read ${dir}: is a directory`);
  });

  it('bounds standard input the same way: exit 1, one line, nothing started', async () => {
    const big = await cli(['start', '-'], Buffer.alloc(6 * 1024 * 1024, 0x20));
    expect(big.code).toBe(1);
    expect(big.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/standard input: larger than the 5 MB limit$/),
    ]);

    const deep = await cli(['start', '-'], '['.repeat(200_000));
    expect(deep.code).toBe(1);
    expect(deep.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/standard input: nested more than 64 levels deep/),
    ]);
  });
});
