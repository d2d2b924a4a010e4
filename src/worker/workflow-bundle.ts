import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleAgreementWorkflows } from './create-worker.ts';

/**
 * The workflow code bundled ahead of time (`npm run build`, and in the image), so that a worker starts serving without
 * running webpack. A bundle is used only while it matches the sources it was built from.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_BUNDLE_DIR = join(ROOT, 'dist');

/** What a bundle was built from: the repository files in it (by their inline source map) and the lock file. */
interface BundleManifest {
  encryptedFailures: boolean;
  sources: string[];
  fingerprint: string;
}

export interface PrebuiltBundle {
  codePath: string;
}

/** Why a prebuilt bundle cannot be used (the worker then bundles at start and says so). */
export type BundleLookup = { ok: true; bundle: PrebuiltBundle } | { ok: false; reason: string };

const bundleName = (encryptedFailures: boolean) => (encryptedFailures ? 'workflows-encrypted' : 'workflows');

/** The repository files webpack put into the bundle, relative to the root, from its inline source map. */
function repositorySources(code: string): string[] {
  const match = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(
    code,
  );
  if (!match?.[1]) throw new Error('the workflow bundle has no inline source map to list its sources');
  const map = JSON.parse(Buffer.from(match[1], 'base64').toString('utf8')) as { sources?: unknown };
  const sources = Array.isArray(map.sources) ? map.sources.filter((s): s is string => typeof s === 'string') : [];
  const files = new Set<string>();
  for (const source of sources) {
    const path = source.replace(/^webpack:\/\/[^/]*\//, '').replace(/\?.*$/, '');
    const absolute = isAbsolute(path) ? path : join(ROOT, path);
    const inRepository = relative(ROOT, absolute);
    if (inRepository.startsWith('..') || inRepository.split(sep).includes('node_modules')) continue;
    if (existsSync(absolute)) files.add(inRepository);
  }
  return [...files].sort();
}

/** One hash over the listed files' contents and package-lock.json (the versions of everything from node_modules). */
async function fingerprintOf(sources: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...sources, 'package-lock.json']) {
    hash.update(`${file}\0`);
    hash.update(await readFile(join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Bundles the workflows and writes the code and its manifest into `dir` (each file replaced whole). */
export async function buildWorkflowBundle(
  options: { dir?: string; encryptedFailures?: boolean } = {},
): Promise<{ codePath: string; sources: number }> {
  const dir = options.dir ?? DEFAULT_BUNDLE_DIR;
  const encryptedFailures = options.encryptedFailures ?? false;
  const { code } = await bundleAgreementWorkflows({ encryptedFailures });
  const sources = repositorySources(code);
  if (!sources.some((file) => file.startsWith(`src${sep}workflows`)))
    throw new Error('the workflow bundle lists no file of src/workflows: cannot tell when it goes stale');
  const manifest: BundleManifest = { encryptedFailures, sources, fingerprint: await fingerprintOf(sources) };
  await mkdir(dir, { recursive: true });
  const codePath = join(dir, `${bundleName(encryptedFailures)}.js`);
  await writeFile(`${codePath}.tmp`, code);
  await rename(`${codePath}.tmp`, codePath);
  await writeFile(`${codePath}.manifest.json.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${codePath}.manifest.json.tmp`, `${codePath}.manifest.json`);
  return { codePath, sources: sources.length };
}

/** The prebuilt bundle for this kind of worker, if there is one and its sources have not changed since. */
export async function findPrebuiltBundle(
  options: { dir?: string; encryptedFailures?: boolean } = {},
): Promise<BundleLookup> {
  const dir = options.dir ?? DEFAULT_BUNDLE_DIR;
  const codePath = join(dir, `${bundleName(options.encryptedFailures ?? false)}.js`);
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(await readFile(`${codePath}.manifest.json`, 'utf8')) as BundleManifest;
  } catch {
    return {
      ok: false,
      reason: `no prebuilt workflow bundle in ${relative(process.cwd(), dir) || '.'} (npm run build)`,
    };
  }
  if (!existsSync(codePath)) return { ok: false, reason: `${codePath} is missing (npm run build)` };
  try {
    if ((await fingerprintOf(manifest.sources)) === manifest.fingerprint) return { ok: true, bundle: { codePath } };
  } catch {
    // A source file listed in the manifest is gone: the bundle is stale.
  }
  return { ok: false, reason: 'the prebuilt workflow bundle is older than the sources (npm run build)' };
}
