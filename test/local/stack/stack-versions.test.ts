// The stack runs a Temporal server new enough for safe deploys (upgrade on continue-as-new landed in 1.30), newer
// than the one the pinned CLI's dev server embeds; the binaries built say which version they are.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { ensureStackBinaries, STACK_VERSIONS } from '../../../src/local/stack/binaries.ts';

const run = promisify(execFile);

it('announces a server that moves pinned runs to the current build on continue-as-new (1.30 or newer)', () => {
  const [major, minor] = STACK_VERSIONS.temporalServer.split('.').map(Number);
  expect(major).toBe(1);
  expect(minor).toBeGreaterThanOrEqual(30);
});

it("the built server's own --version is the version the stack announces", async () => {
  const binaries = await ensureStackBinaries();
  const { stdout } = await run(binaries.temporalServer, ['--version']);
  expect(stdout).toContain(STACK_VERSIONS.temporalServer);
});
