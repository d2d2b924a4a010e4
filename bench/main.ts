// `npm run bench -- --agreements N --concurrency C`: the full lifecycle against the naive implementation of the same
// agreement (spec §11), in one process on one dev server, or with `--target stack [--workers N]` on the production
// topology of spec §13 with N worker processes; `--target cli [--runs N]` times the CLI as whole processes instead
// (bench/cli.ts), and `--target web [--agreements N --rate R --seconds S]` loads the web pages (bench/web.ts). The
// last line is the JSON result.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { SendNotificationResult } from '../src/domain/effects.ts';
import type { AgreementActivities } from '../src/ports/activities.ts';
import { runCliBench } from './cli.ts';
import { runWebBench } from './web.ts';
import { baselineActivities, type BaselineShape } from './workflows/baseline.ts';
import { DEFAULT_OPENINGS_PER_SECOND, runScale } from './scale.ts';
import {
  baselineShapeOf,
  driveBaseline,
  driveLifecycle,
  historyShape,
  readableHistory,
  startBenchStack,
  startStackTarget,
  type BenchTarget,
} from './stack.ts';
import { measureCpu, percentile, runConcurrently, workersRssMb } from './stats.ts';
import { describeTuning, tuningFrom } from './tuning.ts';

/** parseArgs, with an unknown or malformed option said in one line (exit 2) instead of a stack trace. */
function parsedArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}

const { values } = parsedArgs({
  options: {
    agreements: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '4' },
    open: { type: 'string' },
    spread: { type: 'string', default: '180' },
    // Scale mode: agreements opened per second, which plans when the first reminders fall due (see scale.ts).
    'open-rate': { type: 'string', default: String(DEFAULT_OPENINGS_PER_SECOND) },
    // Where the lifecycle's mail goes: the SMTP sink on loopback (the contract), or .eml files (to see SMTP's share).
    mail: { type: 'string', default: 'smtp' },
    // `none` swaps the records and mail activities for ones that only take their inputs and answer: what the
    // lifecycle costs with all of Temporal's share (payloads included) and none of the real work, i.e. the best ratio
    // that making the activities cheaper could ever reach. `both` runs lifecycles of each kind in the same rounds, so
    // that what the records and mail cost is measured against the same baseline, on the same drifting machine.
    effects: { type: 'string', default: 'real' },
    // Worker options, to choose their values by measurement (docs/performance.md); unset ones keep the worker's.
    'workflow-slots': { type: 'string' },
    'activity-slots': { type: 'string' },
    'workflow-pollers': { type: 'string' },
    'activity-pollers': { type: 'string' },
    // `dev`: the dev server, the worker in this process. `stack`: the production topology, `--workers` processes.
    target: { type: 'string', default: 'dev' },
    workers: { type: 'string', default: '1' },
    // --target cli: how many times each command runs.
    runs: { type: 'string', default: '20' },
    // --target web: GET requests per second and for how long, in each of the two GET phases.
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
  },
});
if (values.target === 'cli') {
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write('bench: --runs must be a positive whole number\n');
    process.exit(2);
  }
  await runCliBench(runs);
  process.exit(0);
}
if (values.target === 'web') {
  const [webRate, webSeconds, webAgreements] = [Number(values.rate), Number(values.seconds), Number(values.agreements)];
  if (![webRate, webSeconds, webAgreements].every((n) => Number.isInteger(n) && n > 0)) {
    process.stderr.write('bench: --rate, --seconds and --agreements must be positive whole numbers\n');
    process.exit(2);
  }
  await runWebBench({ agreements: webAgreements, rate: webRate, seconds: webSeconds });
  process.exit(0);
}
const agreements = Number(values.agreements);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const open = values.open === undefined ? undefined : Number(values.open);
const spreadSeconds = Number(values.spread);
const openingsPerSecond = Number(values['open-rate']);
const positive = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n > 0);
if (values.mail !== 'smtp' && values.mail !== 'outbox') {
  process.stderr.write('bench: --mail must be smtp or outbox\n');
  process.exit(2);
}
if (values.effects !== 'real' && values.effects !== 'none' && values.effects !== 'both') {
  process.stderr.write('bench: --effects must be real, none or both\n');
  process.exit(2);
}
if (values.target !== 'dev' && values.target !== 'stack') {
  process.stderr.write('bench: --target must be dev, stack, cli or web\n');
  process.exit(2);
}
const onStack = values.target === 'stack';
const workerCount = Number(values.workers);
if (!Number.isInteger(workerCount) || workerCount < 1 || (!onStack && workerCount !== 1)) {
  process.stderr.write('bench: --workers must be a positive whole number, and more than 1 only with --target stack\n');
  process.exit(2);
}
if (onStack && (values.effects !== 'real' || values.mail !== 'smtp')) {
  process.stderr.write('bench: --target stack runs with --effects real and --mail smtp only\n');
  process.exit(2);
}
const effectsOff = values.effects === 'none';
const effectsBoth = values.effects === 'both';
/** In agreement ids, marks the lifecycles whose records and mail do nothing (`--effects both`). */
const WITHOUT_EFFECTS = 'noeffects';
if (![agreements, concurrency, rounds, open, spreadSeconds, openingsPerSecond].every(positive)) {
  process.stderr.write(
    'bench: --agreements, --concurrency, --rounds, --open, --spread and --open-rate must be positive whole numbers\n',
  );
  process.exit(2);
}
if (rounds > agreements) {
  process.stderr.write(
    'bench: --rounds cannot exceed --agreements (each round runs at least one workflow of each side)\n',
  );
  process.exit(2);
}
// Scale mode keeps every open agreement cached: the point is to measure what that costs.
const maxCachedWorkflows = open ?? 1000;
const tuning = (() => {
  try {
    return tuningFrom(values, maxCachedWorkflows);
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
})();
const sentWithoutEffects = (key: string): SendNotificationResult => ({
  key,
  status: 'sent',
  messageId: `<${key}@bench>`,
});

/** The lifecycle's activities with their inputs taken and answered as usual, and nothing recorded or sent. */
function withoutEffects(): AgreementActivities {
  return {
    recordEvents: async () => undefined,
    sendNotification: async ({ notification }) => sentWithoutEffects(notification.key),
    sendNotifications: async (inputs) => inputs.map(({ notification }) => sentWithoutEffects(notification.key)),
    deliverEffects: async ({ mail }) => mail.map(({ notification }) => sentWithoutEffects(notification.key)),
  };
}
/** The real activities, except for agreements whose id carries WITHOUT_EFFECTS. */
function effectsByAgreement(real: AgreementActivities): AgreementActivities {
  const none = withoutEffects();
  const off = (agreementId: string) => agreementId.includes(WITHOUT_EFFECTS);
  return {
    recordEvents: (input) => (off(input.agreementId) ? none : real).recordEvents(input),
    sendNotification: (input) => (off(input.agreementId) ? none : real).sendNotification(input),
    // A batch holds the mail of one agreement.
    sendNotifications: (inputs) => (off(inputs[0]?.agreementId ?? '') ? none : real).sendNotifications(inputs),
    deliverEffects: (input) => (off(input.records.agreementId) ? none : real).deliverEffects(input),
  };
}
const log = (line: string) => process.stderr.write(`${line}\n`);

const stack: BenchTarget = onStack
  ? await startStackTarget({ workers: workerCount, tuning })
  : await startBenchStack({
      mail: values.mail,
      tuning,
      ...(effectsOff ? { activities: withoutEffects } : effectsBoth ? { activities: effectsByAgreement } : {}),
    });
const { client, raw, taskQueue, records } = stack;
// A worker that stops by itself (a fatal error) ends the benchmark with its reason, not a hang or a misleading result.
stack.running.catch((error: unknown) => {
  log(`the worker stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});

/** The average history of a sample of workflows: events in all, and per event type. */
async function averageHistory(workflowIds: string[]): Promise<{ events: number; byType: Record<string, number> }> {
  const shapes = await Promise.all(workflowIds.map((workflowId) => historyShape(raw, workflowId)));
  const byType: Record<string, number> = {};
  for (const shape of shapes)
    for (const [type, count] of shape) byType[type] = (byType[type] ?? 0) + count / shapes.length;
  const events = Object.values(byType).reduce((a, b) => a + b, 0);
  return { events, byType: Object.fromEntries(Object.entries(byType).map(([type, count]) => [type, round(count)])) };
}

interface PhaseResult {
  workflows: number;
  seconds: number;
  latencies: number[];
  workflowIds: string[];
  workerMs: number;
  serverMs: number | undefined;
}

/** Runs workflows `from` ≤ i < `to` of one side, C at a time, measuring wall time and CPU. */
async function phase(
  name: string,
  from: number,
  to: number,
  run: (index: number) => Promise<{ workflowId: string; latencies: number[] }>,
): Promise<PhaseResult> {
  log(`${name}: workflows ${from}..${to - 1}, concurrency ${concurrency}`);
  const started = performance.now();
  const {
    result: results,
    workerMs,
    serverMs,
  } = await measureCpu(stack.serverPid, stack.workerPids, () =>
    runConcurrently(to - from, concurrency, (i) => run(from + i)),
  );
  return {
    workflows: to - from,
    seconds: (performance.now() - started) / 1000,
    latencies: results.flatMap((r) => r.latencies),
    workflowIds: results.map((r) => r.workflowId),
    workerMs,
    serverMs,
  };
}

const rateOf = (p: PhaseResult) => p.workflows / p.seconds;

/** One side's phases taken together: throughput over all of them, latencies pooled, history from a sample. */
async function combine(phases: PhaseResult[]) {
  const workflows = phases.reduce((sum, p) => sum + p.workflows, 0);
  const seconds = phases.reduce((sum, p) => sum + p.seconds, 0);
  const latencies = phases.flatMap((p) => p.latencies).sort((a, b) => a - b);
  const history = await averageHistory(phases.flatMap((p) => p.workflowIds).slice(0, 20));
  const serverMs = phases.every((p) => p.serverMs !== undefined)
    ? phases.reduce((sum, p) => sum + (p.serverMs ?? 0), 0)
    : undefined;
  const cpu = {
    worker: phases.reduce((sum, p) => sum + p.workerMs, 0) / workflows,
    server: serverMs === undefined ? undefined : serverMs / workflows,
  };
  return { perSecond: workflows / seconds, latencies, events: history.events, history: history.byType, cpu };
}

try {
  if (open !== undefined) {
    const result = await runScale({
      client,
      records,
      open,
      spreadSeconds,
      openingsPerSecond,
      maxCachedWorkflows,
      log,
    });
    process.stdout.write(`${JSON.stringify({ ...result, tuning: describeTuning(tuning) })}\n`);
  } else {
    await compare();
  }
} finally {
  await stack.close();
}

async function compare(): Promise<void> {
  const runBase = (shape: BaselineShape, from: number, to: number) =>
    phase('baseline', from, to, async (i) => {
      const workflowId = `bench-baseline-${taskQueue}-${i}`;
      return { workflowId, latencies: await driveBaseline(stack, workflowId, shape) };
    });
  const runLifecycles = (name: string, prefix: string) => (from: number, to: number) =>
    phase(name, from, to, async (i) => {
      const id = `${prefix}${taskQueue.slice(6)}-${i}`;
      return { workflowId: `agreement-${id}`, latencies: await driveLifecycle(client, id) };
    });
  const runLife = runLifecycles('lifecycle', 'bench-');
  const runLifeWithoutEffects = runLifecycles('lifecycle without effects', `bench-${WITHOUT_EFFECTS}-`);
  // Warm-up: a round of lifecycles at the benchmark's concurrency; the first gives the mail the naive baseline sends.
  log(`warm-up: ${concurrency} of each`);
  const warmIds = Array.from({ length: concurrency }, (_, i) => `bench-warmup-${taskQueue.slice(6)}-${i}`);
  const updates = await runConcurrently(
    concurrency,
    concurrency,
    async (i) => (await driveLifecycle(client, warmIds[i] ?? '')).length,
  );
  const firstWarm = await readableHistory(stack, `agreement-${warmIds[0] ?? ''}`);
  const shape = baselineShapeOf(Math.max(...updates), firstWarm);
  log(`naive baseline of the same agreement: ${JSON.stringify(shape)}`);
  // Warm the baseline the same way, so neither side pays for the JIT's first passes over its code.
  await runConcurrently(concurrency, concurrency, (i) =>
    driveBaseline(stack, `bench-baseline-warmup-${taskQueue}-${i}`, shape),
  );
  if (effectsBoth)
    await runConcurrently(concurrency, concurrency, (i) =>
      driveLifecycle(client, `bench-warmup-${WITHOUT_EFFECTS}-${taskQueue.slice(6)}-${i}`),
    );
  // The N workflows of each side run in rounds, each round starting with the next side (B L, L B, … or with
  // `--effects both` B L N, L N B, N B L, …): this VM's speed drifts by 10–20 % over a minute, and one long phase per
  // side would charge all of a drift to one of them.
  const sides = [
    { name: 'baseline', run: (from: number, to: number) => runBase(shape, from, to), phases: [] as PhaseResult[] },
    { name: 'lifecycle', run: runLife, phases: [] as PhaseResult[] },
    ...(effectsBoth
      ? [{ name: 'lifecycle without effects', run: runLifeWithoutEffects, phases: [] as PhaseResult[] }]
      : []),
  ];
  const [baseSide, lifeSide, noneSide] = sides;
  if (!baseSide || !lifeSide) throw new Error('the benchmark needs a baseline and a lifecycle side');
  for (let r = 0; r < rounds; r++) {
    const from = Math.floor((agreements * r) / rounds);
    const to = Math.floor((agreements * (r + 1)) / rounds);
    for (const side of [...sides.slice(r % sides.length), ...sides.slice(0, r % sides.length)]) {
      side.phases.push(await side.run(from, to));
    }
  }
  const roundRatios = (side: (typeof sides)[number]) =>
    side.phases.map((p, r) => round(rateOf(p) / rateOf(baseSide.phases[r] ?? p))).join(' ');
  log(`ratio per round: ${roundRatios(lifeSide)}`);
  if (noneSide) log(`ratio per round without effects: ${roundRatios(noneSide)}`);
  const base = await combine(baseSide.phases);
  const life = await combine(lifeSide.phases);
  const none = noneSide ? await combine(noneSide.phases) : undefined;
  const cpuOf = (side: Awaited<ReturnType<typeof combine>>) => side.cpu.worker + (side.cpu.server ?? Number.NaN);
  const result = {
    agreements,
    concurrency,
    lifecycle_per_s: round(life.perSecond),
    baseline_per_s: round(base.perSecond),
    ratio: round(life.perSecond / base.perSecond),
    rounds,
    update_p50_ms: round(percentile(life.latencies, 50)),
    update_p95_ms: round(percentile(life.latencies, 95)),
    update_p99_ms: round(percentile(life.latencies, 99)),
    baseline_update_p50_ms: round(percentile(base.latencies, 50)),
    baseline_update_p99_ms: round(percentile(base.latencies, 99)),
    update_p99_ratio: round(percentile(life.latencies, 99) / percentile(base.latencies, 99)),
    events_per_agreement: round(life.events),
    baseline_events_per_agreement: round(base.events),
    events_ratio: round(life.events / base.events),
    activities_per_agreement: round(life.history.ACTIVITY_TASK_SCHEDULED ?? 0),
    baseline_activities_per_agreement: baselineActivities(shape),
    mail: values.mail,
    effects: values.effects,
    emails_sent: effectsOff ? 0 : values.mail === 'smtp' ? stack.sink.received() : (await records.sentMail()).length,
    // Where the time goes: CPU ms per workflow in the worker processes (all threads) and in the Temporal server.
    cpu_ms_per_agreement: { worker: round(life.cpu.worker), server: round(life.cpu.server ?? Number.NaN) },
    baseline_cpu_ms_per_workflow: { worker: round(base.cpu.worker), server: round(base.cpu.server ?? Number.NaN) },
    worker_rss_mb: round(workersRssMb(stack.workerPids)),
    target: values.target,
    workers: workerCount,
    tuning: describeTuning(tuning),
    ...(none
      ? {
          ratio_without_effects: round(none.perSecond / base.perSecond),
          cpu_ms_per_agreement_without_effects: {
            worker: round(none.cpu.worker),
            server: round(none.cpu.server ?? Number.NaN),
          },
          // What the records and mail cost, in baseline workflows (CPU, worker and server): the ratio can reach at most
          // 1 / (1 + this) even if the lifecycle's workflow cost nothing beyond the baseline.
          effects_cost_in_baselines: round((cpuOf(life) - cpuOf(none)) / cpuOf(base)),
        }
      : {}),
  };
  log(`history per agreement: ${JSON.stringify(life.history)}`);
  log(`history per baseline workflow: ${JSON.stringify(base.history)}`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
