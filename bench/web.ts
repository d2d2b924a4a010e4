// `npm run bench -- --target web`: a bounded loopback load on the pages mail links open (SPEC 16). The web server and a
// worker run as their own processes on a dev server; GETs of the empty route and of action pages at the same request
// rate, then every link's action POSTed twice. Prints one JSON line; the web server's RSS is read from /proc.
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { AgreementsClient } from '../src/client/agreements-client.ts';
import { keyringFromEnvironment } from '../src/keys/keyring.ts';
import { issueLinkToken } from '../src/links/link-token.ts';
import { startDevServer } from '../src/local/devserver/dev-server.ts';
import { loadConfig, LINK_KEY_VARIABLES } from '../src/shared/config.ts';
import { percentile } from './stats.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function started(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const look = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes(line)) resolve();
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before "${line}":\n${output.slice(-2000)}`)));
    setTimeout(() => reject(new Error(`no "${line}" within a minute:\n${output.slice(-2000)}`)), 60_000).unref();
  });
}

async function healthy(url: string, web: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (web.exitCode !== null) throw new Error(`the web server exited (${web.exitCode})`);
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the web server did not answer /healthz');
}

async function residentMb(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

interface Phase {
  p50_ms: number;
  p99_ms: number;
  requests: number;
  errors: number;
  achieved_per_s: number;
}

/** Open loop: `rate` requests a second, `total` in all, whatever the answers' speed; latency from send to last byte. */
async function openLoop(rate: number, total: number, request: (i: number) => Promise<Response>): Promise<Phase> {
  const latencies: number[] = [];
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const begin = performance.now();
  for (let i = 0; i < total; i++) {
    const due = begin + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    inFlight.push(
      request(i).then(
        async (response) => {
          await response.arrayBuffer();
          latencies.push(performance.now() - sent);
          if (response.status !== 200) errors++;
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - begin) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    p50_ms: round(percentile(sorted, 50)),
    p99_ms: round(percentile(sorted, 99)),
    requests: total,
    errors,
    achieved_per_s: round(total / elapsed),
  };
}

const say = (line: string) => process.stderr.write(`bench web: ${line}\n`);

export async function runWebBench(options: { agreements: number; rate: number; seconds: number }): Promise<void> {
  say('starting a dev server');
  const home = await mkdtemp(join(tmpdir(), 'bench-web-'));
  const server = await startDevServer({ port: await freePort(), uiPort: await freePort() });
  const webPort = await freePort();
  const publicUrl = `http://127.0.0.1:${webPort}`;
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: server.address,
    AGREEMENTS_HOME: home,
    [LINK_KEY_VARIABLES.keys]: `bench:${randomBytes(32).toString('base64')}`,
    WEB_PORT: String(webPort),
    WEB_PUBLIC_URL: publicUrl,
    WEB_RATE_LIMIT: '1000000',
    LOG_LEVEL: 'warn',
  };
  // The worker at info, for its "worker started"; the web server at warn: a log line per request would be measured.
  const worker = spawn(process.execPath, [join(ROOT, 'src/worker/main.ts')], {
    cwd: ROOT,
    env: { ...env, LOG_LEVEL: 'info' },
  });
  const web = spawn(process.execPath, [join(ROOT, 'src/web/main.ts')], { cwd: ROOT, env });
  say(`dev server at ${server.address}; starting a worker and the web server`);
  const config = loadConfig(env);
  const client = await AgreementsClient.connect(config);
  try {
    await started(worker, 'worker started');
    await healthy(`${publicUrl}/healthz`, web);
    say('worker and web server up');
    const keys = keyringFromEnvironment(env, LINK_KEY_VARIABLES);
    if (keys === undefined) throw new Error('no link keys');

    // Agreements waiting for their two approvers (the PhD programme's Legal Services and Research Finance).
    const example = parseYaml(await readFile(join(ROOT, 'examples/uob-jitri-phd-programme.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    const at = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const documents = Array.from({ length: options.agreements }, (_, i) => ({
      ...example,
      id: `bench-web-${i}`,
      ceremony: { ...(example.ceremony as object), at },
    }));
    await client.startAll({ agreements: documents });
    await Promise.all(documents.map((document) => client.command(document.id, 'submit', {})));
    say(`${documents.length} agreements in approval`);
    const approvers = example.approvals as { id: string; email: string; timezone?: string }[];
    const links = await Promise.all(
      documents.flatMap((document) =>
        approvers.map((approver) =>
          issueLinkToken(keys, {
            agreementId: document.id,
            recipient: {
              role: 'approver',
              id: approver.id,
              email: approver.email,
              timezone: approver.timezone ?? 'Europe/London',
            },
            notificationKey: `bench:${document.id}:${approver.id}`,
            now: Date.now(),
            ttlMs: 86_400_000,
          }),
        ),
      ),
    );

    say(`GET /healthz, each link's first open, then action pages, ${options.rate}/s for ${options.seconds} s each`);
    const requests = options.rate * options.seconds;
    const empty = await openLoop(options.rate, requests, () => fetch(`${publicUrl}/healthz`));
    // Each agreement's first open asks Temporal (a Query through the worker); the opens after it are served from the
    // web server's short-lived view cache, refreshed behind them. Both are reported.
    const firstOpen = await openLoop(options.rate, links.length, (i) => fetch(`${publicUrl}/a/${links[i]}`));
    const page = await openLoop(options.rate, requests, (i) => fetch(`${publicUrl}/a/${links[i % links.length]}`));
    const rssAfterGets = await residentMb(web.pid);

    // Every link's approval, twice: the second must apply nothing (its request id is the link id's and the action's).
    const post = (link: string | undefined) =>
      fetch(`${publicUrl}/a/${link}`, {
        method: 'POST',
        headers: { origin: publicUrl, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'action=approve',
      });
    say(`POST ${links.length} approvals, twice`);
    const postStarted = performance.now();
    const firsts = await Promise.all(links.map((link) => post(link).then(async (r) => (await r.text(), r.status))));
    const postSeconds = (performance.now() - postStarted) / 1000;
    const eventsAfterFirst = await Promise.all(
      documents.map(async (document) => (await client.show(document.id)).events),
    );
    const seconds = await Promise.all(links.map((link) => post(link).then(async (r) => (await r.text(), r.status))));
    const views = await Promise.all(documents.map((document) => client.show(document.id)));
    const secondsWrote = views.filter((view, i) => view.events !== eventsAfterFirst[i]).length;
    const approvals = views.flatMap((view) => view.approvals.filter((approval) => approval.approvedAt !== null));
    const signing = views.filter((view) => view.stage === 'signing').length;
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    process.stdout.write(
      `${JSON.stringify({
        target: 'web',
        agreements: options.agreements,
        links: links.length,
        rate_per_s: options.rate,
        seconds: options.seconds,
        empty_route: empty,
        page_first_open: firstOpen,
        page_get: page,
        page_vs_empty_p99: ratio(page.p99_ms, empty.p99_ms),
        posts: links.length * 2,
        post_errors: [...firsts, ...seconds].filter((status) => status !== 200).length,
        posts_per_s: Math.round((links.length / postSeconds) * 10) / 10,
        approvals_recorded: approvals.length,
        applied_once: approvals.length === links.length && signing === documents.length && secondsWrote === 0,
        web_rss_mb: rssAfterGets,
        web_rss_mb_after_posts: await residentMb(web.pid),
      })}\n`,
    );
  } finally {
    await client.close();
    await Promise.all(
      [web, worker].map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? undefined
          : new Promise((resolve) => {
              child.once('exit', resolve);
              child.kill('SIGTERM');
            }),
      ),
    );
    await server.stop();
    await rm(home, { recursive: true, force: true });
  }
}
