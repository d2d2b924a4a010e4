import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { MailClaim, RecordsStore, SentMailRow } from '../../src/ports/records-store.ts';
import { openRecordsStore, type RecordsStoreOptions } from '../../src/records/index.ts';
import { auditRowsOf, lifecycleEvents, recordBatch, storedRegisterAfter } from './support/agreement-events.ts';
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
  resends: 0,
};

const seconds = (n: number) => new Date(Date.parse('2026-11-29T10:00:00.000Z') + n * 1000).toISOString();
/** A claim on the seven-day notice by `attempt` at second `at`, live for 20 s. */
const claimBy = (attempt: string, at: number, supersedes?: string): MailClaim => ({
  agreementId: sevenDayNotice.agreementId,
  key: sevenDayNotice.key,
  kind: sevenDayNotice.kind,
  recipient: sevenDayNotice.recipient,
  subject: sevenDayNotice.subject,
  messageId: sevenDayNotice.messageId,
  attempt,
  at: seconds(at),
  liveUntil: seconds(at + 20),
  supersedes,
});

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
    expect(await reopened.register()).toEqual([storedRegisterAfter('ag-1', events)]);
  });

  it('writes each audit row once however often the same input is delivered', async () => {
    const store = await migratedStore();
    const input = recordBatch('ag-1', lifecycleEvents(5), 1, 5);
    await store.recordEvents(input);
    await store.recordEvents(input);
    await Promise.all(Array.from({ length: 5 }, () => store.recordEvents(input)));

    expect(await sequencesOf(store, 'ag-1')).toEqual([1, 2, 3, 4, 5]);
    expect(await store.register()).toEqual([storedRegisterAfter('ag-1', lifecycleEvents(5))]);
  });

  it('never moves the register backwards on a stale retry', async () => {
    const store = await migratedStore();
    const events = lifecycleEvents(8);
    await store.recordEvents(recordBatch('ag-1', events, 1, 4));
    await store.recordEvents(recordBatch('ag-1', events, 5, 8));
    const latest = storedRegisterAfter('ag-1', events);
    expect(latest.stage).toBe('cohort');

    await store.recordEvents(recordBatch('ag-1', events, 1, 4));
    await store.recordEvents(recordBatch('ag-1', events, 3, 6));
    expect(await store.register()).toEqual([latest]);
    expect(await sequencesOf(store, 'ag-1')).toEqual(oneToN(8));
  });

  it('keeps the approval time and the open obligations of the latest row in the register', async () => {
    const store = await migratedStore();
    const events = lifecycleEvents(6);
    await store.recordEvents(recordBatch('ag-1', events, 1, 3));
    const later = recordBatch('ag-1', events, 4, 6);
    const due = ['2027-12-01T17:00:00+08:00', '2028-12-01T17:00:00Z'];
    const register = {
      ...later.register,
      approvedAt: '2026-12-01T10:00:00.000Z',
      obligationsOpen: 2,
      obligationsDue: due,
    };
    await store.recordEvents({ ...later, register });
    expect((await store.register())[0]).toMatchObject({
      approvedAt: '2026-12-01T10:00:00.000Z',
      obligationsOpen: 2,
      obligationsDue: due,
    });
  });

  it('fills in the audit rows a stale retry carries that were missing', async () => {
    const store = await migratedStore();
    const events = lifecycleEvents(6);
    await store.recordEvents(recordBatch('ag-1', events, 4, 6));
    await store.recordEvents(recordBatch('ag-1', events, 1, 3));

    expect(await sequencesOf(store, 'ag-1')).toEqual(oneToN(6));
    expect(await store.register()).toEqual([storedRegisterAfter('ag-1', events)]);
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
    for (const row of register) expect(row).toEqual(storedRegisterAfter(row.id, events));
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
    expect(funding).toEqual(storedRegisterAfter('ag-c', events.slice(0, 5)));
    const [cohort] = await store.register({ stage: 'cohort' });
    expect(cohort?.fundingConfirmed).toBe(3_000_000_000_00);
    expect(typeof cohort?.fundingRequired).toBe('number');
    expect(await store.register({ stage: 'completed' })).toEqual([]);
  });

  it('keeps each certificate once, byte for byte, and shows the latest one’s SHA-256 in the register', async () => {
    const store = await migratedStore();
    const events = lifecycleEvents(10);
    await store.recordEvents(recordBatch('ag-1', events, 1, 5));
    const first = { agreementId: 'ag-1', sequence: 5, issuedAt: seconds(5), sha256: 'a1'.repeat(32) };
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x0a]);
    await store.saveCertificate({ ...first, pdf: bytes });
    // A retried activity writes the same certificate again: one row, as it was.
    await store.saveCertificate({ ...first, pdf: bytes });
    expect(await store.certificate('ag-1')).toEqual({ ...first, pdf: bytes });
    expect((await store.register())[0]?.certificateSha256).toBe(first.sha256);

    const later = { agreementId: 'ag-1', sequence: 9, issuedAt: seconds(9), sha256: 'b2'.repeat(32) };
    await store.recordEvents(recordBatch('ag-1', events, 6, 9));
    await store.saveCertificate({ ...later, pdf: new Uint8Array([1, 2, 3]) });
    // An older certificate's retry arriving late leaves the register on the latest.
    await store.saveCertificate({ ...first, pdf: bytes });
    await store.recordEvents(recordBatch('ag-1', events, 1, 5));
    expect((await store.register())[0]?.certificateSha256).toBe(later.sha256);
    expect((await store.certificate('ag-1'))?.sequence).toBe(9);
    expect((await store.certificate('ag-1', 5))?.pdf).toEqual(bytes);
    expect(await store.certificate('ag-2')).toBeUndefined();
  });

  it('lets one attempt at a time claim a mail, and records how it ended once', async () => {
    const store = await migratedStore();
    const { agreementId, key } = sevenDayNotice;

    expect(await store.claimMail(claimBy('a1', 0))).toEqual({ outcome: 'claimed' });
    // Two more attempts while the first is live: both are told it is held, with the holder's row.
    const [second, third] = await Promise.all([store.claimMail(claimBy('a2', 1)), store.claimMail(claimBy('a3', 1))]);
    expect(second).toMatchObject({
      outcome: 'held',
      row: { status: 'claimed', attempt: 'a1', liveUntil: seconds(20) },
    });
    expect(third?.outcome).toBe('held');
    // Only the holder can settle it.
    expect(await store.settleMail(agreementId, key, 'a2', { status: 'sent', at: seconds(2), resends: 0 })).toBe(false);
    expect(await store.settleMail(agreementId, key, 'a1', { status: 'sent', at: seconds(2), resends: 0 })).toBe(true);
    const sent = { ...sevenDayNotice, sentAt: seconds(2), attempt: 'a1' };
    expect(await store.findSentMail(agreementId, key)).toEqual(sent);
    expect(await store.settleMail(agreementId, key, 'a1', { status: 'refused', at: seconds(3), resends: 0 })).toBe(
      false,
    );
    expect(await store.claimMail(claimBy('a4', 60))).toEqual({ outcome: 'settled', row: sent });

    // The same key in another agreement is another mail; the log lists by time, then key.
    const elsewhere = { ...claimBy('b1', 5), agreementId: 'ag-3' };
    expect(await store.claimMail(elsewhere)).toEqual({ outcome: 'claimed' });
    const refusedKey = { ...claimBy('c1', 1), key: 'ag-1/ceremony-notice/P7D/jitri-president' };
    await store.claimMail(refusedKey);
    const detail = '550 5.1.1 mailbox unavailable';
    await store.settleMail(agreementId, refusedKey.key, 'c1', {
      status: 'refused',
      at: seconds(1),
      resends: 0,
      detail,
    });
    expect((await store.sentMail('ag-1')).map((row) => [row.key, row.status, row.detail])).toEqual([
      [refusedKey.key, 'refused', detail],
      [key, 'sent', undefined],
    ]);
    expect((await store.sentMail()).map((row) => row.agreementId)).toEqual(['ag-1', 'ag-1', 'ag-3']);
  });

  it('passes a claim on only when it is stale or its attempt is known to have ended', async () => {
    const store = await migratedStore();
    const { agreementId, key } = sevenDayNotice;
    // Released with no copy out (its send never reached the final dot), a fresh claim frees the key.
    await store.claimMail(claimBy('a0', 0));
    await store.releaseMail(agreementId, key, 'a0', { at: seconds(0), copiesOut: 0 });
    expect(await store.findSentMail(agreementId, key)).toBeUndefined();

    await store.claimMail(claimBy('a1', 0));
    expect((await store.claimMail(claimBy('a2', 1))).outcome).toBe('held');
    // The next attempt of the same activity knows, from a1's heartbeat, that a1 has ended.
    const taken = await store.claimMail(claimBy('a2', 1, 'a1'));
    expect(taken).toMatchObject({ outcome: 'claimed', takenOver: { attempt: 'a2', resends: 1 } });
    // a1 can neither release nor settle what is no longer its claim.
    await store.releaseMail(agreementId, key, 'a1', { at: seconds(2), copiesOut: 0 });
    expect(await store.settleMail(agreementId, key, 'a1', { status: 'sent', at: seconds(2), resends: 0 })).toBe(false);
    expect((await store.findSentMail(agreementId, key))?.attempt).toBe('a2');
    // a2's own send never reached the server, but a1's may have: the row stays, free at once, counting that copy.
    await store.releaseMail(agreementId, key, 'a2', { at: seconds(3), copiesOut: 1 });
    expect(await store.findSentMail(agreementId, key)).toMatchObject({ status: 'claimed', resends: 0 });
    expect(await store.claimMail(claimBy('a3', 4))).toMatchObject({ outcome: 'claimed', takenOver: { resends: 1 } });

    // An uncertain mail stays with its attempt while that attempt is live, then any attempt may take it.
    await store.settleMail(agreementId, key, 'a3', { status: 'uncertain', at: seconds(5), resends: 2 });
    expect(await store.findSentMail(agreementId, key)).toMatchObject({ status: 'uncertain', liveUntil: seconds(24) });
    expect((await store.claimMail(claimBy('a4', 23))).outcome).toBe('held');
    // Two attempts after it ran out: exactly one takes it over.
    const racing = await Promise.all([store.claimMail(claimBy('a5', 25)), store.claimMail(claimBy('a6', 25))]);
    expect(racing.map((result) => result.outcome).sort()).toEqual(['claimed', 'held']);
    const winner = racing[0]?.outcome === 'claimed' ? 'a5' : 'a6';
    expect(await store.settleMail(agreementId, key, winner, { status: 'sent', at: seconds(26), resends: 3 })).toBe(
      true,
    );
    expect(await store.findSentMail(agreementId, key)).toMatchObject({ status: 'sent', resends: 3, attempt: winner });
  });
});
