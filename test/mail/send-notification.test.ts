import { rm } from 'node:fs/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RecordsStore } from '../../src/ports/records-store.ts';
import { createActivities } from '../../src/activities/create-activities.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { openWorkerDependencies, type WorkerDependencies } from '../../src/worker/dependencies.ts';
import { postgresBackend, sqliteBackend, type RecordsBackend } from '../records/support/records-backends.ts';
import { sampleOfEveryKind } from './support/reference-agreement.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const samples = sampleOfEveryKind();

describe.each<RecordsBackend>([sqliteBackend(), postgresBackend()])(
  'sendNotification over SMTP with records on $name',
  (backend) => {
    let sink: SmtpSink | undefined;
    let dependencies: WorkerDependencies | undefined;

    afterEach(async () => {
      await dependencies?.close();
      await sink?.close();
    });
    afterAll(() => backend.cleanup());

    /** An empty records database of this backend and an SMTP sink, with the worker's real dependencies on them. */
    async function openOnSink() {
      const smtp = await startSmtpSink();
      sink = smtp;
      const database = await backend.emptyDatabase();
      const config = loadConfig({
        AGREEMENTS_HOME: database.home,
        ...(database.url ? { RECORDS_URL: database.url } : {}),
        SMTP_URL: smtp.url,
        LOG_LEVEL: 'error',
      });
      const opened = await openWorkerDependencies(config, createLogger({ level: 'error' }));
      dependencies = opened;
      return { database, config, smtp, opened };
    }

    it('delivers once when two attempts of the same notification overlap (one outlived its timeout)', async () => {
      const { database, smtp, opened } = await openOnSink();
      const input = samples.invitation;

      // Both look in the sent-mail log before either has recorded anything, then race to deliver.
      const results = await Promise.all([
        opened.activities.sendNotification(input),
        opened.activities.sendNotification(input),
      ]);

      expect(results.map((result) => result.status).sort()).toEqual(['already-sent', 'sent']);
      const received = await smtp.parsed();
      expect(received.map((mail) => mail.headers.get('x-notification-key'))).toEqual([input.notification.key]);
      expect(await opened.records.sentMail(input.agreementId)).toHaveLength(1);
      await rm(database.home, { recursive: true, force: true });
    });

    it('sends on the retry when the line broke after the claim and the store failed to forget it at first', async () => {
      const { database, config, smtp, opened } = await openOnSink();
      const { records, transport } = opened;
      let breakTheLine = true;
      let forgetFailures = 2;
      // The real store, with two faults around it: the claim breaks the SMTP line (before the message's final dot), and
      // the store is briefly unreachable when the claim is to be forgotten.
      const faulty: RecordsStore = {
        ...records,
        recordSentMail: (row) => {
          if (breakTheLine) smtp.dropConnections();
          breakTheLine = false;
          return records.recordSentMail(row);
        },
        forgetSentMail: (agreementId, key, sentAt) => {
          if (forgetFailures-- > 0) return Promise.reject(new Error('records store unreachable'));
          return records.forgetSentMail(agreementId, key, sentAt);
        },
      };
      const activities = createActivities({
        records: faulty,
        transport,
        render: (input) => renderNotification(input, { from: config.mailFrom }),
        logger: createLogger({ level: 'silent' }),
        forgetRetryDelaysMs: [10, 10, 10],
      });
      const input = samples.invitation;

      await expect(activities.sendNotification(input)).rejects.toThrow(/mail delivery failed for now/);
      expect(smtp.received()).toBe(0);
      expect(await records.findSentMail(input.agreementId, input.notification.key)).toBeUndefined();
      // Temporal's retry of the activity: the mail goes, once.
      expect((await activities.sendNotification(input)).status).toBe('sent');
      expect((await smtp.parsed()).map((mail) => mail.headers.get('x-notification-key'))).toEqual([
        input.notification.key,
      ]);
      await rm(database.home, { recursive: true, force: true });
    });

    it('still reports a refusal after the final dot as final when the store cannot forget the claim', async () => {
      const { database, config, smtp, opened } = await openOnSink();
      const { records, transport } = opened;
      const activities = createActivities({
        records: { ...records, forgetSentMail: () => Promise.reject(new Error('records store unreachable')) },
        transport,
        render: (input) => renderNotification(input, { from: config.mailFrom }),
        logger: createLogger({ level: 'silent' }),
        forgetRetryDelaysMs: [10],
      });
      const { invitation } = samples;
      const email = 'spam@uob.example';
      const input = {
        ...invitation,
        notification: {
          ...invitation.notification,
          key: `invitation:ceremony:${email}`,
          recipient: { ...invitation.notification.recipient, email },
        },
      };

      // The coordinators must be told (a non-retryable failure), not the claim left to answer already-sent.
      await expect(activities.sendNotification(input)).rejects.toMatchObject({
        type: 'PermanentDeliveryFailure',
        nonRetryable: true,
      });
      expect(smtp.received()).toBe(0);
      await rm(database.home, { recursive: true, force: true });
    });
  },
);
