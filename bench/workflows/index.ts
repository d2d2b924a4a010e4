// The benchmark's worker serves the lifecycle and its baseline; the production worker bundles only the lifecycle.
import { fileURLToPath } from 'node:url';

export const BENCH_WORKFLOWS_PATH = fileURLToPath(new URL('./bundle.ts', import.meta.url));

/** The benchmark's worker as a process of its own (`--target stack`). */
export const BENCH_WORKER_PROCESS = fileURLToPath(new URL('../worker-process.ts', import.meta.url));
