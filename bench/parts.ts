// `npm run bench:parts`: where a lifecycle's CPU goes, part by part, without the noise of a saturated machine. It runs
// one lifecycle and one baseline workflow on a dev server, then measures in this process alone: replaying each
// history many times (the workflow side: our code plus the SDK's, without the server), and the mail path for that
// lifecycle's 22 notifications (render, compose, SMTP to a loopback sink, the sent-mail log), and the wall time of one
// email sent on its own. The last line is JSON, in ms of CPU per lifecycle unless named wall.
import { randomBytes } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { SendNotificationInput } from '../src/domain/index.ts';
import { toNodemailerMessage } from '../src/mail/delivery/nodemailer-message.ts';
import { renderNotification } from '../src/mail/render.ts';
import { smtpTransport } from '../src/mail/delivery/index.ts';
import { baselineShapeOf, driveBaseline, driveLifecycle, startBenchStack } from './stack.ts';
import { percentile } from './stats.ts';

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

const notifications: SendNotificationInput[] = [];
// Every notification is kept, to run the mail path again on its own.
const stack = await startBenchStack({
  mail: 'smtp',
  activities: (real) => ({
    ...real,
    sendNotification: (input) => {
      notifications.push(input);
      return real.sendNotification(input);
    },
  }),
});
const { raw, client, config, dependencies, bundle, sink } = stack;

try {
  log('recording one lifecycle and one baseline workflow');
  const id = `parts-${randomBytes(3).toString('hex')}`;
  const updates = (await driveLifecycle(client, id)).length;
  const lifecycleHistory = await raw.workflow.getHandle(`agreement-${id}`).fetchHistory();
  const shape = baselineShapeOf(updates, lifecycleHistory);
  const baselineId = `parts-baseline-${id}`;
  await driveBaseline(stack, baselineId, shape);
  const baselineHistory = await raw.workflow.getHandle(baselineId).fetchHistory();
  stack.worker.shutdown();
  await stack.running;

  log(`mail path for ${notifications.length} notifications`);
  const from = config.mailFrom;
  const mails = notifications.map((input) => renderNotification(input, { from }));
  const transport = smtpTransport(sink.url);
  const { records } = dependencies;
  const sendAll = (round: number) =>
    Promise.all(
      notifications.map((input) =>
        dependencies.activities.sendNotification({ ...input, agreementId: `${input.agreementId}-${round}` }),
      ),
    );
  const mailPath = {
    render: await cpuPerRound(() => notifications.forEach((input) => renderNotification(input, { from }))),
    compose: await cpuPerRound(() =>
      Promise.all(mails.map((mail) => new MailComposer(toNodemailerMessage(mail)).compile().build())),
    ),
    compose_and_smtp: await cpuPerRound(() => Promise.all(mails.map((mail) => transport.send(mail)))),
    sent_mail_log: await cpuPerRound((r) =>
      Promise.all(
        notifications.map(async (input) => {
          const agreementId = `${input.agreementId}-log-${r}`;
          const claim = {
            agreementId,
            key: input.notification.key,
            kind: input.notification.kind,
            recipient: input.notification.recipient.email,
            subject: 's',
            messageId: '<m@parts>',
            attempt: 'parts',
            at: new Date().toISOString(),
            liveUntil: new Date(Date.now() + 20_000).toISOString(),
          };
          await records.claimMail(claim);
          await records.settleMail(agreementId, claim.key, 'parts', { status: 'sent', at: claim.at, resends: 0 });
        }),
      ),
    ),
    // Last, so that it runs with the parts above already compiled by the JIT, as a worker's activities would.
    send_notification_activities: await cpuPerRound(sendAll),
  };
  // Wall time of one sendNotification after another (SMTP on a warm session, the sent-mail row claimed before and
  // settled after): the conversation's latency, not its CPU.
  const oneByOne: number[] = [];
  for (const [index, input] of [...notifications, ...notifications].entries()) {
    const started = performance.now();
    await dependencies.activities.sendNotification({
      ...input,
      agreementId: `${input.agreementId}-one-by-one-${index}`,
    });
    oneByOne.push(performance.now() - started);
  }
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
  await replayCpu(baselineId, baselineHistory, 10);
  const replayLifecycle = await replayCpu(`agreement-${id}`, lifecycleHistory, REPLAYS);
  const replayBaseline = await replayCpu(baselineId, baselineHistory, REPLAYS);

  const result = {
    notifications: notifications.length,
    replay_ms: { lifecycle: round(replayLifecycle), baseline: round(replayBaseline) },
    mail_ms: mailPath,
    send_notification_wall_ms_p50: round(
      percentile(
        oneByOne.sort((a, b) => a - b),
        50,
      ),
    ),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await stack.close();
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
