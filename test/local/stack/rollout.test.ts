// Spec §19 for real: agreements at every stage run on build A of the Worker Deployment `agreements` on the stack's
// Temporal server (1.32, upgrade on continue-as-new); build B, the same code with one more timer before each activity
// (not replay-safe), is rolled out with the stack's own rollout (npm run stack -- --deploy). Each agreement finishes
// its run on A, continues as new onto B at a quiet point, and ends its lifecycle there; A drains and its worker stops.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBuild } from '../../../src/client/worker-deployment.ts';
import { strandedAgreements, type RolloutReport } from '../../../src/local/stack/rollout.ts';
import { bundleAgreementWorkflows } from '../../../src/worker/create-worker.ts';
import { workflowIdFor } from '../../../src/wire/contract.ts';
import { phdProgramme } from '../../support/agreements.ts';
import { startProductionStack, type ProductionStack } from '../../support/production-stack.ts';
import { eventually } from '../../support/worker.ts';
import {
  expectCompleteRecordsAndMail,
  PROGRAMME_COMMANDS,
  sendProgrammeCommands,
} from '../../support/stack-programme.ts';

/** The twenty: two at each number of commands sent before the rollout, from none (a draft) to all but one. */
const AGREEMENTS = 20;
const suffix = randomBytes(3).toString('hex');
const BUILD_A = `rollout-a-${suffix}`;
const BUILD_B = `rollout-b-${suffix}`;
const BUILD_B_WORKER = fileURLToPath(new URL('./build-b/worker.ts', import.meta.url));
const EXTRA_TIMER = fileURLToPath(new URL('./build-b/extra-timer.ts', import.meta.url));

let production: ProductionStack;
let bundleDir: string;

beforeAll(async () => {
  bundleDir = await mkdtemp(join(tmpdir(), 'agreements-build-b-'));
  const [stack, bundle] = await Promise.all([
    startProductionStack({ workers: 1, buildId: BUILD_A, prefix: 'agreements_rollout' }),
    bundleAgreementWorkflows({ encryptedFailures: true, workflowInterceptorModules: [EXTRA_TIMER] }),
  ]);
  production = stack;
  await writeFile(join(bundleDir, 'build-b.js'), bundle.code);
}, 600_000);
afterAll(async () => {
  await production?.stop();
  await rm(bundleDir, { recursive: true, force: true });
}, 120_000);

/** One run of an agreement as its history tells it. */
interface Run {
  runId: string;
  /** The builds that completed its workflow tasks: one, since a run is pinned. */
  builds: string[];
  failedTasks: number;
  /** Build B's one-millisecond timers (the lifecycle's own timers wait days). */
  extraTimers: number;
  continuedAsNew: boolean;
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

function readRun(runId: string, events: readonly HistoryEvent[]): Run {
  const builds = new Set<string>();
  let failedTasks = 0;
  let extraTimers = 0;
  let continuedAsNew = false;
  for (const event of events) {
    const completed = event.workflowTaskCompletedEventAttributes;
    if (completed?.deploymentVersion?.buildId) builds.add(completed.deploymentVersion.buildId);
    if (event.workflowTaskFailedEventAttributes) failedTasks++;
    const timeout = event.timerStartedEventAttributes?.startToFireTimeout;
    if (timeout && Number(timeout.seconds ?? 0) === 0 && (timeout.nanos ?? 0) <= 1_000_000) extraTimers++;
    if (event.workflowExecutionContinuedAsNewEventAttributes) continuedAsNew = true;
  }
  return { runId, builds: [...builds], failedTasks, extraTimers, continuedAsNew };
}

/** Every run of the agreement, oldest first. */
async function runsOf(id: string): Promise<Run[]> {
  const { temporal } = production;
  const workflowId = workflowIdFor(id);
  const executions: { runId: string; startTime: Date }[] = [];
  for await (const execution of temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    executions.push({ runId: execution.runId, startTime: execution.startTime });
  }
  executions.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  return Promise.all(
    executions.map(async ({ runId }) => {
      const history = await temporal.workflow.getHandle(workflowId, runId).fetchHistory();
      return readRun(runId, history.events ?? []);
    }),
  );
}

it('rolls build B out under twenty running agreements: each moves at a quiet point, none fails, A drains', async () => {
  const ids = Array.from({ length: AGREEMENTS }, (_, i) => `rollout-${suffix}-${String(i).padStart(2, '0')}`);
  const sentBefore = (i: number) => i % PROGRAMME_COMMANDS.length;
  await Promise.all(
    ids.map(async (id, i) => {
      await production.agreements.start({ ...phdProgramme(Date.now()), id });
      await sendProgrammeCommands(production, id, 0, sentBefore(i));
    }),
  );
  const buildAWorkers = production.stack.workers;
  // What a stack started on another build would warn of: these twenty, pinned to A.
  const stranded = await eventually(
    async () => {
      const counted = await strandedAgreements(production.temporal, BUILD_B);
      return counted.get(BUILD_A) === AGREEMENTS ? counted : undefined;
    },
    30_000,
    'the twenty counted as pinned to A',
  );
  expect([...stranded]).toEqual([[BUILD_A, AGREEMENTS]]);
  expect(await strandedAgreements(production.temporal, BUILD_A)).toEqual(new Map());

  const report: RolloutReport = await production.stack.deploy(BUILD_B, {
    program: { entry: BUILD_B_WORKER, env: { BUILD_B_BUNDLE_FILE: join(bundleDir, 'build-b.js') } },
    timing: { nudgeEveryMs: 2_000, drainTimeoutMs: 240_000 },
  });

  // Every agreement was still running on A, and the nudges moved each of them.
  expect(report).toMatchObject({ from: BUILD_A, to: BUILD_B });
  const moved = new Set(report.nudges.filter((nudge) => nudge.moving).map((nudge) => nudge.id));
  expect([...moved].sort()).toEqual(ids);
  expect(report.nudges.filter((nudge) => nudge.error !== undefined)).toEqual([]);
  // A is drained and its worker gone; B's runs the stack.
  expect(await describeBuild(production.temporal, BUILD_A)).toMatchObject({ drainage: 'drained' });
  expect(await describeBuild(production.temporal, BUILD_B)).toMatchObject({ status: 'current' });
  expect(buildAWorkers.every((worker) => worker.hasExited())).toBe(true);
  expect(production.stack.buildId).toBe(BUILD_B);
  // `agreements list --build` says where each sits.
  const onB = await eventually(
    async () => {
      const listed = await production.agreements.list({ build: BUILD_B });
      return listed.length >= AGREEMENTS ? listed : undefined;
    },
    30_000,
    'every agreement listed on build B',
  );
  expect(onB.map((agreement) => agreement.id)).toEqual(ids);
  expect(await production.agreements.list({ build: BUILD_A })).toEqual([]);

  // A new agreement starts on B; every one of the twenty ends its lifecycle there.
  const late = `rollout-${suffix}-late`;
  await production.agreements.start({ ...phdProgramme(Date.now()), id: late });
  await Promise.all(
    [...ids, late].map((id, i) =>
      sendProgrammeCommands(production, id, id === late ? 0 : sentBefore(i), PROGRAMME_COMMANDS.length),
    ),
  );
  for (const id of [...ids, late]) await expectCompleteRecordsAndMail(production, id);

  for (const id of ids) {
    const runs = await runsOf(id);
    expect(
      runs.map((run) => run.failedTasks),
      `${id}: no workflow task failed (no non-determinism)`,
    ).toEqual(runs.map(() => 0));
    for (const run of runs) expect(run.builds, `${id} run ${run.runId}: pinned to one build`).toHaveLength(1);
    const [first] = runs;
    const last = runs.at(-1);
    expect(first?.builds, `${id}: started on A`).toEqual([BUILD_A]);
    expect(first?.continuedAsNew).toBe(true);
    expect(first?.extraTimers, `${id}: A never ran B's timer`).toBe(0);
    expect(last?.builds, `${id}: ended on B`).toEqual([BUILD_B]);
    // The rest of the programme records events and sends mail on B: B's extra timer ran before those activities.
    expect(last?.extraTimers, `${id}: B's difference is in its history`).toBeGreaterThan(0);
  }
  const lateRuns = await runsOf(late);
  expect(lateRuns.map((run) => run.builds)).toEqual([[BUILD_B]]);
}, 600_000);

it('rolls back by making A current again: agreements started on B continue as new onto A and end there', async () => {
  expect(production.stack.buildId).toBe(BUILD_B);
  const ids = [0, 2, 5, 8].map((sent) => ({ id: `rollback-${suffix}-${sent}`, sent }));
  await Promise.all(
    ids.map(async ({ id, sent }) => {
      await production.agreements.start({ ...phdProgramme(Date.now()), id });
      await sendProgrammeCommands(production, id, 0, sent);
    }),
  );

  // A's workers are gone (A drained), so rolling back is rolling A's code out again under A's build id.
  const report = await production.stack.deploy(BUILD_A, { timing: { nudgeEveryMs: 2_000, drainTimeoutMs: 240_000 } });
  expect(report).toMatchObject({ from: BUILD_B, to: BUILD_A });
  expect(await describeBuild(production.temporal, BUILD_B)).toMatchObject({ drainage: 'drained' });

  await Promise.all(ids.map(({ id, sent }) => sendProgrammeCommands(production, id, sent, PROGRAMME_COMMANDS.length)));
  for (const { id } of ids) {
    await expectCompleteRecordsAndMail(production, id);
    const runs = await runsOf(id);
    expect(
      runs.every((run) => run.failedTasks === 0),
      `${id}: no workflow task failed`,
    ).toBe(true);
    expect(runs[0]?.builds, `${id}: started on B`).toEqual([BUILD_B]);
    expect(runs[0]?.extraTimers, `${id}: B's timer ran before its start's records`).toBeGreaterThan(0);
    expect(runs.at(-1)?.builds, `${id}: ended on A`).toEqual([BUILD_A]);
    expect(runs.at(-1)?.extraTimers, `${id}: A has no such timer`).toBe(0);
  }
}, 600_000);
