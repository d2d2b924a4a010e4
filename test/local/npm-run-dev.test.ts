// `npm run dev` as a developer runs it: the dev server, a worker and the web server come up; the coordinator drives a
// held-out agreement with two CLI commands while everyone else acts from their mail (real SMTP to the loopback sink,
// Chromium on the web server's pages); and when npm dies without a word (SIGKILL: nothing is passed on) all of it stops,
// leaving the ports free.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { z } from 'zod';
import { portIsFree } from '../../src/local/stack/ports.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from '../support/browser.ts';
import { runCli } from '../support/cli.ts';
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
