// The stack runs the Temporal the dev server runs: the server and UI versions it builds are those the pinned CLI
// embeds, as the CLI itself reports them, and the binaries built say so too.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { locateTemporalCli } from '../../../src/local/devserver/temporal-cli.ts';
import { ensureStackBinaries, STACK_VERSIONS } from '../../../src/local/stack/binaries.ts';

const run = promisify(execFile);

it('builds the server and UI versions the Temporal CLI embeds', async () => {
  const cli = await locateTemporalCli();
  if (!cli) throw new Error('no Temporal CLI (ensure-cli builds it)');
  const { stdout } = await run(cli, ['--version']);
  expect(stdout).toContain(`Server ${STACK_VERSIONS.temporalServer}`);
  expect(stdout).toContain(`UI ${STACK_VERSIONS.temporalUi}`);
});

it("the built server's own --version is the version the stack announces", async () => {
  const binaries = await ensureStackBinaries();
  const { stdout } = await run(binaries.temporalServer, ['--version']);
  expect(stdout).toContain(STACK_VERSIONS.temporalServer);
});
