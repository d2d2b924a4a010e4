// `npm run dev` as a developer runs it: the dev server, a worker and the web server come up; the coordinator drives a
// held-out agreement with two CLI commands while everyone else acts from their mail (real SMTP to the loopback sink,
// Chromium on the web server's pages); and when npm dies without a word (SIGKILL: nothing is passed on) all of it stops,
// leaving the ports free.
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { z } from 'zod';
import { portIsFree } from '../../src/local/stack/ports.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from '../support/browser.ts';
import { mou } from '../support/agreements.ts';
import { runCli } from '../support/cli.ts';
import { ANNEX, TEXT_V1, TEXT_V2, addJitriFund, amendText, documents } from '../support/documents.ts';
import { freePort } from '../support/global-setup.ts';
import { runNpmScript, type NpmScript } from '../support/npm-script.ts';
import { ACTED_ON_PAGES, heldOutAgreement, peopleActOnTheirPages } from '../support/people-on-pages.ts';
import { eventually } from '../support/worker.ts';
import { startSmtpSink, type SmtpSink } from '../mail/support/smtp-sink.ts';

const cleanup: (() => Promise<unknown>)[] = [];
let home: string;
let port: number;
let webPort: number;
let sink: SmtpSink;
let dev: NpmScript;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'agreements-npm-dev-'));
  cleanup.push(() => rm(home, { recursive: true, force: true }));
  sink = await startSmtpSink();
  cleanup.push(() => sink.close());
  // The UI listens 1000 above the frontend: find a pair that is free.
  for (let attempt = 0; attempt < 20 && port === undefined; attempt++) {
    const candidate = await freePort();
    if (candidate < 64_000 && (await portIsFree(candidate + 1000))) port = candidate;
  }
  webPort = await freePort();
  dev = runNpmScript('dev', {
    AGREEMENTS_HOME: home,
    TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    SMTP_URL: sink.url,
    WEB_PORT: String(webPort),
    LOG_LEVEL: 'info',
  });
  cleanup.push(async () => dev.killAll());
  await dev.printed('Ready.', 180_000);
}, 240_000);

afterAll(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

it.skipIf(!hasChromium)(
  'a held-out agreement: the coordinator types start and submit, everyone else acts from the mail in Chromium',
  async () => {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AGREEMENTS_HOME: home,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    };
    const agreements = async (...args: string[]) => {
      const outcome = await runCli([...args, '--json'], env);
      expect([outcome.code, outcome.stderr], `agreements ${args.join(' ')}`).toEqual([0, '']);
      return JSON.parse(outcome.stdout) as unknown;
    };
    const id = `held-out-${randomBytes(4).toString('hex')}`;
    const file = join(home, `${id}.yaml`);
    await writeFile(file, stringify(heldOutAgreement(id)));
    await agreements('start', file);
    expect(await agreements('submit', id)).toMatchObject({ stage: 'approval' });

    const web = `http://localhost:${webPort}`;
    const linkInMail = (kind: string, email: string) =>
      eventually(
        async () => {
          const mail = (await sink.parsed()).find((m) => {
            const key = String(m.headers.get('x-notification-key'));
            return m.headers.get('x-agreement-id') === id && key.startsWith(`${kind}:`) && key.endsWith(`:${email}`);
          });
          return (mail?.text ?? '').split('\n').find((line) => line.startsWith(`${web}/a/`));
        },
        60_000,
        `the ${kind} mail to ${email}, with its link`,
      );
    const events = async () =>
      z
        .object({ events: z.number() })
        .loose()
        .parse(await agreements('show', id)).events;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      await peopleActOnTheirPages({ browser, linkInMail, events });
    } finally {
      await browser.close();
    }

    const shown = z
      .object({ stage: z.string(), funding: z.object({ required: z.number(), confirmed: z.number() }) })
      .loose()
      .parse(await agreements('show', id));
    expect([shown.stage, shown.funding.confirmed]).toEqual(['active', shown.funding.required]);
    const trail = z
      .array(z.object({ type: z.string(), actor: z.string(), actorProof: z.string().nullable() }).loose())
      .parse(await agreements('history', id));
    const byLink = trail.filter((row) => row.type !== 'stage-changed' && row.actorProof?.startsWith('link:'));
    expect(byLink.map(({ type, actor }) => ({ type, actor }))).toEqual(ACTED_ON_PAGES);
  },
  180_000,
);

it('a signing that does not go to plan (SPEC 18): decline, replace, stale hash, certificate, variation, deadlines', async () => {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AGREEMENTS_HOME: home,
    TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
  };
  const cli = (...args: string[]) => runCli([...args, '--json'], env);
  const agreements = async (...args: string[]) => {
    const outcome = await cli(...args);
    expect([outcome.code, outcome.stderr], `agreements ${args.join(' ')}`).toEqual([0, '']);
    return z.looseObject({ stage: z.string(), events: z.number() }).parse(JSON.parse(outcome.stdout));
  };
  const suffix = randomBytes(4).toString('hex');
  const startFrom = async (document: Record<string, unknown>) => {
    const file = join(home, `${String(document.id)}.yaml`);
    await writeFile(file, stringify(document));
    const started = await cli('start', file);
    expect([started.code, started.stderr]).toEqual([0, '']);
    return String(document.id);
  };
  const mailTo = (id: string, kind: string, email: string) =>
    eventually(
      async () =>
        (await sink.parsed()).find((m) => {
          const key = String(m.headers.get('x-notification-key'));
          return m.headers.get('x-agreement-id') === id && key.startsWith(`${kind}:`) && key.endsWith(`:${email}`);
        }),
      60_000,
      `the ${kind} mail to ${email}`,
    );

  // Two agreements whose signing deadline falls 4 s after a ceremony 20 s away; one is extended by an hour.
  const soon = Date.now() + 20_000;
  const withDeadline = (name: string) => ({
    ...mou(Date.now(), `${name}-${suffix}`),
    ceremony: { at: new Date(soon).toISOString(), venue: 'Nanjing', timezone: 'Asia/Shanghai' },
    deadlines: { signing: 'PT4S' },
  });
  const lapsing = await startFrom(withDeadline('lapsing'));
  const extended = await startFrom(withDeadline('extended'));
  for (const id of [lapsing, extended]) expect((await agreements('submit', id)).stage).toBe('signing');
  await agreements('extend', extended, '--until', new Date(soon + 3600_000).toISOString());

  // The MoU with its two documents: the JITRI signatory declines and the President's delegate replaces him.
  const id = await startFrom({ ...mou(Date.now(), `exceptions-${suffix}`), documents });
  await agreements('submit', id);
  expect((await agreements('decline', id, '--signatory', 'president-jitri', '--reason', 'clause 4')).stage).toBe(
    'draft',
  );
  await agreements(
    'replace',
    id,
    '--signatory',
    'president-jitri',
    '--name',
    '刘青',
    '--email',
    'liu.qing@jitri.example',
    '--locale',
    'zh-CN',
    '--reason',
    'the President delegated the signature',
  );
  const patch = join(home, `${id}-text-v2.json`);
  await writeFile(patch, JSON.stringify(amendText));
  await agreements('amend', id, '--file', patch);
  await agreements('submit', id);
  await mailTo(id, 'invitation', 'liu.qing@jitri.example');
  const before = (await agreements('show', id)).events;
  const stale = await cli(
    'sign',
    id,
    '--signatory',
    'president-jitri',
    '--document-sha256',
    TEXT_V1,
    '--document-sha256',
    ANNEX,
  );
  expect(stale.code).toBe(1);
  expect(JSON.parse(stale.stderr)).toMatchObject({ error: expect.stringContaining('"agreement-text"') });
  expect((await agreements('show', id)).events).toBe(before);
  const current = ['--document-sha256', TEXT_V2, '--document-sha256', ANNEX];
  await agreements('sign', id, '--signatory', 'president-jitri', ...current);
  expect((await agreements('sign', id, '--signatory', 'vc-uob', ...current)).stage).toBe('active');

  // The certificate: mailed to 刘青 as an attachment, the same bytes the CLI writes, both names and hashes in it.
  const mailed = await mailTo(id, 'completion-certificate', 'liu.qing@jitri.example');
  const out = join(home, `${id}-certificate.pdf`);
  await agreements('certificate', id, '--out', out).catch(() => undefined);
  const written = await readFile(out);
  expect(Buffer.compare(mailed.attachments[0]?.content ?? Buffer.alloc(0), written)).toBe(0);
  const { stdout: text } = await promisify(execFile)('/usr/bin/pdftotext', ['-enc', 'UTF-8', out, '-']);
  for (const expected of ['刘青', 'Professor Adam Tickell', `SHA-256 ${TEXT_V2}`, `SHA-256 ${ANNEX}`]) {
    expect(text).toContain(expected);
  }

  // A variation adding JITRI's fund: signed by both, it applies and asks JITRI's finance office while still active.
  const variation = join(home, `${id}-fund.json`);
  await writeFile(variation, JSON.stringify(addJitriFund));
  await agreements('vary', id, '--file', variation, '--reason', 'the £2.7m joint fund');
  await mailTo(id, 'variation-invitation', 'liu.qing@jitri.example');
  await agreements('sign', id, '--signatory', 'vc-uob', '--variation', 'v1', ...current);
  await agreements('sign', id, '--signatory', 'president-jitri', '--variation', 'v1', ...current);
  const request = await mailTo(id, 'funding-request', 'finance@jitri.example');
  expect(String(request.headers.get('x-notification-key'))).toMatch(/^funding-request:v1-jitri-fund:/);
  const shown = z
    .looseObject({ stage: z.string(), variations: z.array(z.looseObject({ id: z.string(), status: z.string() })) })
    .parse(JSON.parse((await cli('show', id)).stdout));
  expect([shown.stage, shown.variations]).toEqual([
    'active',
    [expect.objectContaining({ id: 'v1', status: 'applied' })],
  ]);

  // By now the deadline has passed: the one left is cancelled, the one extended still in signing.
  await eventually(
    async () => ((await agreements('show', lapsing)).stage === 'cancelled' ? true : undefined),
    60_000,
    'the lapsed agreement cancelled',
  );
  expect((await agreements('show', extended)).stage).toBe('signing');
}, 240_000);

it('stops the dev server, the worker and the web server when npm dies', async () => {
  expect(await portIsFree(port)).toBe(false);
  expect(await portIsFree(webPort)).toBe(false);

  dev.npm.kill('SIGKILL');
  await dev.exited;
  await eventually(
    async () =>
      (await portIsFree(port)) && (await portIsFree(port + 1000)) && (await portIsFree(webPort)) ? true : undefined,
    60_000,
    `the dev server on ${port} and the web server on ${webPort} to stop once npm is gone:\n${dev.output()}`,
  );
}, 120_000);
