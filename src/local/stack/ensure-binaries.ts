/** Builds every binary of `npm run stack` that is not in the per-machine cache yet (CI runs it before the tests). */
import { ensureStackBinaries } from './binaries.ts';

try {
  const binaries = await ensureStackBinaries({ onProgress: (line) => process.stderr.write(`${line}\n`) });
  for (const path of Object.values(binaries)) process.stdout.write(`${path}\n`);
} catch (error) {
  process.stderr.write(`ensure-stack: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
