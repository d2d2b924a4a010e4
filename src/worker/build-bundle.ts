import { relative } from 'node:path';
import { buildWorkflowBundle } from './workflow-bundle.ts';

/** `npm run build`: the workflow bundles a worker loads instead of bundling at start (plain, and for encryption). */
for (const encryptedFailures of [false, true]) {
  const started = Date.now();
  const { codePath, sources } = await buildWorkflowBundle({ encryptedFailures });
  process.stdout.write(
    `built ${relative(process.cwd(), codePath)} from ${sources} source files in ${Date.now() - started} ms\n`,
  );
}
