import { rm } from 'node:fs/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/logger.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { openWorkerDependencies, type WorkerDependencies } from '../../src/worker/dependencies.ts';
import { postgresBackend, sqliteBackend, type RecordsBackend } from '../records/support/records-backends.ts';
import { sampleOfEveryKind } from './support/reference-agreement.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const samples = sampleOfEveryKind();

describe.each<RecordsBackend>([sqliteBackend(), postgresBackend()])('sendNotification over SMTP with records on $name', (backend) => {
  let sink: SmtpSink | undefined;
  let dependencies: WorkerDependencies | undefined;

  afterEach(async () => {
    await dependencies?.close();
    await sink?.close();
  });
  afterAll(() => backend.cleanup());

  it('delivers once when two attempts of the same notification overlap (one outlived its timeout)', async () => {
    sink = await startSmtpSink();
    const database = await backend.emptyDatabase();
    const config = loadConfig({
      AGREEMENTS_HOME: database.home,
      ...(database.url ? { RECORDS_URL: database.url } : {}),
      SMTP_URL: sink.url,
      LOG_LEVEL: 'error',
    });
    dependencies = await openWorkerDependencies(config, createLogger({ level: 'error' }));
    const input = samples.invitation;

    // Both look in the sent-mail log before either has recorded anything, then race to deliver.
    const results = await Promise.all([dependencies.activities.sendNotification(input), dependencies.activities.sendNotification(input)]);

    expect(results.map((result) => result.status).sort()).toEqual(['already-sent', 'sent']);
    const received = await sink.parsed();
    expect(received.map((mail) => mail.headers.get('x-notification-key'))).toEqual([input.notification.key]);
    expect(await dependencies.records.sentMail(input.agreementId)).toHaveLength(1);
    await rm(database.home, { recursive: true, force: true });
  });
});
