// `npm run stack` as an operator runs it (spec §13), and the team's acceptance agreements (examples/) taken through it
// with the CLI alone: the launcher is its own process, the CLI gets its view only from a shell sourcing stack.env,
// every mail is read back from Mailpit against the sent-mail log, and SIGTERM leaves nothing behind.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { z } from 'zod';
import { portIsFree } from '../../../src/local/stack/ports.ts';
import { dropDatabases, stackDatabases } from '../../../src/local/stack/postgres.ts';
import { stackSettingsFrom } from '../../../src/local/stack/settings.ts';
import type { CliOutcome } from '../../support/cli.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from '../../support/browser.ts';
import { mailFor, messageText } from '../../support/mailpit.ts';
import { ACTED_ON_PAGES, heldOutAgreement, peopleActOnTheirPages } from '../../support/people-on-pages.ts';
import { runNpmScript, type NpmScript } from '../../support/npm-script.ts';
import { freePorts } from '../../support/production-stack.ts';
import { eventually } from '../../support/worker.ts';
import { phdProgramme } from '../../support/agreements.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const prefix = `agreements_npmstack_${randomBytes(4).toString('hex')}`;
let home: string;
let launcher: NpmScript;
let ports: Awaited<ReturnType<typeof freePorts>>;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'agreements-npm-stack-'));
  ports = await freePorts();
  // Only what an operator's shell would have: the launcher must not lean on the test run's Temporal settings.
  launcher = runNpmScript('stack', {
    AGREEMENTS_HOME: home,
    STACK_DATABASE_PREFIX: prefix,
    STACK_TEMPORAL_PORT: String(ports.temporal),
    STACK_UI_PORT: String(ports.ui),
    STACK_SMTP_PORT: String(ports.smtp),
    STACK_MAILPIT_PORT: String(ports.mailpit),
    STACK_CODEC_PORT: String(ports.codec),
    STACK_WEB_PORT: String(ports.web),
    LOG_LEVEL: 'warn',
  });
  await launcher.printed('Stack ready', 540_000);
  firstWorkerPids.push(...pidsIn(launcher.output().match(/Workers\s+pids ([\d, ]+)/)?.[1]));
}, 600_000);

afterAll(async () => {
  if (launcher && launcher.npm.exitCode === null && launcher.npm.signalCode === null) {
    const pid = await readFile(join(home, 'stack.pid'), 'utf8').catch(() => undefined);
    if (pid) process.kill(Number(pid), 'SIGTERM');
    await Promise.race([launcher.exited, new Promise((resolve) => setTimeout(resolve, 60_000))]);
    launcher.killAll();
  }
  await dropDatabases(stackSettingsFrom({}).postgresUrl, stackDatabases(prefix)).catch(() => undefined);
  if (home) await rm(home, { recursive: true, force: true });
}, 120_000);

/** `set -a; . stack.env; set +a; npx agreements …`, as docs/operations.md tells the operator, with nothing else in the env. */
function agreements(...args: string[]): Promise<CliOutcome> {
  const script = 'set -a; . "$0"; set +a; exec node bin/agreements.js "$@"';
  return new Promise((resolve) => {
    execFile(
      'sh',
      ['-c', script, join(home, 'stack.env'), ...args],
      { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs a lifecycle command with --json and returns the agreement's new stage; any refusal fails the test. */
async function step(...args: string[]): Promise<string> {
  const result = await agreements(...args, '--json');
  expect(result.stderr, `agreements ${args.join(' ')}`).toBe('');
  expect(result.code, `agreements ${args.join(' ')}`).toBe(0);
  return z.object({ stage: z.string() }).loose().parse(JSON.parse(result.stdout)).stage;
}

async function json<T>(schema: z.ZodType<T>, ...args: string[]): Promise<T> {
  const result = await agreements(...args, '--json');
  expect(result.stderr, `agreements ${args.join(' ')}`).toBe('');
  expect(result.code).toBe(0);
  return schema.parse(JSON.parse(result.stdout));
}

const upgradeAnswers = z.array(
  z.object({ id: z.string(), buildId: z.string().optional(), moving: z.boolean() }).loose(),
);

const sentMail = z.array(
  z.object({ key: z.string(), kind: z.string(), recipient: z.string(), status: z.string(), messageId: z.string() }),
);

const EXAMPLES = [
  'examples/uob-jitri-phd-programme.yaml',
  'examples/joint-fund-six-projects.yaml',
  'examples/nblsri-mou.yaml',
  'examples/brain-health-commercialisation.yaml',
];
const JOINT_FUND_PROJECTS = [
  'project-1-nanoparticles',
  'project-2-biomedicine',
  'project-3-recycling',
  'project-4-clean-energy',
  'project-5-brain-imaging',
  'project-6-devices',
];

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const pidsIn = (list: string | undefined) => (list ?? '').split(',').map((pid) => Number(pid.trim()));
/** The workers the launcher started, and those of the build a rollout started (if that test ran). */
const firstWorkerPids: number[] = [];
let deployedWorkerPids: number[] = [];

describe('npm run stack, driven with the agreements CLI alone', () => {
  it('prints every address and writes stack.env with the workers’ view (owner-only)', async () => {
    expect(launcher.output()).toContain(`Temporal      127.0.0.1:${ports.temporal}`);
    expect(launcher.output()).toContain(`Temporal UI   http://127.0.0.1:${ports.ui}`);
    expect(launcher.output()).toContain(`Mailpit       http://127.0.0.1:${ports.mailpit}`);
    const envText = await readFile(join(home, 'stack.env'), 'utf8');
    for (const key of [
      'TEMPORAL_ADDRESS',
      'TEMPORAL_HTTP_ADDRESS',
      'TEMPORAL_NAMESPACE',
      'RECORDS_URL',
      'SMTP_URL',
      'TEMPORAL_UI_URL',
    ]) {
      expect(envText).toMatch(new RegExp(`^${key}=`, 'm'));
    }
    expect((await stat(join(home, 'stack.env'))).mode & 0o077).toBe(0);
  });

  it('takes the four example agreements to their ends; Mailpit holds each logged mail once', async () => {
    const started = await json(z.array(z.object({ id: z.string() }).loose()), 'start', ...EXAMPLES);
    expect(started.map((s) => s.id)).toEqual([
      'uob-jitri-phd-programme',
      'uob-jitri-joint-fund',
      'uob-nblsri-mou',
      'brain-health-commercialisation',
    ]);

    const phd = 'uob-jitri-phd-programme';
    const fund = 'uob-jitri-joint-fund';
    const mou = 'uob-nblsri-mou';
    const brain = 'brain-health-commercialisation';
    // The files name real ceremony dates, which pass: move each a month ahead first, as a coordinator would.
    const ceremonyIn = (days: number) => new Date(Date.now() + days * 24 * 3600_000).toISOString();
    for (const id of [phd, fund, mou, brain])
      expect(await step('reschedule', id, '--at', ceremonyIn(30))).toBe('draft');
    // The four offices work at once, as they would: each agreement's commands in order, the agreements side by side.
    await Promise.all([
      (async () => {
        // The PhD programme: internal approvals, the ceremony, two funders in tranches, a cohort, a fulfilled review.
        expect(await step('submit', phd)).toBe('approval');
        expect(await step('approve', phd, '--approver', 'legal', '--note', 'clause 7 agreed')).toBe('approval');
        expect(await step('approve', phd, '--approver', 'finance')).toBe('signing');
        expect(await step('sign', phd, '--signatory', 'vc-uob', '--document-sha256', 'ab'.repeat(32))).toBe('signing');
        expect(await step('sign', phd, '--signatory', 'president-jitri')).toBe('funding');
        expect(await step('confirm-funding', phd, '--commitment', 'jitri-phd', '--amount', '675000')).toBe('funding');
        expect(await step('confirm-funding', phd, '--commitment', 'jitri-phd', '--amount', '675000')).toBe('funding');
        expect(await step('confirm-funding', phd, '--commitment', 'uob-phd', '--amount', '1350000')).toBe('cohort');
        const csv = join(home, 'cohort.csv');
        await writeFile(
          csv,
          [
            'name,email,party,locale',
            'Li Wei,li.wei@jitri.example,jitri,zh-CN',
            'Zhang Min,zhang.min@jitri.example,jitri,zh-CN',
            'Amy Jones,amy.jones@uob.example,uob,en',
            'Tom Patel,tom.patel@uob.example,uob,',
          ].join('\n') + '\n',
        );
        expect(await step('enrol', phd, '--csv', csv)).toBe('cohort');
        expect(await step('launch', phd)).toBe('active');
        expect(await step('fulfil', phd, '--obligation', 'cohort-review-2028', '--reference', 'REV-2028')).toBe(
          'active',
        );
        expect(await step('complete', phd)).toBe('completed');
      })(),
      (async () => {
        // The £2.7m joint fund: six projects funded, six annual reports fulfilled.
        expect(await step('submit', fund)).toBe('signing');
        await step('sign', fund, '--signatory', 'vc-uob');
        expect(await step('sign', fund, '--signatory', 'president-jitri')).toBe('funding');
        const stages: string[] = [];
        for (const project of JOINT_FUND_PROJECTS) {
          stages.push(await step('confirm-funding', fund, '--commitment', project, '--amount', '450000'));
        }
        expect(stages).toEqual(['funding', 'funding', 'funding', 'funding', 'funding', 'active']);
        for (const [index] of JOINT_FUND_PROJECTS.entries()) {
          await step('fulfil', fund, '--obligation', `report-2027-project-${index + 1}`);
        }
        expect(await step('complete', fund)).toBe('completed');
      })(),
      (async () => {
        // The memorandum: signing straight to active, then completed.
        expect(await step('submit', mou)).toBe('signing');
        await step('sign', mou, '--signatory', 'vc-uob');
        expect(await step('sign', mou, '--signatory', 'founder-nblsri')).toBe('active');
        expect(await step('complete', mou)).toBe('completed');
      })(),
      (async () => {
        // Brain health: rescheduled, then withdrawn from signing.
        expect(await step('submit', brain)).toBe('signing');
        expect(await step('reschedule', brain, '--at', ceremonyIn(37), '--venue', 'Shanghai')).toBe('signing');
        expect(await step('cancel', brain, '--reason', 'Partner withdrew')).toBe('cancelled');
      })(),
    ]);

    // A refusal says what is wrong in one line and writes nothing.
    const eventsOf = async (id: string) => (await json(z.object({ events: z.number() }).loose(), 'show', id)).events;
    const before = await eventsOf(mou);
    const refused = await agreements('sign', mou, '--signatory', 'vc-uob');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([
      `agreements: agreement "${mou}" has ended: no further commands are accepted`,
    ]);
    expect(await eventsOf(mou)).toBe(before);

    const register = await json(
      z.array(z.object({ id: z.string(), stage: z.string(), fundingConfirmed: z.number().nullable() }).loose()),
      'register',
    );
    expect(Object.fromEntries(register.map((row) => [row.id, [row.stage, row.fundingConfirmed]]))).toEqual({
      [phd]: ['completed', 2_700_000],
      [fund]: ['completed', 2_700_000],
      [mou]: ['completed', 0],
      [brain]: ['cancelled', 0],
    });

    const mailpit = (await readFile(join(home, 'stack.env'), 'utf8')).match(/^MAILPIT_URL=(.*)$/m)?.[1] ?? '';
    for (const id of [phd, fund, mou, brain]) {
      const events = (await json(z.array(z.object({ sequence: z.number() }).loose()), 'history', id)).map(
        (row) => row.sequence,
      );
      expect(events, `audit trail of ${id}`).toEqual(Array.from({ length: await eventsOf(id) }, (_, i) => i + 1));

      // Delivery runs behind the commands, in batches: wait until the log has stopped growing (two reads a second
      // apart agree), every row is sent, and Mailpit holds at least as many; a late duplicate would show by then.
      const { log, received } = await eventually(
        async () => {
          const rows = await json(sentMail, 'mail', id);
          await new Promise((resolve) => setTimeout(resolve, 1000));
          const again = await json(sentMail, 'mail', id);
          const inbox = await mailFor(mailpit, id);
          const settled = again.length === rows.length && again.every((row) => row.status === 'sent');
          return again.length > 0 && settled && inbox.length >= again.length
            ? { log: again, received: inbox }
            : undefined;
        },
        90_000,
        `the mail of ${id} delivered`,
      );
      expect(received.map((m) => m.notificationKey).sort(), `Mailpit's keys for ${id}`).toEqual(
        log.map((row) => row.key).sort(),
      );
      for (const row of log) {
        const copies = received.filter((m) => m.notificationKey === row.key);
        expect(
          copies.map((m) => m.messageId),
          `copies of ${row.key}`,
        ).toEqual([row.messageId.replace(/^<|>$/g, '')]);
        expect(copies[0]?.recipients).toEqual([row.recipient]);
      }
    }

    // What each office must have seen: the approvers asked, the cohort welcomed, the reports acknowledged, the
    // cancellation told to the coordinators.
    const kindsOf = async (id: string) => new Set((await json(sentMail, 'mail', id)).map((row) => row.kind));
    const phdKinds = await kindsOf(phd);
    for (const kind of ['approval-request', 'invitation', 'funding-request', 'welcome', 'obligation-fulfilled']) {
      expect([...phdKinds], `${phd} mailed ${kind}`).toContain(kind);
    }
    expect([...(await kindsOf(fund))]).toContain('obligation-fulfilled');
    expect([...(await kindsOf(brain))]).toContain('cancelled');
  }, 600_000);

  it.skipIf(!hasChromium)(
    'a held-out agreement: the coordinator types start and submit, everyone else acts from the mail in Chromium',
    async () => {
      const id = `held-out-${randomBytes(4).toString('hex')}`;
      const file = join(home, `${id}.yaml`);
      await writeFile(file, stringify(heldOutAgreement(id)));
      const started = await agreements('start', file);
      expect([started.code, started.stderr]).toEqual([0, '']);
      expect(await step('submit', id)).toBe('approval');

      const env = await readFile(join(home, 'stack.env'), 'utf8');
      const setting = (key: string) => env.match(new RegExp(`^${key}=(.*)$`, 'm'))?.[1] ?? '';
      const [mailpit, web] = [setting('MAILPIT_URL'), setting('WEB_URL')];
      expect(web).toMatch(/^http:\/\/(localhost|127\.0\.0\.1):\d+$/);
      const linkInMail = (kind: string, email: string) =>
        eventually(
          async () => {
            const mail = (await mailFor(mailpit, id)).find(
              (m) => m.notificationKey.startsWith(`${kind}:`) && m.notificationKey.endsWith(`:${email}`),
            );
            if (mail === undefined) return undefined;
            const text = await messageText(mailpit, mail);
            return text.split(/\r?\n/).find((line) => line.startsWith(`${web}/a/`));
          },
          60_000,
          `the ${kind} mail to ${email} in Mailpit, with its link`,
        );
      const eventsNow = async () => (await json(z.object({ events: z.number() }).loose(), 'show', id)).events;
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        await peopleActOnTheirPages({ browser, linkInMail, events: eventsNow });
      } finally {
        await browser.close();
      }

      const shown = await json(
        z.object({ stage: z.string(), funding: z.object({ required: z.number(), confirmed: z.number() }) }).loose(),
        'show',
        id,
      );
      expect([shown.stage, shown.funding.confirmed]).toEqual(['active', shown.funding.required]);
      const trail = await json(
        z.array(z.object({ type: z.string(), actor: z.string(), actorProof: z.string().nullable() }).loose()),
        'history',
        id,
      );
      // Each step by its person, proven by their link; besides them only the coordinator's start (a submit records
      // only its stage change).
      const acts = trail.filter((row) => row.type !== 'stage-changed');
      const byLink = acts.filter((row) => row.actorProof?.startsWith('link:'));
      expect(byLink.map(({ type, actor }) => ({ type, actor }))).toEqual(ACTED_ON_PAGES);
      expect(acts.filter((row) => !byLink.includes(row)).map((row) => row.type)).toEqual(['started']);
    },
    300_000,
  );

  it('npm run stack -- --deploy rolls out another build: a running agreement moves onto it, the old workers stop', async () => {
    const id = `deploy-${randomBytes(3).toString('hex')}`;
    const file = join(home, `${id}.json`);
    await writeFile(file, JSON.stringify({ ...phdProgramme(Date.now()), id }));
    expect((await agreements('start', file)).code).toBe(0);
    const before = await json(upgradeAnswers, 'upgrade');
    expect(before.find((nudge) => nudge.id === id)).toMatchObject({ moving: false });
    const firstBuild = before.find((nudge) => nudge.id === id)?.buildId;
    expect(firstBuild).toMatch(/^\d+\.\d+\.\d+-[0-9a-f]{12}$/);

    // The same checkout named as another build, as a test can; a release names it by its commit.
    const deploy = runNpmScript('stack', { AGREEMENTS_HOME: home, AGREEMENTS_BUILD_ID: 'npm-stack-b' }, ['--deploy']);
    expect(await deploy.exited, deploy.output()).toBe(0);
    expect(deploy.output()).toContain('deploy: asked the stack');
    const done =
      /deploy: done: build npm-stack-b is current \(workers pids ([\d, ]+)\) and \S+ drained after \d+ s/.exec(
        deploy.output(),
      );
    expect(done, deploy.output()).not.toBeNull();
    expect(firstWorkerPids.filter(alive), "the first build's workers stopped").toEqual([]);
    deployedWorkerPids = pidsIn(done?.[1]);
    expect(deployedWorkerPids.filter(alive)).toHaveLength(2);

    // The agreement continued as new onto the new build, where it goes on.
    const after = await json(upgradeAnswers, 'upgrade');
    expect(after.find((nudge) => nudge.id === id)).toMatchObject({ buildId: 'npm-stack-b', moving: false });
    expect(await step('submit', id)).toBe('signing');
    expect(await step('cancel', id, '--reason', 'deploy test over')).toBe('cancelled');
  }, 300_000);

  it('SIGTERM to the launcher (kill $(cat stack.pid)) stops every part and removes stack.env', async () => {
    const pid = Number(await readFile(join(home, 'stack.pid'), 'utf8'));
    const workerPids = [...firstWorkerPids, ...deployedWorkerPids];
    expect(workerPids.length).toBeGreaterThanOrEqual(2);
    process.kill(pid, 'SIGTERM');
    expect(await launcher.exited).toBe(0);
    expect(existsSync(join(home, 'stack.env'))).toBe(false);
    expect(existsSync(join(home, 'stack.pid'))).toBe(false);
    expect(workerPids.filter(alive)).toEqual([]);
    for (const [name, port] of Object.entries(ports)) {
      expect(await portIsFree(port), `${name} port ${port} released`).toBe(true);
    }
  }, 120_000);
});
