import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { stringify } from 'yaml';
import { phdProgramme } from '../support/agreements.ts';
import { eventually, startTestStack, type TestStack } from '../support/worker.ts';

const run = promisify(execFile);
let stack: TestStack;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  dir = await mkdtemp(join(tmpdir(), 'agreements-cli-'));
});
afterAll(async () => {
  await stack?.stop();
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function agreements(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run('node', ['bin/agreements.js', ...args], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: stack.taskQueue,
        AGREEMENTS_HOME: stack.home,
        AGREEMENTS_ACTOR: 'cli-test',
        ...env,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function expectOneCleanLine(outcome: Outcome) {
  const lines = outcome.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(outcome.stderr).not.toMatch(/\n\s+at |Error:/);
  return lines[0];
}

describe('the agreements CLI', () => {
  it('starts from a YAML file, drives commands, and prints JSON with --json', async () => {
    const id = `cli-${randomBytes(4).toString('hex')}`;
    const file = join(dir, `${id}.yaml`);
    await writeFile(file, stringify({ ...phdProgramme(Date.now()), id }));
    const started = await agreements(['start', file, '--json']);
    expect(started.code).toBe(0);
    expect(JSON.parse(started.stdout)).toEqual([expect.objectContaining({ id, workflowId: `agreement-${id}` })]);
    expect((await agreements(['submit', id])).code).toBe(0);
    const signed = await agreements(['sign', id, '--signatory', 'vc-uob', '--json', '--request-id', 'cli-sign-1']);
    expect(signed.code).toBe(0);
    const view = JSON.parse(signed.stdout);
    expect(view).toMatchObject({ id, stage: 'signing', events: 3 });
    expect(view.signatures).toEqual([
      expect.objectContaining({ signatory: 'vc-uob', signedAt: expect.any(String) }),
      expect.objectContaining({ signatory: 'president-jitri', signedAt: null }),
    ]);
    expect(view).toHaveProperty('nextReminderAt');
    expect(view.funding).toMatchObject({ currency: 'GBP', required: 2700000, confirmed: 0 });
    const retried = await agreements(['sign', id, '--signatory', 'vc-uob', '--json', '--request-id', 'cli-sign-1']);
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout).events).toBe(3);

    const shown = await agreements(['show', id]);
    expect(shown.stdout).toContain('signatures:  1/2');
    await agreements(['cancel', id, '--reason', 'test over']);
    const history = await eventually(async () => {
      const outcome = await agreements(['history', id, '--json']);
      const rows =
        outcome.code === 0 ? (JSON.parse(outcome.stdout) as { sequence: number; type: string; actor: string }[]) : [];
      return rows.length === 4 ? rows : undefined;
    });
    expect(history.map((row) => row.sequence)).toEqual([1, 2, 3, 4]);
    expect(history.find((row) => row.type === 'signed')?.actor).toBe('cli-test');
    // Rows pass through `claimed` while a mail is on its way: wait until the first ones have settled.
    const mail = await eventually(async () => {
      const outcome = await agreements(['mail', id, '--json']);
      const rows = outcome.code === 0 ? (JSON.parse(outcome.stdout) as { kind: string; status: string }[]) : [];
      const settled = (kind: string) => rows.some((row) => row.kind === kind && row.status === 'sent');
      return settled('started') && settled('invitation') ? rows : undefined;
    });
    expect(mail.find((row) => row.kind === 'started')).toMatchObject({ status: 'sent', resends: 0 });
    expect(new Set(mail.map((row) => row.status))).not.toContain('refused');
    const register = await agreements(['register', '--stage', 'cancelled', '--format', 'csv']);
    expect(register.code).toBe(0);
    expect(register.stdout.split('\r\n')[0]).toMatch(/^id,/);
    expect(register.stdout).toContain(id);
  });

  it('exits 1 with one line naming what is wrong, and changes nothing', async () => {
    const id = `cli-bad-${randomBytes(4).toString('hex')}`;
    const bad = join(dir, 'bad.yaml');
    await writeFile(
      bad,
      stringify({
        ...phdProgramme(Date.now()),
        id,
        signatories: [{ id: 'x', name: 'X', party: 'jitr', email: 'x@x.example' }],
      }),
    );
    const refused = await agreements(['start', bad]);
    expect(refused.code).toBe(1);
    expect(expectOneCleanLine(refused)).toBe('agreements: signatories[0].party: unknown party "jitr"');
    expect((await agreements(['show', id])).code).toBe(1);

    const good = join(dir, 'good.yaml');
    await writeFile(good, stringify({ ...phdProgramme(Date.now()), id }));
    expect((await agreements(['start', good])).code).toBe(0);
    const rejected = await agreements(['confirm-funding', id, '--commitment', 'jitri-phd', '--amount', '10']);
    expect(rejected.code).toBe(1);
    expect(expectOneCleanLine(rejected)).toBe(
      'agreements: confirmFunding is not allowed in stage "draft" (allowed in: funding, active)',
    );
    const badActor = await agreements(['submit', id, '--actor', 'a\nb']);
    expect(badActor.code).toBe(1);
    expect(expectOneCleanLine(badActor)).toBe('agreements: actor: must not contain line breaks or control characters');
    const missing = await agreements(['start', join(dir, 'nope.yaml')]);
    expect(expectOneCleanLine(missing)).toMatch(/cannot read .*nope\.yaml: no such file/);
    // Refused from the file before the agreement is asked: the reply names the line, not the draft stage.
    const candidates = join(dir, 'candidates-fr.csv');
    await writeFile(candidates, 'name,email,locale\nLi Wei,li.wei@jitri.example,zh-CN\nAmy Jones,amy@uob.example,fr\n');
    const badLocale = await agreements(['enrol', id, '--csv', candidates]);
    expect(badLocale.code).toBe(1);
    expect(expectOneCleanLine(badLocale)).toBe(
      `agreements: ${candidates}: line 3: locale "fr" must be one of en, zh-CN (or blank for en)`,
    );
    expect((await agreements(['show', id, '--json'])).stdout).toContain('"events": 1');
    const duplicate = await agreements(['start', good]);
    expect(duplicate.code).toBe(1);
    expect(expectOneCleanLine(duplicate)).toBe(
      `agreements: agreement "${id}" already exists (workflow id agreement-${id})`,
    );
    await agreements(['cancel', id, '--reason', 'test over']);
  });

  it('starts several files as one batch: all valid first, each problem named by file; the starter is in the trail', async () => {
    const tag = randomBytes(4).toString('hex');
    const [first, second, third] = [`cli-batch-a-${tag}`, `cli-batch-b-${tag}`, `cli-batch-c-${tag}`];
    const fileA = join(dir, `a-${tag}.yaml`);
    const fileB = join(dir, `b-${tag}.json`);
    await writeFile(fileA, stringify({ ...phdProgramme(Date.now()), id: first }));
    await writeFile(
      fileB,
      JSON.stringify({
        agreements: [
          { ...phdProgramme(Date.now()), id: second },
          { ...phdProgramme(Date.now()), id: third, signatories: [] },
        ],
      }),
    );
    const refused = await agreements(['start', fileA, fileB]);
    expect(refused.code).toBe(1);
    expect(expectOneCleanLine(refused)).toBe(
      `agreements: ${fileB}: agreements[1].signatories: must list at least one signatory`,
    );
    expect(expectOneCleanLine(await agreements(['show', first]))).toBe(`agreements: agreement "${first}" not found`);

    const twice = join(dir, `twice-${tag}.yaml`);
    await writeFile(
      twice,
      stringify([
        { ...phdProgramme(Date.now()), id: second },
        { ...phdProgramme(Date.now()), id: second },
      ]),
    );
    const duplicated = await agreements(['start', twice]);
    expect(expectOneCleanLine(duplicated)).toBe(
      `agreements: agreements[1].id: "${second}" appears twice in this batch (also agreements[0])`,
    );
    expect(expectOneCleanLine(await agreements(['show', second]))).toBe(`agreements: agreement "${second}" not found`);

    expect((await agreements(['start', fileA, '--actor', 'Dr Jane Smith'])).code).toBe(0);
    const history = await eventually(async () => {
      const outcome = await agreements(['history', first, '--json']);
      return outcome.code === 0 ? (JSON.parse(outcome.stdout) as { type: string; actor: string }[]) : undefined;
    });
    expect(history[0]).toMatchObject({ type: 'started', actor: 'Dr Jane Smith' });

    // A start that fails part-way says what it had already started.
    const later = join(dir, `later-${tag}.yaml`);
    await writeFile(
      later,
      stringify([
        { ...phdProgramme(Date.now()), id: third },
        { ...phdProgramme(Date.now()), id: first },
      ]),
    );
    const partial = await agreements(['start', later]);
    expect(partial.code).toBe(1);
    expect(expectOneCleanLine(partial)).toBe(
      `agreements: agreement "${first}" already exists (workflow id agreement-${first}) (already started in this batch: ${third})`,
    );
    for (const id of [first, third]) await agreements(['cancel', id, '--reason', 'test over']);
  });

  it('rejects option values that are not what they say: a hex amount, an empty venue, a bad port', async () => {
    const id = `cli-values-${randomBytes(4).toString('hex')}`;
    const file = join(dir, `${id}.yaml`);
    await writeFile(file, stringify({ ...phdProgramme(Date.now()), id }));
    expect((await agreements(['start', file])).code).toBe(0);
    const venue = await agreements([
      'reschedule',
      id,
      '--at',
      new Date(Date.now() + 40 * 86400_000).toISOString(),
      '--venue',
      '',
    ]);
    expect(expectOneCleanLine(venue)).toBe('agreements: venue: must not be empty');
    const hex = await agreements(['confirm-funding', id, '--commitment', 'jitri-phd', '--amount', '0x10']);
    expect(hex.code).toBe(1);
    expect(expectOneCleanLine(hex)).toBe('agreements: amount: must be a number');
    expect(JSON.parse((await agreements(['show', id, '--json'])).stdout)).toMatchObject({ events: 1 });
    const port = await agreements(['start', join(dir, 'nope.yaml')], { TEMPORAL_ADDRESS: 'localhost:99999' });
    expect(port.code).toBe(1);
    expect(expectOneCleanLine(port)).toBe(
      'agreements: invalid configuration: TEMPORAL_ADDRESS: port must be between 1 and 65535',
    );
    await agreements(['cancel', id, '--reason', 'test over']);
  });

  it('exits 3 with the reason, instead of hanging, when no worker serves the task queue', async () => {
    const id = `cli-no-worker-${randomBytes(4).toString('hex')}`;
    const file = join(dir, `${id}.yaml`);
    await writeFile(file, stringify({ ...phdProgramme(Date.now()), id }));
    const env = { TEMPORAL_TASK_QUEUE: `nobody-${id}`, AGREEMENTS_WORKER_WAIT: '2s' };
    expect((await agreements(['start', file], env)).code).toBe(0);
    const shown = await agreements(['show', id], env);
    expect(shown.code).toBe(3);
    expect(expectOneCleanLine(shown)).toBe(
      `agreements: no worker answered within 2s: is a worker running on task queue "nobody-${id}"? Start one with npm run worker.`,
    );
    const submitted = await agreements(['submit', id], env);
    expect(submitted.code).toBe(3);
    expect(expectOneCleanLine(submitted)).toMatch(
      /^agreements: no worker took the command within 2s: .* The command may still apply once one starts: check with agreements show cli-no-worker-/,
    );
    await stack.env.client.workflow.getHandle(`agreement-${id}`).terminate('test over');
  });

  it('says the agreement is failing, not that no worker runs, when the worker cannot run its workflow', async () => {
    const id = `cli-failing-${randomBytes(4).toString('hex')}`;
    // A workflow type the worker does not have: each of its workflow tasks fails, as a bug or a broken deploy would.
    const handle = await stack.env.client.workflow.start('noSuchWorkflowType', {
      workflowId: `agreement-${id}`,
      taskQueue: stack.taskQueue,
      args: [],
    });
    // From the third attempt on (after the task's 10 s timeout) the server refuses queries and updates at once.
    await eventually(
      async () => ((await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0) >= 3 || undefined,
      60_000,
      'a third attempt',
    );
    const env = { AGREEMENTS_WORKER_WAIT: '2s' };
    const failing =
      /^agreements: agreement "cli-failing-\w+" is not answering: its workflow task keeps failing \(attempt \d+\): the worker cannot run its workflow code \(".*noSuchWorkflowType.*"\)\. An operator should look at the workflow in the Temporal UI and the worker's log\./;
    const shown = await agreements(['show', id], env);
    expect(shown.code).toBe(3);
    expect(expectOneCleanLine(shown)).toMatch(failing);
    const submitted = await agreements(['submit', id], env);
    expect(submitted.code).toBe(3);
    const line = expectOneCleanLine(submitted);
    expect(line).toMatch(failing);
    expect(line).toMatch(/The command may still apply once that is fixed: check with agreements show cli-failing-/);
    await handle.terminate('test over');
  });

  it('still says no worker when a worker took a workflow task and died holding it', async () => {
    const id = `cli-dead-worker-${randomBytes(4).toString('hex')}`;
    const taskQueue = `nobody-${id}`;
    const { client } = stack.env;
    const handle = await client.workflow.start('agreementLifecycle', {
      workflowId: `agreement-${id}`,
      taskQueue,
      args: [],
      workflowTaskTimeout: '1s',
    });
    // A "worker" polls the task and never answers: the task times out and its attempt count rises, with nobody left.
    const polled = await client.withDeadline(Date.now() + 30_000, () =>
      client.workflowService.pollWorkflowTaskQueue({
        namespace: 'default',
        taskQueue: { name: taskQueue },
        identity: 'a worker that dies',
      }),
    );
    expect(polled.workflowExecution?.workflowId).toBe(`agreement-${id}`);
    await eventually(
      async () => ((await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0) >= 2 || undefined,
      30_000,
      'a second attempt',
    );
    const shown = await agreements(['show', id], { TEMPORAL_TASK_QUEUE: taskQueue, AGREEMENTS_WORKER_WAIT: '2s' });
    expect(shown.code).toBe(3);
    expect(expectOneCleanLine(shown)).toBe(
      `agreements: no worker answered within 2s: is a worker running on task queue "${taskQueue}"? Start one with npm run worker.`,
    );
    await handle.terminate('test over');
  });

  it('says where it looked when there are no records there yet, and creates nothing', async () => {
    const elsewhere = join(dir, 'not-the-workers-home');
    const register = await agreements(['register'], { AGREEMENTS_HOME: elsewhere });
    expect(register.code).toBe(0);
    expect(register.stdout).toMatch(/^ID\s+STAGE/);
    expect(expectOneCleanLine(register)).toBe(
      `agreements: the register is empty: there are no records at ${join(elsewhere, 'records.db')} yet: is AGREEMENTS_HOME the worker's?`,
    );
    const history = await agreements(['history', 'some-id'], { AGREEMENTS_HOME: elsewhere });
    expect(history.code).toBe(1);
    expect(expectOneCleanLine(history)).toContain(
      `agreement "some-id" has no records (there are no records at ${join(elsewhere, 'records.db')} yet`,
    );
    expect(existsSync(elsewhere)).toBe(false);
  });

  it('exits 2 on a usage error and 3 when Temporal is unreachable', async () => {
    const usage = await agreements(['sign', 'some-id']);
    expect(usage.code).toBe(2);
    expect(expectOneCleanLine(usage)).toBe(
      "agreements: required option '--signatory <id>' not specified (run with --help for usage)",
    );
    const unknown = await agreements(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(expectOneCleanLine(unknown)).toBe("agreements: unknown command 'frobnicate' (run with --help for usage)");
    const both = await agreements(['enrol', 'some-id', '--csv', 'candidates.csv', '--party', 'uob']);
    expect(both.code).toBe(2);
    expect(expectOneCleanLine(both)).toMatch(
      /^agreements: give either --csv or --name\/--email.* \(run with --help for usage\)$/,
    );
    const typo = await agreements(['sgin', 'some-id']);
    expect(typo.code).toBe(2);
    expect(expectOneCleanLine(typo)).toBe(
      "agreements: unknown command 'sgin' (Did you mean sign?) (run with --help for usage)",
    );
    const down = await agreements(['show', 'anything'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(down.code).toBe(3);
    expect(expectOneCleanLine(down)).toBe(
      'agreements: Temporal unreachable at 127.0.0.1:1 (is the server running? try npm run dev)',
    );
    const storeDown = await agreements(['register'], { RECORDS_URL: 'postgres://postgres@127.0.0.1:1/records' });
    expect(storeDown.code).toBe(3);
    expect(expectOneCleanLine(storeDown)).toMatch(
      /^agreements: records store unreachable: postgres:\/\/.*127\.0\.0\.1:1\/records \(connection refused\)$/,
    );
    expect((await agreements(['history', 'no-such-agreement'])).code).toBe(1);
    const badQuery = await agreements(['list', '--query', '(((']);
    expect(badQuery.code).toBe(1);
    expect(expectOneCleanLine(badQuery)).toMatch(/^agreements: Failed to list workflows: .*\S/);
    // The server's position counts in the query the CLI built around the user's: that query is shown.
    expect(badQuery.stderr).toContain('(in the query WorkflowType = "agreementLifecycle" AND ((((');
    const badConfig = await agreements(['show', 'anything'], { LOG_LEVEL: 'loud' });
    expect(badConfig.code).toBe(1);
    expect(expectOneCleanLine(badConfig)).toMatch(/^agreements: invalid configuration: LOG_LEVEL: must be one of/);
  });
});
