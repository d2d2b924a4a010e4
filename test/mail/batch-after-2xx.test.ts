import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { renderCertificate } from '../../src/certificate/render-certificate.ts';
import { unsetCharacters } from '../../src/certificate/coverage.ts';
import { createActivities } from '../../src/activities/create-activities.ts';
import { AgreementsClient } from '../../src/client/agreements-client.ts';
import { smtpTransport } from '../../src/mail/delivery/index.ts';
import { renderNotification } from '../../src/mail/render.ts';
import type { MailTransport } from '../../src/ports/mail-transport.ts';
import type { RecordsStore } from '../../src/ports/records-store.ts';
import { openRecordsStore } from '../../src/records/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { workflowIdFor } from '../../src/wire/contract.ts';
import { createAgreementWorker } from '../../src/worker/create-worker.ts';
import { routeSdkLogsTo } from '../../src/worker/runtime-logging.ts';
import { mou } from '../support/agreements.ts';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal.ts';
import { eventually } from '../support/worker.ts';
import { FROM } from './support/reference-agreement.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

// The invitation of an MoU's signing goes to its two signatories and its coordinator in one batch activity
// (deliverEffects): the second of them is the mail a fault is aimed at, after the server's 2xx for it.
const INVITED = ['vc@uob.example', 'president@jitri.example', 'partnerships@uob.example'];
const SECOND = INVITED[1] as string;

/** What the faults watch and do: set by each test, read by the activities' store and transport. */
interface Faults {
  /** Called when the store is asked to settle a mail: may throw, as a store gone away would. */
  onSettle?: (agreementId: string, key: string) => void;
  /** Called before a mail is handed to the SMTP server: may never return, as a worker killed there would not. */
  beforeSend?: (key: string) => Promise<void>;
}
const faults: Faults = {};

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let home: string;
let sink: SmtpSink;
let store: RecordsStore;
let transport: MailTransport;
let agreements: AgreementsClient;
const releaseHung: (() => void)[] = [];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'agreements-after-2xx-'));
  const taskQueue = uniqueTaskQueue('agreements-after-2xx');
  sink = await startSmtpSink();
  store = await openRecordsStore({ home });
  await store.migrate();
  const realTransport = smtpTransport(sink.url);
  transport = {
    send: async (mail, options) => {
      await faults.beforeSend?.(mail.headers['X-Notification-Key'] ?? '');
      return realTransport.send(mail, options);
    },
    close: () => realTransport.close(),
  };
  const faultyStore: RecordsStore = {
    ...store,
    settleMail: async (agreementId, key, attempt, settlement) => {
      faults.onSettle?.(agreementId, key);
      return store.settleMail(agreementId, key, attempt, settlement);
    },
  };
  routeSdkLogsTo(createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'error', name: 'temporal-sdk' }));
  env = await connectTestEnvironment();
  worker = await createAgreementWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    activities: createActivities({
      records: faultyStore,
      transport,
      render: (input) => renderNotification(input, { from: FROM }),
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      renderCertificate,
      unsetCharacters,
    }),
    workflowBundle: { code: inject('workflowBundleCode') },
  });
  running = worker.run();
  agreements = AgreementsClient.fromClient(env.client, taskQueue);
});

afterAll(async () => {
  for (const release of releaseHung) release();
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running;
  await transport?.close();
  await store?.close();
  await sink?.close();
  await env?.teardown();
  if (home) await rm(home, { recursive: true, force: true });
});

/** An MoU in signing: its invitations are the batch under test. */
async function mouInSigning(): Promise<string> {
  const id = `after-2xx-${randomBytes(4).toString('hex')}`;
  await agreements.start(mou(Date.now(), id));
  await agreements.command(id, 'submit', {});
  return id;
}

/** The invitations the sink received for `id`, by recipient, once all three are there. */
async function invitationsReceived(id: string): Promise<Map<string, { count: number; messageIds: Set<string> }>> {
  return eventually(
    async () => {
      const mails = (await sink.mails()).filter(
        (mail) => mail.agreementId === id && mail.key.startsWith('invitation:'),
      );
      const byRecipient = new Map<string, { count: number; messageIds: Set<string> }>();
      for (const mail of mails) {
        const email = mail.key.split(':').at(-1) ?? '';
        const seen = byRecipient.get(email) ?? { count: 0, messageIds: new Set<string>() };
        seen.count += 1;
        seen.messageIds.add(mail.messageId);
        byRecipient.set(email, seen);
      }
      return INVITED.every((email) => byRecipient.has(email)) ? byRecipient : undefined;
    },
    60_000,
    `the three invitations of ${id}`,
  );
}

/** The batch's retry has settled every invitation in the sent-mail log. */
const invitationRows = (id: string) =>
  eventually(
    async () => {
      const rows = (await store.sentMail(id)).filter((row) => row.key.startsWith('invitation:'));
      return rows.length === INVITED.length && rows.every((row) => row.status === 'sent') ? rows : undefined;
    },
    60_000,
    `the invitations of ${id} logged sent`,
  );

/** How many attempts the batch activity that carried the invitations took (its history's ActivityTaskStarted). */
async function batchAttempts(id: string): Promise<number> {
  const history = await env.client.workflow.getHandle(workflowIdFor(id)).fetchHistory();
  const events = history.events ?? [];
  const scheduled = events.filter(
    (event) =>
      event.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverEffects' &&
      JSON.stringify(event.activityTaskScheduledEventAttributes.input ?? '').length > 0,
  );
  const ids = new Set(scheduled.map((event) => String(event.eventId)));
  const attempts = events
    .map((event) => event.activityTaskStartedEventAttributes)
    .filter((started) => started && ids.has(String(started.scheduledEventId)))
    .map((started) => started?.attempt ?? 1);
  return Math.max(1, ...attempts);
}

describe('a batch whose attempt ends right after the 2xx of its second mail (real worker, SMTP sink)', () => {
  it('failed there (the store gone as it was to record it): the retry records that mail and sends one copy', async () => {
    let failed = false;
    faults.onSettle = (_agreementId, key) => {
      if (!failed && key.startsWith('invitation:') && key.endsWith(SECOND)) {
        failed = true;
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      }
    };
    try {
      const id = await mouInSigning();
      const received = await invitationsReceived(id);
      await invitationRows(id);
      expect(failed).toBe(true);
      for (const email of INVITED) expect(received.get(email)).toMatchObject({ count: 1 });
      const rows = await store.sentMail(id);
      expect(rows.find((row) => row.key.endsWith(`:${SECOND}`) && row.kind === 'invitation')).toMatchObject({
        status: 'sent',
        resends: 0,
      });
      // The 2xx reached the retry in the failed attempt's last heartbeat, which Temporal keeps with the failure.
      expect(await batchAttempts(id)).toBe(2);
    } finally {
      faults.onSettle = undefined;
    }
  });

  it('killed there (the attempt dies before its next mail, heartbeat lost): the log has it, one copy each', async () => {
    let hung = false;
    faults.beforeSend = async (key) => {
      // The third invitation goes only once the second is logged sent. The attempt dies as it is about to send it:
      // its last heartbeat names only the third mail, so the retry can learn of the second from the log alone.
      if (!hung && key.startsWith('invitation:') && key.endsWith(`:${INVITED[2] ?? ''}`)) {
        hung = true;
        await new Promise<void>((_resolve, reject) => releaseHung.push(() => reject(new Error('killed'))));
      }
    };
    try {
      const id = await mouInSigning();
      const received = await invitationsReceived(id);
      const rows = await invitationRows(id);
      expect(hung).toBe(true);
      for (const email of INVITED) expect(received.get(email)).toMatchObject({ count: 1 });
      const resends = Object.fromEntries(rows.map((row) => [row.key.split(':').at(-1), row.resends]));
      // The third mail's claim was taken over from the dead attempt, which might have sent it: counted, not sent twice.
      expect(resends).toEqual({ [INVITED[0] ?? '']: 0, [SECOND]: 0, [INVITED[2] ?? '']: 1 });
      // The dead attempt was given up on at its heartbeat timeout and the batch retried.
      expect(await batchAttempts(id)).toBe(2);
    } finally {
      faults.beforeSend = undefined;
    }
  });
});
