// The benchmark's worker serves the lifecycle and its baseline; the production worker bundles only the lifecycle.
import { fileURLToPath } from 'node:url';

export const BENCH_WORKFLOWS_PATH = fileURLToPath(new URL('./bundle.ts', import.meta.url));
