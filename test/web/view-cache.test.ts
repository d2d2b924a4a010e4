import { describe, expect, it } from 'vitest';
import type { AgreementView } from '../../src/domain/view.ts';
import type { AgreementsPort } from '../../src/web/server.ts';
import { cachedViews } from '../../src/web/view-cache.ts';

/** A port whose agreement gains one event per command, counting how often Temporal would have been asked. */
function countingPort() {
  let events = 1;
  const asked: string[] = [];
  let failNext = false;
  const view = (id: string) => ({ id, events }) as unknown as AgreementView;
  const port: AgreementsPort = {
    async show(id) {
      asked.push(id);
      if (failNext) {
        failNext = false;
        throw new Error('Temporal unreachable');
      }
      return view(id);
    },
    async command(id) {
      events += 1;
      return view(id);
    },
    coordinatorEmails: async () => ['partnerships@uob.example'],
    agreementsOf: async () => [],
  };
  return {
    port,
    asked,
    failOnce: () => (failNext = true),
    changeBehindTheCache: () => (events += 1),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the web server’s view cache', () => {
  it('asks once while fresh, shows the stale view while it fetches a newer one, and asks again when too old', async () => {
    let now = 0;
    const temporal = countingPort();
    const cache = cachedViews(temporal.port, { freshMs: 2_000, staleMs: 10_000, maxEntries: 10, now: () => now });
    const [first, second] = await Promise.all([cache.show('a'), cache.show('a')]);
    expect([first.events, second.events, temporal.asked]).toEqual([1, 1, ['a']]);

    temporal.changeBehindTheCache();
    now = 1_000;
    expect((await cache.show('a')).events).toBe(1);
    now = 3_000;
    expect((await cache.show('a')).events).toBe(1); // stale, shown while the newer view is fetched
    await settle();
    expect(temporal.asked).toHaveLength(2);
    expect((await cache.show('a')).events).toBe(2);

    temporal.changeBehindTheCache();
    now = 20_000;
    expect((await cache.show('a')).events).toBe(3); // too old to show: fetched before answering
  });

  it('reads afresh when asked to, and keeps the view a command returns', async () => {
    const temporal = countingPort();
    const cache = cachedViews(temporal.port, { freshMs: 2_000, staleMs: 10_000, maxEntries: 10, now: () => 0 });
    await cache.show('a');
    temporal.changeBehindTheCache();
    expect((await cache.show('a', { fresh: true })).events).toBe(2);
    const after = await cache.command('a', 'approve', { approver: 'legal' }, { requestId: 'r1' });
    expect(after.events).toBe(3);
    expect((await cache.show('a')).events).toBe(3);
    expect(temporal.asked).toEqual(['a', 'a']);
  });

  it('keeps no failure, and holds at most maxEntries agreements', async () => {
    const temporal = countingPort();
    const cache = cachedViews(temporal.port, { freshMs: 2_000, staleMs: 10_000, maxEntries: 2, now: () => 0 });
    temporal.failOnce();
    await expect(cache.show('a')).rejects.toThrow('Temporal unreachable');
    expect((await cache.show('a')).events).toBe(1);
    await cache.show('b');
    await cache.show('c');
    temporal.asked.length = 0;
    await cache.show('a'); // the oldest, dropped for c
    await cache.show('c');
    expect(temporal.asked).toEqual(['a']);
  });
});
