import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MAX_ENTRIES, readDataFile } from '../../src/client/files.ts';
import { phdProgramme } from '../support/agreements.ts';

// Everything here runs without a Temporal server: TEMPORAL_ADDRESS points at a port nothing listens on.

/** Reports every @temporalio/ module and zod as the process resolves them (import or require) on stderr. */
const TEMPORAL_WATCH = `import { registerHooks } from 'node:module';
registerHooks({ resolve(specifier, context, next) {
  if (specifier.startsWith('@temporalio/') || specifier === 'zod') process.stderr.write('LOADED ' + specifier + '\\n');
  return next(specifier, context);
} });`;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { input?: string; watch?: boolean } = {}): Promise<Outcome> {
  const node = options.watch ? ['--import', `data:text/javascript,${encodeURIComponent(TEMPORAL_WATCH)}`] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...node, 'bin/agreements.js', ...args], {
      env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1', AGREEMENTS_ACTOR: 'offline-test' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

let dir: string;
let good: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-offline-'));
  good = join(dir, 'good.yaml');
  await writeFile(good, stringify({ ...phdProgramme(Date.now()), id: 'offline-good' }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const loaded = (outcome: Outcome) => outcome.stderr.split('\n').filter((line) => line.startsWith('LOADED'));
const temporalModules = (outcome: Outcome) => loaded(outcome).filter((line) => line.includes('@temporalio/'));

describe('the CLI offline', () => {
  it('loads no Temporal module for --help, --version or validate (and does for show: the watch works)', async () => {
    for (const args of [['--help'], ['--version'], ['start', '--help'], ['validate', good]]) {
      const outcome = await cli(args, { watch: true });
      expect(outcome.code, args.join(' ')).toBe(0);
      expect(temporalModules(outcome), args.join(' ')).toEqual([]);
      // Help and the version need no schema either: the stages for --stage come from a module without zod.
      if (args[0] !== 'validate') expect(loaded(outcome), args.join(' ')).toEqual([]);
    }
    const show = await cli(['show', 'anything'], { watch: true });
    expect(show.code).toBe(3);
    expect(temporalModules(show)).toContain('LOADED @temporalio/client');
  });

  it('prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('marks required options in help, and says where submit goes', async () => {
    const sign = await cli(['sign', '--help']);
    expect(sign.stdout).toMatch(/--signatory <id>\s+signatory id \(required\)/);
    expect(sign.stdout).not.toMatch(/--at <iso>.*\(required\)/);
    const submit = await cli(['submit', '--help']);
    expect(submit.stdout.replace(/\s+/g, ' ')).toContain('(→ approval), else for signature (→ signing)');
  });

  it('validates files with exit 0, naming the agreements, and --json', async () => {
    const ok = await cli(['validate', good, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ valid: true, agreements: [{ id: 'offline-good' }] });
    const dry = await cli(['start', '--dry-run', good]);
    expect(dry).toMatchObject({ code: 0, stdout: 'would start offline-good (workflow agreement-offline-good)\n' });
  });

  it('says what is wrong with a file before connecting, in validate and in start alike', async () => {
    const agreement = phdProgramme(Date.now());
    const cases: [string, string | Buffer, RegExp][] = [
      ['unknown.yaml', stringify({ ...agreement, colour: 'blue' }), /^unknown key "colour"$/],
      [
        'naive.yaml',
        stringify({ ...agreement, ceremony: { ...(agreement.ceremony as object), at: '2027-01-15T10:00:00' } }),
        /^ceremony\.at: must be an ISO 8601 date-time with an offset/,
      ],
      [
        'zone.yaml',
        stringify({ ...agreement, ceremony: { ...(agreement.ceremony as object), timezone: 'Asia/Nowhere' } }),
        /ceremony\.timezone: unknown timezone "Asia\/Nowhere"/,
      ],
      ['empty.yaml', '  \n', /empty\.yaml: is empty$/],
      ['binary.yaml', Buffer.from([0x69, 0x64, 0x00, 0x01]), /binary\.yaml: binary data, not text/],
      ['latin1.yaml', Buffer.from('title: Z\xfcrich\n', 'latin1'), /latin1\.yaml: not UTF-8 text/],
      ['number.yaml', '42\n', /number\.yaml: holds the number 42, not an agreement/],
      ['comment.yaml', '# nothing yet\n', /comment\.yaml: holds nothing/],
      ['scalars.yaml', '- just text\n', /^agreements\[0\]: holds the text "just text", not an agreement/],
    ];
    for (const [name, content, message] of cases) {
      const path = await file(name, content);
      for (const command of ['validate', 'start']) {
        const outcome = await cli([command, path]);
        expect(outcome.code, `${command} ${name}`).toBe(1);
        const lines = outcome.stderr.trim().split('\n');
        expect(lines, `${command} ${name}`).toHaveLength(1);
        expect(lines[0]?.replace(/^agreements: /, ''), `${command} ${name}`).toMatch(message);
        expect(outcome.stderr).not.toContain('unreachable');
      }
    }
  });

  it('names every problem of a batch at once: files it cannot read beside what is wrong in the others', async () => {
    const missing = join(dir, 'missing.yaml');
    const empty = await file('batch-empty.yaml', '\n');
    const colour = await file('batch-colour.yaml', stringify({ ...phdProgramme(Date.now()), colour: 'blue' }));
    for (const command of ['validate', 'start']) {
      const outcome = await cli([command, missing, empty, colour, good]);
      expect(outcome.code, command).toBe(1);
      const problems = outcome.stderr
        .replace(/^agreements: /, '')
        .trim()
        .split('; ');
      expect(problems, command).toEqual([
        `cannot read ${missing}: no such file`,
        `${empty}: is empty`,
        `${colour}: unknown key "colour"`,
      ]);
    }
  });

  it('gives errors as one JSON object on stderr with --json, plain text otherwise', async () => {
    const path = await file('colour.yaml', stringify({ ...phdProgramme(Date.now()), colour: 'blue' }));
    const refused = await cli(['validate', path, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr)).toEqual({ error: 'unknown key "colour"', exitCode: 1 });
    const usage = await cli(['sign', 'x', '--json']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr)).toEqual({
      error: "required option '--signatory <id>' not specified (run with --help for usage)",
      exitCode: 2,
    });
    const down = await cli(['show', 'x', '--json']);
    expect(down.code).toBe(3);
    expect(JSON.parse(down.stderr)).toMatchObject({
      error: expect.stringMatching(/^Temporal unreachable/),
      exitCode: 3,
    });
    expect((await cli(['show', 'x'])).stderr).toMatch(/^agreements: Temporal unreachable at 127\.0\.0\.1:1 /);
  });
});

describe('a file with too many keys', () => {
  it(`refuses 300,000 keys (more than ${MAX_ENTRIES}) before yaml composes them, and reads ${MAX_ENTRIES}`, async () => {
    // Short keys, so that 300,000 of them stay under the 5 MB limit (about 2.4 MB).
    const huge = await file('huge.yaml', Array.from({ length: 300_000 }, (_, i) => `${i.toString(36)}: 1`).join('\n'));
    const started = performance.now();
    await expect(readDataFile(huge)).rejects.toThrow(
      `${huge}: more than 10,000 keys (an agreement has about 60): split it into several files`,
    );
    // For the record (no timed assertion: the machine may be busy).
    console.log(`300,000-key file refused in ${Math.round(performance.now() - started)} ms`);
    const most = await file(
      'most.json',
      JSON.stringify(Object.fromEntries(Array.from({ length: MAX_ENTRIES }, (_, i) => [`k${i}`, i]))),
    );
    await expect(readDataFile(most)).resolves.toMatchObject({ k0: 0, [`k${MAX_ENTRIES - 1}`]: MAX_ENTRIES - 1 });
  });
});

describe('lifecycle commands offline', () => {
  it('names a bad command value before connecting (exit 1), and only then finds Temporal unreachable (exit 3)', async () => {
    const bad = await cli(['reschedule', 'offline-good', '--at', 'notatime']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^agreements: at: must be an ISO 8601 date-time with an offset .*"notatime"\n$/);
    const amount = await cli(['confirm-funding', 'offline-good', '--commitment', 'jitri-phd', '--amount', 'abc']);
    expect(amount).toMatchObject({ code: 1, stderr: 'agreements: amount: must be a number\n' });
    const good = await cli(['sign', 'offline-good', '--signatory', 'vc-uob']);
    expect(good.code).toBe(3);
    expect(good.stderr).toMatch(/Temporal unreachable/);
  });
});
