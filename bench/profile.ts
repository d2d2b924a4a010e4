// `npm run bench:profile -- --phase lifecycle|baseline [--workflows N] [--save FILE.cpuprofile]`: where the worker process's main thread spends
// its CPU in one phase of the benchmark, by who called it: each sample goes to the nearest frame outside Node's own
// code (a package such as nodemailer or kysely, or a file of ours), so a stream's internals count for the library
// that drives it. The workflow thread is not in it (`npm run bench:parts` replays histories for that). The profiler
// slows everything down: compare the two phases with each other, not with `npm run bench`.
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { baselineShapeOf, driveBaseline, driveLifecycle, startBenchStack } from './stack.ts';
import { runConcurrently } from './stats.ts';

const { values } = parseArgs({
  options: {
    phase: { type: 'string', default: 'lifecycle' },
    workflows: { type: 'string', default: '100' },
    save: { type: 'string' },
  },
});
const workflows = Number(values.workflows);
if ((values.phase !== 'lifecycle' && values.phase !== 'baseline') || !Number.isInteger(workflows) || workflows <= 0) {
  process.stderr.write('bench:profile: --phase must be lifecycle or baseline, --workflows a positive whole number\n');
  process.exit(2);
}
const CONCURRENCY = 20;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** Self time per owner, in ms. */
function byOwner(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }): Map<string, number> {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const ownerOf = (id: number): string => {
    const own = nodes.get(id)?.callFrame.functionName ?? '';
    if (own === '(garbage collector)' || own === '(program)' || own === '(idle)') return own;
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const url = nodes.get(at)?.callFrame.url ?? '';
      if (!url || url.startsWith('node:')) continue;
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
      if (pkg) return pkg;
      const ours = /\/((?:src|bench|test)\/.*)$/.exec(url)?.[1];
      return ours ?? url;
    }
    return '(node, unattributed)';
  };
  const totals = new Map<string, number>();
  (profile.samples ?? []).forEach((id, index) => {
    const owner = ownerOf(id);
    if (owner !== '(idle)') totals.set(owner, (totals.get(owner) ?? 0) + (profile.timeDeltas?.[index] ?? 0) / 1000);
  });
  return totals;
}

const stack = await startBenchStack({ mail: 'smtp' });
try {
  const warmId = `profile-warm-${stack.taskQueue}`;
  const updates = (await driveLifecycle(stack.client, warmId)).length;
  const shape = baselineShapeOf(updates, await stack.raw.workflow.getHandle(`agreement-${warmId}`).fetchHistory());
  const drive = (prefix: string) => (index: number) =>
    values.phase === 'lifecycle'
      ? driveLifecycle(stack.client, `${prefix}-${index}`)
      : driveBaseline(stack, `${prefix}-baseline-${index}`, shape);
  await runConcurrently(CONCURRENCY, CONCURRENCY, drive(`profile-warmup-${stack.taskQueue.slice(6)}`));

  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  await runConcurrently(workflows, CONCURRENCY, drive(`profile-${stack.taskQueue.slice(6)}`));
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  // The raw profile opens in Chrome DevTools (Performance tab) or any .cpuprofile viewer, function by function.
  if (values.save) await writeFile(values.save, JSON.stringify(profile));

  const owners = [...byOwner(profile as Parameters<typeof byOwner>[0])].sort((a, b) => b[1] - a[1]);
  const total = owners.reduce((sum, [, ms]) => sum + ms, 0);
  const perWorkflow = (ms: number) => Math.round((ms / workflows) * 100) / 100;
  process.stdout.write(
    `${JSON.stringify({ phase: values.phase, workflows, main_thread_ms_per_workflow: perWorkflow(total), by_owner: Object.fromEntries(owners.slice(0, 25).map(([owner, ms]) => [owner, perWorkflow(ms)])) })}\n`,
  );
} finally {
  await stack.close();
}
