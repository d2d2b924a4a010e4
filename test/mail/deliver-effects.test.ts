// The activity that carries one outbox flush whole: its records, then its mail over one session. Run in Temporal's
// activity environment against a real SQLite store and a real SMTP sink on loopback.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities/create-activities.ts';
import { smtpTransport } from '../../src/mail/delivery/index.ts';
import { renderNotification } from '../../src/mail/render.ts';
import type { RecordsStore } from '../../src/ports/records-store.ts';
import { openRecordsStore } from '../../src/records/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import type { SendNotificationInput } from '../../src/domain/index.ts';
import type { SendNotificationResult } from '../../src/domain/effects.ts';
import { lifecycleEvents, recordBatch } from '../records/support/agreement-events.ts';
import { FROM, sampleOfEveryKind } from './support/reference-agreement.ts';
import { startSmtpSink } from './support/smtp-sink.ts';
import { renderCertificate } from '../../src/certificate/render-certificate.ts';
import { unsetCharacters } from '../../src/certificate/coverage.ts';

const samples = sampleOfEveryKind();
const mail: SendNotificationInput[] = [samples.invitation, samples['signature-recorded']];

describe('deliverEffects: a flush’s records and mail in one activity', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function rig(records?: (store: RecordsStore) => RecordsStore) {
    const home = await mkdtemp(join(tmpdir(), 'deliver-effects-'));
    cleanups.push(() => rm(home, { recursive: true, force: true }));
    const sink = await startSmtpSink();
    cleanups.push(() => sink.close());
    const store = await openRecordsStore({ home });
    await store.migrate();
    cleanups.push(() => store.close());
    const transport = smtpTransport(sink.url);
    cleanups.push(() => transport.close());
    const activities = createActivities({
      records: records ? records(store) : store,
      transport,
      render: (input) => renderNotification(input, { from: FROM }),
      logger: createLogger({ level: 'silent' }),
      renderCertificate,
      unsetCharacters,
    });
    return { sink, store, activities };
  }

  it('records the events, then sends each mail once; a retry of the whole writes and sends nothing twice', async () => {
    const { sink, store, activities } = await rig();
    const input = { records: recordBatch('ag-1', lifecycleEvents(3), 1, 3), mail };
    const deliver = (given: typeof input): Promise<SendNotificationResult[]> =>
      new MockActivityEnvironment({ startToCloseTimeoutMs: 20_000 }).run(activities.deliverEffects, given);
    const first = await deliver(input);
    expect(first.map((result) => [result.status, result.detail])).toEqual([
      ['sent', undefined],
      ['sent', undefined],
    ]);
    const again = await deliver(input);
    expect(again.map((result) => result.status)).toEqual(['already-sent', 'already-sent']);
    expect((await store.history('ag-1')).map((row) => row.sequence)).toEqual([1, 2, 3]);
    expect(sink.received()).toBe(2);
  });

  it('sends no mail while the records cannot be written: the attempt fails before any mail goes', async () => {
    // The real store, except that writing events fails as an unreachable database would.
    const { sink, store, activities } = await rig(
      (real) =>
        new Proxy(real, {
          get: (target, property: keyof RecordsStore) =>
            property === 'recordEvents'
              ? () => Promise.reject(new Error('records store unreachable'))
              : (target[property] as (...args: unknown[]) => unknown).bind(target),
        }),
    );
    const input = { records: recordBatch('ag-1', lifecycleEvents(2), 1, 2), mail };
    await expect(
      new MockActivityEnvironment({ startToCloseTimeoutMs: 20_000 }).run(activities.deliverEffects, input),
    ).rejects.toThrow('records store unreachable');
    expect(sink.received()).toBe(0);
    expect(await store.history('ag-1')).toEqual([]);
  });
});
