import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elapsed, ensureGoBinaries, type GoBinarySpec } from '../../src/local/devserver/go-binary.ts';

// A first run builds Go programs for minutes: it must say what it builds, keep saying it is alive, and say when done.
describe('building a Go program once per machine', () => {
  let dir: string;
  const saved = { PATH: process.env.PATH, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'go-binary-'));
    // A stand-in `go` that takes a while and leaves the executable `go install` would, in GOBIN.
    const fakeGo = join(dir, 'bin', 'go');
    await mkdir(join(dir, 'bin'));
    await writeFile(
      fakeGo,
      '#!/bin/sh\nsleep 0.5\nprintf "#!/bin/sh\\necho built\\n" > "$GOBIN/hello"\nchmod +x "$GOBIN/hello"\n',
    );
    await chmod(fakeGo, 0o755);
    process.env.PATH = `${join(dir, 'bin')}:${saved.PATH ?? ''}`;
    process.env.XDG_CACHE_HOME = join(dir, 'cache');
  });
  afterAll(async () => {
    process.env.PATH = saved.PATH;
    if (saved.XDG_CACHE_HOME === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved.XDG_CACHE_HOME;
    await rm(dir, { recursive: true, force: true });
  });

  const spec: GoBinarySpec<'hello'> = {
    label: 'the hello tool v1.0.0',
    cacheName: 'hello-v1.0.0',
    packages: ['example.com/hello@v1.0.0'],
    executables: ['hello'],
  };

  it('says what it builds, how long it has taken while it runs, and when it is done; then reuses the cache', async () => {
    const lines: string[] = [];
    const paths = await ensureGoBinaries(spec, { onProgress: (line) => lines.push(line), progressEveryMs: 100 });
    expect(paths?.hello).toBe(join(dir, 'cache', 'agreements', 'hello-v1.0.0', 'hello'));
    expect(lines[0]).toMatch(/^Building the hello tool v1\.0\.0 with Go into /);
    expect(
      lines.filter((line) => /still building the hello tool v1\.0\.0: \d+ s so far/.test(line)).length,
    ).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatch(/^Built the hello tool v1\.0\.0 in \d+ s$/);

    const again: string[] = [];
    await ensureGoBinaries(spec, { onProgress: (line) => again.push(line), progressEveryMs: 100 });
    expect(again).toEqual([]);
  });

  it('tells minutes and seconds apart', () => {
    expect(elapsed(45_400)).toBe('45 s');
    expect(elapsed(432_000)).toBe('7 min 12 s');
  });
});
