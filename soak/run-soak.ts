import { randomBytes, randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import type { RecordsStore } from '../src/ports/records-store.ts';
import { AgreementsClient } from '../src/client/agreements-client.ts';
import { startDevServer, type DevServer } from '../src/local/devserver/dev-server.ts';
import { openRecordsStore } from '../src/records/index.ts';
import { RetryingCommands } from './commands.ts';
import { driveAgreement, scheduleWith, soakAgreement, type DriveOutcome, type Schedule } from './scenario.ts';
import { startSmtpSink, type SmtpSink } from '../test/mail/support/smtp-sink.ts';
import { auditAgreement, type AgreementFindings } from './verify.ts';
import { WorkerProcess } from './worker-process.ts';
import { recordingWindow, type RecordingWindow } from './recording-window.ts';
import { freePort } from '../test/support/global-setup.ts';

export type KillMode = 'random' | 'after-delivery';

export interface SoakOptions {
  agreements: number;
  kills: number;
  /** The whole run stops by itself after this long, whatever state it is in. */
  timeoutMs: number;
  /**
   * `random`: SIGKILL at random moments. `after-delivery`: at each random moment, SIGKILL right after the SMTP sink
   * has acknowledged the next message, i.e. between the worker's send and its sent-mail record.
   */
  killMode: KillMode;
  /** Keep the temp AGREEMENTS_HOME (records.db, worker logs) even when the run passes. */
  keep: boolean;
  /** Let the SMTP sink break lines at random protocol points (a share of them, see SMTP_FAULT_RATE). */
  smtpFaults?: boolean;
}

/** With --smtp-faults, the chance that the sink breaks a line at each protocol point of a session. */
export const SMTP_FAULT_RATE = 0.05;

/** The final JSON line, with extra figures after `seconds`. */
export interface SoakReport {
  agreements: number;
  completed: number;
  worker_kills: number;
  emails_sent: number;
  duplicate_emails: number;
  /** Same-Message-ID copies the sent-mail log owns to (the server's answer was lost); not duplicates. */
  uncertain_resends: number;
  /** Those owned resends as a share of the mails the sink received (uncertain_resends / emails_sent). */
  owned_resend_share: number;
  /** How long a mail stayed accepted by the server but not yet logged sent (ms, from the workers' logs). */
  accepted_to_recorded_ms: RecordingWindow;
  /** Lines the sink broke on purpose (--smtp-faults), in all. */
  smtp_line_breaks: number;
  missing_emails: number;
  audit_gaps: number;
  audit_duplicates: number;
  seconds: number;
  kill_mode: KillMode;
  /** Distinct notification keys that had to arrive (the figure missing_emails is counted against). */
  expected_emails: number;
  commands_applied_twice: number;
  commands_lost: number;
  unexpected_emails: number;
  command_retries: number;
  worker_crashes: number;
  timed_out: boolean;
}

export function soakPassed(report: SoakReport): boolean {
  return (
    report.completed === report.agreements &&
    report.duplicate_emails === 0 &&
    report.missing_emails === 0 &&
    report.audit_gaps === 0 &&
    report.audit_duplicates === 0 &&
    report.commands_applied_twice === 0 &&
    report.commands_lost === 0 &&
    report.worker_crashes === 0 &&
    !report.timed_out
  );
}

interface Kill {
  at: number;
  pid: number;
  upMs: number;
}

/**
 * The reliability soak: a real dev server, a real SMTP sink, SQLite records and the worker in its own
 * process, killed with SIGKILL `kills` times while `agreements` agreements go through their whole lifecycle; then
 * every figure is counted from the sink and the records store.
 */
export async function runSoak(options: SoakOptions, print: (line: string) => void): Promise<SoakReport> {
  const begun = Date.now();
  const home = await mkdtemp(join(tmpdir(), 'agreements-soak-'));
  // Progress goes to stdout and, with wall-clock times, to soak.log next to the records (kept when the run fails).
  const journal = createWriteStream(join(home, 'soak.log'));
  const log = (line: string) => {
    const now = Date.now();
    print(`[soak +${((now - begun) / 1000).toFixed(1)}s] ${line}`);
    journal.write(`${new Date(now).toISOString()} ${line}\n`);
  };
  const timeout = new AbortController();
  // Every bounded wait of every driver listens to this signal.
  setMaxListeners(0, timeout.signal);
  const timer = setTimeout(() => timeout.abort(), options.timeoutMs);
  let server: DevServer | undefined;
  let sink: SmtpSink | undefined;
  let connection: Connection | undefined;
  let worker: WorkerProcess | undefined;
  let records: RecordsStore | undefined;
  let passed = false;
  try {
    log(
      `${options.agreements} agreements, ${options.kills} worker kills (${options.killMode})` +
        `${options.smtpFaults ? ', SMTP lines broken at random' : ''}; state in ${home}`,
    );
    server = await startDevServer({ port: await freePort(), uiPort: await freePort(), onProgress: log });
    sink = await startSmtpSink({ faultRate: options.smtpFaults ? SMTP_FAULT_RATE : 0 });
    connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, namespace: 'default' });
    const taskQueue = `soak-${randomUUID()}`;
    const agreements = AgreementsClient.fromClient(client, taskQueue);
    worker = new WorkerProcess({
      client,
      namespace: 'default',
      taskQueue,
      env: {
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: taskQueue,
        AGREEMENTS_HOME: home,
        SMTP_URL: sink.url,
        // Info: each `mail sent` line carries how long it took to record it (accepted_to_recorded_ms).
        LOG_LEVEL: 'info',
      },
      logDir: home,
      log,
    });
    const first = worker.start();
    if (!(await worker.waitUntilReady(120_000, timeout.signal))) {
      throw new Error(`the worker did not start polling ${taskQueue}:\n${await worker.logTail()}`);
    }
    const startupMs = Date.now() - first.startedAt;
    log(`worker 1 (pid ${first.pid}) polling after ${(startupMs / 1000).toFixed(1)}s; SMTP sink at ${sink.url}`);
    // Each kill costs a restart (as long as this first start) plus the sticky queue's timeout; the dates allow for it.
    const schedule = scheduleWith(options.kills * (startupMs + 5000));
    log(
      `schedule after each agreement starts: ceremony ${schedule.ceremony / 1000}s, launch ${(schedule.launch / 1000).toFixed(0)}s, end of term ${(schedule.termEnd / 1000).toFixed(0)}s`,
    );

    const commands = new RetryingCommands(agreements, timeout.signal, log);
    const context = { agreements, commands, sink, log };
    const run = randomBytes(3).toString('hex');
    const ids = Array.from({ length: options.agreements }, (_, i) => `soak-${run}-${String(i + 1).padStart(3, '0')}`);
    const documents = new Map<string, Record<string, unknown>>();
    const stagger = 3000;
    const driveStart = Date.now();
    let finished = 0;
    const drivers = ids.map(async (id, index): Promise<DriveOutcome> => {
      await sleep((index * stagger) / Math.max(1, ids.length));
      const createdAt = Date.now();
      const document = soakAgreement(id, createdAt, schedule);
      documents.set(id, document);
      const outcome = await driveAgreement(context, id, createdAt, document, schedule);
      finished++;
      const how = outcome.final
        ? `${outcome.final.stage} after ${outcome.final.events} events`
        : `FAILED: ${outcome.error ?? '?'}`;
      log(`${id} ${how} in ${((Date.now() - createdAt) / 1000).toFixed(1)}s (${finished}/${ids.length})`);
      return outcome;
    });
    let driving = true;
    const done = Promise.all(drivers).finally(() => {
      driving = false;
    });
    const kills: Kill[] = [];
    const killer = killLoop({
      worker,
      sink,
      options,
      kills,
      log,
      isDriving: () => driving,
      signal: timeout.signal,
      driveStart,
      schedule,
    });
    const status = statusLoop({ commands, ids, sink, worker, log, isDriving: () => driving });
    const outcomes = await done;
    await Promise.all([killer, status]);
    const timedOut = timeout.signal.aborted;
    if (timedOut) log(`the overall timeout of ${options.timeoutMs / 1000}s ran out`);

    // Nothing is in flight once every workflow has returned (it waits for its outbox); stop the worker cleanly.
    await sleep(1000);
    await worker.stop();
    log(`worker stopped; counting from the SMTP sink and the records store`);

    records = await openRecordsStore({ home });
    const register = new Map((await records.register()).map((row) => [row.id, row.stage]));
    const mails = await sink.mails();
    // The evidence, kept with the records: every message the sink accepted, in arrival order.
    await writeFile(
      join(home, 'sink.jsonl'),
      mails.map((mail) => JSON.stringify({ ...mail, receivedAt: new Date(mail.receivedAt).toISOString() })).join('\n') +
        '\n',
    );
    const findings: AgreementFindings[] = [];
    for (const outcome of outcomes) {
      const document = documents.get(outcome.id);
      if (!document) continue;
      findings.push(
        await auditAgreement({
          agreements,
          records,
          document,
          outcome,
          mails: mails.filter((mail) => mail.agreementId === outcome.id),
          registerStage: register.get(outcome.id),
        }),
      );
    }
    const lineBreaks = sink.brokenLines();
    const window = await recordingWindow(home);
    const report = summarise({
      window,
      options,
      findings,
      mails: mails.length,
      kills,
      commands,
      worker,
      timedOut,
      begun,
      lineBreaks,
    });
    explain({ report, findings, outcomes, kills, log });
    passed = soakPassed(report);
    if (!passed) log(`kept the run's state for inspection: ${home} (soak.log, records.db, sink.jsonl, worker-<n>.log)`);
    return report;
  } finally {
    clearTimeout(timer);
    await worker?.stop().catch(() => undefined);
    await records?.close().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await sink?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await new Promise((resolve) => journal.end(resolve));
    if (passed && !options.keep) await rm(home, { recursive: true, force: true });
  }
}

/**
 * SIGKILLs the worker `kills` times and restarts it each time: one kill at a random moment in each of K equal slots
 * of the agreements' lifecycle up to nine tenths of their term (a kill drawn for the last moments would find them
 * finished, and the run would count fewer kills than asked), but never before the (re)started worker has been polling
 * for 1.5 s (a worker still bundling its workflows has nothing in flight to lose).
 */
async function killLoop(input: {
  worker: WorkerProcess;
  sink: SmtpSink;
  options: SoakOptions;
  kills: Kill[];
  log: (line: string) => void;
  isDriving: () => boolean;
  signal: AbortSignal;
  driveStart: number;
  schedule: Schedule;
}): Promise<void> {
  const { worker, sink, options, kills, log, isDriving, signal } = input;
  const slot = (input.schedule.termEnd * 0.9) / Math.max(1, options.kills);
  const active = () => isDriving() && !signal.aborted;
  for (let n = 1; n <= options.kills; n++) {
    const target = input.driveStart + slot * (n - 1 + Math.random());
    while (active() && worker.incarnation?.readyAt === undefined) await sleep(250);
    const readyAt = worker.incarnation?.readyAt ?? Date.now();
    const moment = Math.max(target, readyAt + 1500 + Math.random() * 2500);
    while (active() && Date.now() < moment) await sleep(Math.min(250, moment - Date.now()));
    if (!active()) {
      log(`every agreement finished before kill ${n} of ${options.kills}: no more kills`);
      return;
    }
    const killed =
      options.killMode === 'after-delivery' ? await killAfterDelivery(worker, sink, isDriving) : await worker.kill();
    if (!killed) continue;
    const at = killed.killedAt ?? Date.now();
    kills.push({ at, pid: killed.pid, upMs: at - (killed.readyAt ?? killed.startedAt) });
    const lastMail = sink.lastReceivedAt();
    const sinceMail = lastMail === undefined ? 'no mail yet' : `the last ${at - lastMail} ms before`;
    log(
      `KILL ${n}/${options.kills}: SIGKILL worker ${killed.number} (pid ${killed.pid}) after ${((at - killed.startedAt) / 1000).toFixed(1)}s up; ` +
        `sink had ${sink.received()} mails, ${sinceMail}`,
    );
    await killed.exited;
    await sleep(500 + Math.random() * 1500);
    if (signal.aborted) return;
    if (worker.running) continue;
    const next = worker.start();
    if (await worker.waitUntilReady(120_000, signal)) {
      log(`worker ${next.number} (pid ${next.pid}) polling again after ${((Date.now() - at) / 1000).toFixed(1)}s down`);
    } else {
      log(`worker ${next.number} did not start polling:\n${await worker.logTail()}`);
    }
  }
}

/** Arms the sink: the next message it acknowledges triggers the SIGKILL (falls back to a plain kill after 20 s). */
async function killAfterDelivery(worker: WorkerProcess, sink: SmtpSink, isDriving: () => boolean) {
  let killed: ReturnType<WorkerProcess['killNow']>;
  let fired = false;
  const cancel = sink.afterNextDelivery(() => {
    fired = true;
    killed = worker.killNow();
  });
  const deadline = Date.now() + 20_000;
  while (!fired && Date.now() < deadline && isDriving()) await sleep(50);
  cancel();
  return fired ? killed : worker.kill();
}

/** A progress line every 10 s: stages, mails, kills. */
async function statusLoop(input: {
  commands: RetryingCommands;
  ids: string[];
  sink: SmtpSink;
  worker: WorkerProcess;
  log: (line: string) => void;
  isDriving: () => boolean;
}): Promise<void> {
  let next = Date.now() + 10_000;
  while (input.isDriving()) {
    await sleep(250);
    if (Date.now() < next || !input.isDriving()) continue;
    next = Date.now() + 10_000;
    const stages = new Map<string, number>();
    await Promise.all(
      input.ids.map(async (id) => {
        const stage = (await input.commands.stage(id).catch(() => undefined))?.stage ?? 'not started';
        stages.set(stage, (stages.get(stage) ?? 0) + 1);
      }),
    );
    const summary = [...stages].map(([stage, count]) => `${stage} ${count}`).join(', ');
    const retries = input.commands.counters.retries;
    input.log(
      `stages: ${summary}; mails ${input.sink.received()}; kills ${input.worker.killCount}; command retries ${retries}`,
    );
  }
}

function summarise(input: {
  options: SoakOptions;
  findings: AgreementFindings[];
  mails: number;
  kills: Kill[];
  commands: RetryingCommands;
  worker: WorkerProcess;
  timedOut: boolean;
  begun: number;
  lineBreaks: number;
  window: RecordingWindow;
}): SoakReport {
  const { findings } = input;
  const sum = (of: (finding: AgreementFindings) => number) =>
    findings.reduce((total, finding) => total + of(finding), 0);
  return {
    agreements: input.options.agreements,
    completed: findings.filter((finding) => finding.registerStage === 'completed').length,
    worker_kills: input.kills.length,
    emails_sent: input.mails,
    duplicate_emails: sum((f) => f.duplicates.reduce((total, d) => total + d.count - 1, 0)),
    missing_emails: sum((f) => f.missing.length),
    audit_gaps: sum((f) => f.auditGaps.length),
    audit_duplicates: sum((f) => f.auditDuplicates.length),
    seconds: Math.round((Date.now() - input.begun) / 100) / 10,
    kill_mode: input.options.killMode,
    uncertain_resends: sum((f) => f.uncertainResends),
    owned_resend_share:
      input.mails === 0 ? 0 : Math.round((sum((f) => f.uncertainResends) / input.mails) * 10_000) / 10_000,
    accepted_to_recorded_ms: input.window,
    smtp_line_breaks: input.lineBreaks,
    expected_emails: sum((f) => f.expectedKeys),
    commands_applied_twice: sum((f) => f.appliedTwice.length),
    commands_lost: sum((f) => f.lost.length),
    unexpected_emails: sum((f) => f.unexpected.length),
    command_retries: input.commands.counters.retries,
    worker_crashes: input.worker.crashes.length,
    timed_out: input.timedOut,
  };
}

/** Progress lines that say what went wrong, with the evidence (times of kills and of each copy of a duplicate). */
function explain(input: {
  report: SoakReport;
  findings: AgreementFindings[];
  outcomes: DriveOutcome[];
  kills: Kill[];
  log: (line: string) => void;
}): void {
  const { findings, outcomes, kills, log } = input;
  const iso = (ms: number) => new Date(ms).toISOString().slice(11, 23);
  const kinds: Record<string, number> = {};
  for (const finding of findings)
    for (const [kind, count] of Object.entries(finding.kinds)) kinds[kind] = (kinds[kind] ?? 0) + count;
  log(
    `mail by kind: ${Object.entries(kinds)
      .sort()
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ')}`,
  );
  const byHand = outcomes.filter((o) => o.launchedByHand || o.completedByHand).map((o) => o.id);
  if (byHand.length) log(`launched or completed by hand (the automatic moment was missed): ${byHand.join(', ')}`);
  if (kills.length) log(`kills at ${kills.map((kill) => `${iso(kill.at)} (pid ${kill.pid})`).join(', ')}`);
  for (const outcome of outcomes) if (outcome.error) log(`${outcome.id}: driver error: ${outcome.error}`);
  for (const finding of findings) {
    const problems: string[] = [];
    if (finding.registerStage !== 'completed') problems.push(`register stage ${finding.registerStage ?? 'missing'}`);
    if (finding.auditGaps.length) problems.push(`audit gaps at ${finding.auditGaps.join(', ')}`);
    if (finding.auditDuplicates.length) problems.push(`audit duplicates at ${finding.auditDuplicates.join(', ')}`);
    if (finding.workflowEvents !== undefined && finding.workflowEvents !== finding.auditRows) {
      problems.push(`${finding.auditRows} audit rows for ${finding.workflowEvents} workflow events`);
    }
    for (const duplicate of finding.duplicates) {
      const [firstAt = 0, lastAt = 0] = [duplicate.receivedAt[0], duplicate.receivedAt.at(-1)];
      const between = kills
        .filter((kill) => kill.at >= firstAt - 50 && kill.at <= lastAt)
        .map((kill) => `${iso(kill.at)} pid ${kill.pid}`);
      problems.push(
        `DUPLICATE ${duplicate.key} ×${duplicate.count} received at ${duplicate.receivedAt.map(iso).join(', ')}` +
          (between.length ? ` — worker killed at ${between.join(', ')} in between` : ''),
      );
    }
    if (finding.missing.length) problems.push(`missing ${finding.missing.join(', ')}`);
    if (finding.unexpected.length) problems.push(`unexpected ${finding.unexpected.join(', ')}`);
    if (finding.appliedTwice.length) problems.push(`applied twice: ${finding.appliedTwice.join('; ')}`);
    if (finding.lost.length) problems.push(`lost: ${finding.lost.join('; ')}`);
    if (problems.length) log(`${finding.id}: ${problems.join(' | ')}`);
  }
}
