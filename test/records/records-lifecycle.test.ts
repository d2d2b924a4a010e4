import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordsClient } from '../../src/client/records-client.ts';
import { formatRegister } from '../../src/client/records-format.ts';
import { phdProgramme } from '../support/agreements.ts';
import { eventually, startTestStack, type TestStack } from '../support/worker.ts';
import { parseCsv } from './support/parse-csv.ts';
import { ThrowawayPostgresDatabases } from './support/postgres-databases.ts';

const databases = new ThrowawayPostgresDatabases(`lifecycle_test_${randomBytes(4).toString('hex')}`);
afterAll(async () => {
  await databases.dropAll();
});

const backends: [string, () => Promise<Record<string, string>>][] = [
  ['SQLite', async () => ({})],
  ['PostgreSQL', async () => ({ RECORDS_URL: await databases.create() })],
];

describe.each(backends)('records of a full lifecycle on %s', (_name, environment) => {
  it('keeps one audit row per accepted event, none for rejected ones, and a register that exports to CSV', async () => {
    const stack: TestStack = await startTestStack(await environment());
    try {
      const id = `records-${randomBytes(4).toString('hex')}`;
      const title = 'Joint "PhD", Birmingham & Nanjing';
      const { client } = stack;
      await client.start({ ...phdProgramme(Date.now()), id, title });
      await client.command(id, 'submit', {});
      await client.command(id, 'sign', { signatory: 'vc-uob' });
      await expect(client.command(id, 'sign', { signatory: 'vc-uob' })).rejects.toThrow(/already signed/);
      await client.command(id, 'sign', { signatory: 'president-jitri' });
      await client.command(id, 'confirmFunding', { commitment: 'jitri-phd', amount: 1350000 });
      await expect(client.command(id, 'confirmFunding', { commitment: 'uob-phd', amount: 9e6 })).rejects.toThrow(
        /exceeds/,
      );
      await client.command(id, 'confirmFunding', { commitment: 'uob-phd', amount: 1350000.25 - 0.25 });
      await client.command(id, 'enrol', {
        candidates: [
          { name: 'A', email: 'a@x.example' },
          { name: 'B', email: 'b@x.example' },
        ],
      });
      await client.command(id, 'launch', {});
      await client.command(id, 'complete', {});
      const final = await client.result(id);

      const records = await RecordsClient.open(stack.config);
      try {
        const trail = await eventually(async () => {
          const rows = await records.history(id).catch(() => []);
          return rows.length >= final.events ? rows : undefined;
        });
        expect(trail.map((row) => row.sequence)).toEqual(Array.from({ length: final.events }, (_, i) => i + 1));
        expect(trail.filter((row) => row.type === 'signed')).toHaveLength(2);
        const register = await eventually(async () => {
          const rows = await records.register({ stage: 'completed' });
          return rows.some((row) => row.id === id) ? rows : undefined;
        });
        const csv = parseCsv(formatRegister(register, 'csv'));
        const header = csv[0] ?? [];
        const row = csv.find((cells) => cells[header.indexOf('id')] === id) ?? [];
        expect(row[header.indexOf('title')]).toBe(title);
        expect(row[header.indexOf('stage')]).toBe('completed');
        await expect(records.history('no-such-agreement')).rejects.toThrow(/has no records/);
      } finally {
        await records.close();
      }
    } finally {
      await stack.stop();
    }
  });
});
