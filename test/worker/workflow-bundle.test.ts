import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkflowBundle, findPrebuiltBundle } from '../../src/worker/workflow-bundle.ts';

// The bundle a worker loads instead of running webpack at start: built from the sources, refused once they change.
describe('the prebuilt workflow bundle', () => {
  let dir: string;
  let codePath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'workflow-bundle-'));
    ({ codePath } = await buildWorkflowBundle({ dir }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists the workflow and domain sources it was built from, and is found while they are unchanged', async () => {
    const manifest = JSON.parse(await readFile(`${codePath}.manifest.json`, 'utf8')) as { sources: string[] };
    expect(manifest.sources).toContain('src/workflows/agreement-lifecycle.ts');
    expect(manifest.sources).toContain('src/domain/decide.ts');
    expect(manifest.sources.some((file) => file.includes('node_modules'))).toBe(false);
    const found = await findPrebuiltBundle({ dir });
    expect(found).toEqual({ ok: true, bundle: { codePath } });
    expect(await readFile(codePath, 'utf8')).toContain('agreementLifecycle');
  });

  it('is refused when the sources no longer match it', async () => {
    const manifestPath = `${codePath}.manifest.json`;
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { fingerprint: string; sources: string[] };
    const original = JSON.stringify(manifest);
    try {
      await writeFile(manifestPath, JSON.stringify({ ...manifest, fingerprint: '0'.repeat(64) }));
      expect(await findPrebuiltBundle({ dir })).toMatchObject({ ok: false, reason: /older than the sources/ });
      await writeFile(manifestPath, JSON.stringify({ ...manifest, sources: [...manifest.sources, 'src/gone.ts'] }));
      expect(await findPrebuiltBundle({ dir })).toMatchObject({ ok: false, reason: /older than the sources/ });
    } finally {
      await writeFile(manifestPath, original);
    }
  });

  it('is not used for a worker with encryption on until one is built for it', async () => {
    expect(await findPrebuiltBundle({ dir, encryptedFailures: true })).toMatchObject({
      ok: false,
      reason: /no prebuilt workflow bundle/,
    });
  });
});
