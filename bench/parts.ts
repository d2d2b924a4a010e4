// `npm run bench:parts`: where a lifecycle's CPU goes, part by part, without the noise of a saturated machine. It runs
// one lifecycle and one baseline workflow on a dev server, then measures in this process alone: replaying each
// history many times (the workflow side: our code plus the SDK's, without the server), and the mail path for that lifecycle's 22 notifications
// (render, compose, SMTP to a loopback sink, the sent-mail log). The last line is JSON, in ms of CPU per lifecycle.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { SendNotificationInput } from '../src/activities/types.ts';
import { AgreementsClient } from '../src/client/agreements-client.ts';
import { startDevServer } from '../src/devserver/dev-server.ts';
import { toNodemailerMessage } from '../src/mail/nodemailer-message.ts';
import { renderNotification } from '../src/mail/render.ts';
import { smtpTransport } from '../src/mail/smtp-transport.ts';
import { loadConfig } from '../src/shared/config.ts';
import { createLogger } from '../src/shared/logger.ts';
import { bundleAgreementWorkflows, createAgreementWorker } from '../src/worker/create-worker.ts';
import { openWorkerDependencies } from '../src/worker/dependencies.ts';
import { routeSdkLogsTo } from '../src/worker/runtime-logging.ts';
import { baselineStep, type BaselineShape } from '../src/workflows/baseline.ts';
import { startSmtpSink } from '../test/mail/support/smtp-sink.ts';
import { phdProgramme } from '../test/support/agreements.ts';
import { freePort } from '../test/support/global-setup.ts';

const ROUNDS = 50;
const REPLAYS = 100;
const log = (line: string) => process.stderr.write(`${line}\n`);

/** CPU ms per round of `run`, after a few unmeasured rounds. */
async function cpuPerRound(run: (round: number) => Promise<unknown> | unknown): Promise<number> {
  for (let round = 0; round < 10; round++) await run(-1 - round);
  const before = process.cpuUsage();
  for (let round = 0; round < ROUNDS; round++) await run(round);
  const used = process.cpuUsage(before);
  return Math.round(((used.user + used.system) / 1000 / ROUNDS) * 100) / 100;
}

const server = await startDevServer({ port: await freePort(), uiPort: await freePort() });
const sink = await startSmtpSink();
const home = await mkdtemp(join(tmpdir(), 'agreements-parts-'));
const taskQueue = `parts-${randomBytes(4).toString('hex')}`;
const config = loadConfig({ TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue, AGREEMENTS_HOME: home, SMTP_URL: sink.url, LOG_LEVEL: 'error' });
const logger = createLogger({ level: 'error' });
routeSdkLogsTo(logger);
const dependencies = await openWorkerDependencies(config, logger);
const nativeConnection = await NativeConnection.connect({ address: server.address });
const bundle = await bundleAgreementWorkflows({ trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} });
const notifications: SendNotificationInput[] = [];
// The baseline's no-op activity beside the real ones; every notification is kept to replay the mail path later.
const activities = {
  ...dependencies.activities,
  noop: async () => undefined,
  sendNotification: (input: SendNotificationInput) => {
    notifications.push(input);
    return dependencies.activities.sendNotification(input);
  },
};
const worker = await createAgreementWorker({ connection: nativeConnection, namespace: 'default', taskQueue, workflowBundle: bundle, activities });
const running = worker.run();
const connection = await Connection.connect({ address: server.address });
const raw = new Client({ connection });
const client = AgreementsClient.fromClient(raw, taskQueue);

try {
  log('recording one lifecycle and one baseline workflow');
  const id = `parts-${randomBytes(3).toString('hex')}`;
  await client.start({ ...phdProgramme(Date.now()), id });
  await client.command(id, 'submit', {});
  await client.command(id, 'sign', { signatory: 'vc-uob' });
  await client.command(id, 'sign', { signatory: 'president-jitri' });
  await client.command(id, 'confirmFunding', { commitment: 'jitri-phd', amount: 1350000 });
  await client.command(id, 'confirmFunding', { commitment: 'uob-phd', amount: 1350000 });
  await client.command(id, 'enrol', { candidates: [{ name: 'Li Wei', email: 'li.wei@jitri.example' }, { name: 'Amy Jones', email: 'amy@uob.example' }] });
  await client.command(id, 'launch', {});
  await client.command(id, 'complete', {});
  await client.result(id);
  const lifecycleHistory = await raw.workflow.getHandle(`agreement-${id}`).fetchHistory();
  const count = (name: string) => (lifecycleHistory.events ?? []).filter((event) => event[name as keyof typeof event]).length;
  const shape: BaselineShape = { updates: 8, activities: count('activityTaskScheduledEventAttributes'), timers: count('timerStartedEventAttributes') };
  const handle: WorkflowHandle = await raw.workflow.start('baselineWorkflow', { workflowId: `parts-baseline-${id}`, taskQueue, args: [shape] });
  for (let i = 0; i < shape.updates; i++) await handle.executeUpdate(baselineStep, { args: [{}] });
  await handle.result();
  const baselineHistory = await handle.fetchHistory();
  worker.shutdown();
  await running;

  await connection.close();
  await nativeConnection.close();
  log(`mail path for ${notifications.length} notifications`);
  const from = config.mailFrom;
  const mails = notifications.map((input) => renderNotification(input, { from }));
  const transport = smtpTransport(sink.url);
  const { records } = dependencies;
  const sendAll = (round: number) =>
    Promise.all(notifications.map((input) => dependencies.activities.sendNotification({ ...input, agreementId: `${input.agreementId}-${round}` })));
  const mailPath = {
    render: await cpuPerRound(() => notifications.forEach((input) => renderNotification(input, { from }))),
    compose: await cpuPerRound(() => Promise.all(mails.map((mail) => new MailComposer(toNodemailerMessage(mail)).compile().build()))),
    compose_and_smtp: await cpuPerRound(() => Promise.all(mails.map((mail) => transport.send(mail)))),
    sent_mail_log: await cpuPerRound((r) =>
      Promise.all(
        notifications.map(async (input) => {
          const agreementId = `${input.agreementId}-log-${r}`;
          await records.findSentMail(agreementId, input.notification.key);
          await records.recordSentMail({ key: input.notification.key, agreementId, kind: input.notification.kind, recipient: input.notification.recipient.email, subject: 's', messageId: '<m@parts>', sentAt: new Date().toISOString(), status: 'sent' });
        }),
      ),
    ),
    // Last, so that it runs with the parts above already compiled by the JIT, as a worker's activities would.
    send_notification_activities: await cpuPerRound(sendAll),
  };
  await transport.close();

  // One replay worker for many histories, as the replay suite does; the first call only warms up.
  const replayCpu = async (workflowId: string, history: typeof lifecycleHistory, count: number) => {
    const histories = Array.from({ length: count }, (_, i) => ({ workflowId: `${workflowId}-${i}`, history }));
    const before = process.cpuUsage();
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
      if (result.error) throw result.error;
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / count;
  };
  log(`replaying ${REPLAYS} of each`);
  await replayCpu(`agreement-${id}`, lifecycleHistory, 10);
  await replayCpu(handle.workflowId, baselineHistory, 10);
  const replayLifecycle = await replayCpu(`agreement-${id}`, lifecycleHistory, REPLAYS);
  const replayBaseline = await replayCpu(handle.workflowId, baselineHistory, REPLAYS);

  const result = {
    notifications: notifications.length,
    replay_ms: { lifecycle: round(replayLifecycle), baseline: round(replayBaseline) },
    mail_ms: mailPath,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running.catch(() => undefined);
  await connection.close().catch(() => undefined);
  await nativeConnection.close().catch(() => undefined);
  await dependencies.close();
  await sink.close();
  await server.stop();
  await rm(home, { recursive: true, force: true });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
