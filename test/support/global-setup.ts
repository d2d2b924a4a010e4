import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../../src/local/devserver/dev-server.ts';
import { bundleAgreementWorkflows } from '../../src/worker/create-worker.ts';

/** A TCP port that was free on `host` a moment ago (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** One in-memory Temporal dev server (with the project's search attributes) for the whole test run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startDevServer({
    port: await freePort(),
    uiPort: await freePort(),
    httpPort: await freePort(),
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  project.provide('temporalAddress', server.address);
  project.provide('temporalHttpUrl', server.httpUrl ?? '');
  // Bundled once for the run: every test file's workers share it instead of bundling again.
  const bundle = await bundleAgreementWorkflows();
  project.provide('workflowBundleCode', bundle.code);
  return () => server.stop();
}
