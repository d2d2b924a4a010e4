// `npm run bench -- --target cli`: how long a coordinator waits for the CLI, as whole processes, beside a bare Node
// start and the stock `temporal` CLI querying the same agreement. Prints one JSON line; the ratios are the targets.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { spawn } from 'node:child_process';
import { parse as parseYaml } from 'yaml';
import { startDevServer } from '../src/local/devserver/dev-server.ts';
import { locateTemporalCli } from '../src/local/devserver/temporal-cli.ts';
import { percentile } from './stats.ts';
import { freePort } from '../test/support/global-setup.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'bin/agreements.js');

/** Wall time of one whole process, from spawn to exit, in ms; a non-zero exit fails the benchmark. */
async function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  await run(command, args, { cwd: ROOT, env });
  return performance.now() - started;
}

interface Figures {
  p50_ms: number;
  p90_ms: number;
}

const figures = (samples: number[]): Figures => {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { p50_ms: round(percentile(sorted, 50)), p90_ms: round(percentile(sorted, 90)) };
};

export async function runCliBench(rounds: number): Promise<void> {
  const temporal = await locateTemporalCli();
  if (!temporal) throw new Error('the Temporal CLI is needed (npm run ensure-cli)');
  const home = await mkdtemp(join(tmpdir(), 'bench-cli-'));
  const server = await startDevServer({ port: await freePort(), uiPort: await freePort(), httpPort: await freePort() });
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: server.address,
    AGREEMENTS_HOME: home,
    LOG_LEVEL: 'warn',
    NO_COLOR: '1',
  };
  const worker = spawn(process.execPath, [join(ROOT, 'src/worker/main.ts')], { cwd: ROOT, env, stdio: 'ignore' });
  try {
    // One agreement to show, started with its ceremony a month ahead (the example's own date may have passed).
    const agreement = parseYaml(await readFile(join(ROOT, 'examples/nblsri-mou.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    const id = 'bench-cli-mou';
    const ceremony = { ...(agreement.ceremony as object), at: new Date(Date.now() + 30 * 86_400_000).toISOString() };
    const file = join(home, 'agreement.json');
    await writeFile(file, JSON.stringify({ ...agreement, id, ceremony }));
    await run(process.execPath, [CLI, 'start', file], { cwd: ROOT, env });
    // `show` as configured where the server's HTTP API is known (TEMPORAL_HTTP_ADDRESS), and without it (gRPC client).
    const viaHttp = { ...env, TEMPORAL_HTTP_ADDRESS: server.httpUrl };
    const commands: Record<string, [string, string[], NodeJS.ProcessEnv]> = {
      node: [process.execPath, ['-e', '0'], env],
      help: [process.execPath, [CLI, '--help'], env],
      show: [process.execPath, [CLI, 'show', id, '--json'], viaHttp],
      show_grpc: [process.execPath, [CLI, 'show', id, '--json'], env],
      temporal_query: [
        temporal,
        ['workflow', 'query', '--address', server.address, '--workflow-id', `agreement-${id}`, '--name', 'state'],
        env,
      ],
    };
    // Each command once first (the worker's first task, the OS's file cache), then the rounds, interleaved so that
    // a machine that drifts slows every command alike.
    for (const [command, args, commandEnv] of Object.values(commands)) await timed(command, args, commandEnv);
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
    for (let round = 0; round < rounds; round++)
      for (const [name, [command, args, commandEnv]] of Object.entries(commands))
        samples[name]?.push(await timed(command, args, commandEnv));
    const result = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, figures(values)]));
    const p50 = (name: string) => result[name]?.p50_ms ?? Number.NaN;
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    process.stdout.write(
      `${JSON.stringify({
        target: 'cli',
        rounds,
        node_version: process.version,
        ...Object.fromEntries(
          Object.entries(result).flatMap(([name, f]) => Object.entries(f).map(([k, v]) => [`${name}_${k}`, v])),
        ),
        help_vs_node: ratio(p50('help'), p50('node')),
        show_vs_temporal_query: ratio(p50('show'), p50('temporal_query')),
        show_grpc_vs_temporal_query: ratio(p50('show_grpc'), p50('temporal_query')),
        targets: { help_vs_node: 5, show_vs_temporal_query: 3 },
      })}\n`,
    );
  } finally {
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
    await server.stop();
    await rm(home, { recursive: true, force: true });
  }
}
