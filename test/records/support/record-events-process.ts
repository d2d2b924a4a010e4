// A second process writing to the same records store, as the worker does while the CLI reads.
// Usage: record-events-process.ts <home> <agreementId> <events>
import { openRecordsStore } from '../../../src/records/index.ts';
import { lifecycleEvents, recordBatch } from './agreement-events.ts';

const [home, agreementId, count] = process.argv.slice(2);
if (!home || !agreementId || !count) throw new Error('usage: record-events-process.ts <home> <agreementId> <events>');

const store = await openRecordsStore({ home });
await store.migrate();
const events = lifecycleEvents(Number(count));
for (let sequence = 1; sequence <= events.length; sequence += 1) {
  await store.recordEvents(recordBatch(agreementId, events, Math.max(1, sequence - 1), sequence));
}
await store.close();
