import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RecordsStore, SentMailRow } from '../../src/ports/records-store.ts';
import { openRecordsStore, type RecordsStoreOptions } from '../../src/records/index.ts';
import { auditRowsOf, lifecycleEvents, recordBatch, registerAfter } from './support/agreement-events.ts';
import { postgresBackend, sqliteBackend, type RecordsBackend } from './support/records-backends.ts';

const sequencesOf = async (store: RecordsStore, agreementId: string) =>
  (await store.history(agreementId)).map((row) => row.sequence);
const oneToN = (n: number) => Array.from({ length: n }, (_, index) => index + 1);
const sevenDayNotice: SentMailRow = {
  key: 'ag-1/ceremony-notice/P7D/vc-uob',
  agreementId: 'ag-1',
  kind: 'ceremony-notice',
  recipient: 'vc@bham.example',
  subject: '[ag-1] Signing ceremony in 7 days',
  messageId: '<ag-1.ceremony-notice.p7d.vc-uob@agreements.example>',
  sentAt: '2025-04-03T06:00:00.000Z',
  status: 'sent',
};

describe.each<RecordsBackend>([sqliteBackend(), postgresBackend()])('records store on $name', (backend) => {
  const openStores: RecordsStore[] = [];

  async function open(options: RecordsStoreOptions): Promise<RecordsStore> {
    const store = await openRecordsStore(options);
    openStores.push(store);
    return store;
  }

  async function migratedStore(): Promise<RecordsStore> {
    const store = await open(await backend.emptyDatabase());
    await store.migrate();
    return store;
  }

  afterEach(async () => {
    await Promise.all(openStores.splice(0).map((store) => store.close()));
  });
  afterAll(() => backend.cleanup());

  it('migrates an empty database, and migrating again keeps the data', async () => {
    const options = await backend.emptyDatabase();
    const store = await open(options);
    await store.migrate();
    const events = lifecycleEvents(3);
    await store.recordEvents(recordBatch('ag-1', events, 1, 3));
    await store.migrate();

    const reopened = await open(options);
    await reopened.migrate();
    expect(await sequencesOf(reopened, 'ag-1')).toEqual([1, 2, 3]);
    expect(await reopened.register()).toEqual([registerAfter('ag-1', events)]);
  });

  it('writes each audit row once however often the same input is delivered', async () => {
    const store = await migratedStore();
    const input = recordBatch('ag-1', lifecycleEvents(5), 1, 5);
    await store.recordEvents(input);
    await store.recordEvents(input);
    await Promise.all(Array.from({ length: 5 }, () => store.recordEvents(input)));

    expect(await sequencesOf(store, 'ag-1')).toEqual([1, 2, 3, 4, 5]);
    expect(await store.register()).toEqual([input.register]);
  });

  it('never moves the register backwards on a stale retry', async () => {
    const store = await migratedStore();
    const events = lifecycleEvents(8);
    await store.recordEvents(recordBatch('ag-1', events, 1, 4));
    await store.recordEvents(recordBatch('ag-1', events, 5, 8));
    const latest = registerAfter('ag-1', events);
    expect(latest.stage).toBe('cohort');

    await store.recordEvents(recordBatch('ag-1', events, 1, 4));
    await store.recordEvents(recordBatch('ag-1', events, 3, 6));
    expect(await store.register()).toEqual([latest]);
    expect(await sequencesOf(store, 'ag-1')).toEqual(oneToN(8));
  });

  it('fills in the audit rows a stale retry carries that were missing', async () => {
    const store = await migratedStore();
    const events = lifecycleEvents(6);
    await store.recordEvents(recordBatch('ag-1', events, 4, 6));
    await store.recordEvents(recordBatch('ag-1', events, 1, 3));

    expect(await sequencesOf(store, 'ag-1')).toEqual(oneToN(6));
    expect(await store.register()).toEqual([registerAfter('ag-1', events)]);
  });

  it('leaves one row per sequence and no gaps when many writers race', async () => {
    const store = await migratedStore();
    const agreements = Array.from({ length: 20 }, (_, index) => `ag-${String(index + 1).padStart(2, '0')}`);
    const events = lifecycleEvents(22);
    // Different agreements, each in several overlapping batches, and twenty overlapping batches for one agreement.
    const writes = [
      ...agreements.flatMap((id) => [
        recordBatch(id, events, 1, 12),
        recordBatch(id, events, 8, 22),
        recordBatch(id, events, 1, 22),
      ]),
      ...oneToN(20).map((from) => recordBatch('ag-shared', events, from, from + 2)),
    ];
    await Promise.all(writes.map((input) => store.recordEvents(input)));

    for (const id of [...agreements, 'ag-shared']) expect(await sequencesOf(store, id)).toEqual(oneToN(22));
    const register = await store.register();
    expect(register.map((row) => row.id)).toEqual([...agreements, 'ag-shared']);
    for (const row of register) expect(row).toEqual(registerAfter(row.id, events));
  });

  it('returns the history in sequence order with the events as written', async () => {
    const store = await migratedStore();
    const events = lifecycleEvents(9);
    await store.recordEvents(recordBatch('ag-1', events, 6, 9));
    await store.recordEvents(recordBatch('ag-1', events, 1, 5));
    await store.recordEvents(recordBatch('ag-2', events, 1, 2));

    const history = await store.history('ag-1');
    expect(history).toEqual(auditRowsOf('ag-1', events));
    expect(await store.history('ag-unknown')).toEqual([]);
  });

  it('lists the register by id and filters it by stage, with amounts as numbers', async () => {
    const store = await migratedStore();
    const events = lifecycleEvents(10);
    await store.recordEvents(recordBatch('ag-c', events, 1, 5));
    await store.recordEvents(recordBatch('ag-a', events, 1, 10));
    await store.recordEvents(recordBatch('ag-b', events, 1, 2));

    expect((await store.register()).map((row) => [row.id, row.stage])).toEqual([
      ['ag-a', 'cohort'],
      ['ag-b', 'signing'],
      ['ag-c', 'funding'],
    ]);
    const [funding, ...others] = await store.register({ stage: 'funding' });
    expect(others).toEqual([]);
    expect(funding).toEqual(registerAfter('ag-c', events.slice(0, 5)));
    const [cohort] = await store.register({ stage: 'cohort' });
    expect(cohort?.fundingConfirmed).toBe(3_000_000_000_00);
    expect(typeof cohort?.fundingRequired).toBe('number');
    expect(await store.register({ stage: 'completed' })).toEqual([]);
  });

  it('records a sent mail once and keeps the first record', async () => {
    const store = await migratedStore();
    const notice = sevenDayNotice;
    const refused: SentMailRow = {
      ...notice,
      key: 'ag-1/ceremony-notice/P7D/jitri-president',
      recipient: 'nobody@jitri.example',
      messageId: '<ag-1.ceremony-notice.p7d.jitri-president@agreements.example>',
      status: 'rejected',
      detail: '550 5.1.1 mailbox unavailable',
    };
    const other: SentMailRow = {
      ...notice,
      key: 'ag-2/welcome/x',
      agreementId: 'ag-2',
      sentAt: '2025-04-01T00:00:00.000Z',
    };

    expect(await store.recordSentMail(notice)).toBe(true);
    // The second write of a key says it did not write: that answer is the claim one delivery attempt wins.
    expect(
      await Promise.all([
        store.recordSentMail({ ...notice, subject: 'changed', status: 'rejected' }),
        store.recordSentMail(refused),
      ]),
    ).toEqual([false, true]);
    expect(await store.recordSentMail(other)).toBe(true);

    expect(await store.findSentMail('ag-1', notice.key)).toEqual(notice);
    expect(await store.findSentMail('ag-1', refused.key)).toEqual(refused);
    expect(await store.findSentMail('ag-1', 'no-such-key')).toBeUndefined();
    // The same key in another agreement is another mail.
    const sameKeyElsewhere: SentMailRow = { ...notice, agreementId: 'ag-3' };
    expect(await store.findSentMail('ag-3', notice.key)).toBeUndefined();
    await store.recordSentMail(sameKeyElsewhere);
    expect(await store.findSentMail('ag-3', notice.key)).toEqual(sameKeyElsewhere);
    // Same sent time: ordered by key.
    expect(await store.sentMail('ag-1')).toEqual([refused, notice]);
    expect(await store.sentMail()).toEqual([other, refused, notice, sameKeyElsewhere]);
  });

  it("forgets only the claim recorded at the given time, never another attempt's", async () => {
    const store = await migratedStore();
    const claim: SentMailRow = { ...sevenDayNotice, sentAt: '2026-11-29T10:00:00.500Z' };
    expect(await store.recordSentMail(claim)).toBe(true);
    // A repeated forget of an earlier attempt's claim (its first answer lost) finds this attempt's row: it stays.
    await store.forgetSentMail('ag-1', claim.key, '2026-11-29T10:00:00.100Z');
    expect(await store.findSentMail('ag-1', claim.key)).toEqual(claim);
    await store.forgetSentMail('ag-1', claim.key, claim.sentAt);
    expect(await store.findSentMail('ag-1', claim.key)).toBeUndefined();
  });
});
