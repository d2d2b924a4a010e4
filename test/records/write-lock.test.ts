import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { writeLockFor } from '../../src/records/write-lock.ts';

/** A write that logs its start and end, and finishes when told. */
function controlledWrite(name: string, log: string[]) {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    finish: () => finish(),
    write: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('the SQLite write lock', () => {
  it('runs writes one at a time, in order, and an urgent one ahead of those waiting', async () => {
    const serialize = writeLockFor(`/tmp/${randomUUID()}.db`);
    const log: string[] = [];
    const [a, b, c, urgent] = ['a', 'b', 'c', 'urgent'].map((name) => controlledWrite(name, log));
    if (!a || !b || !c || !urgent) throw new Error('missing writes');
    const results = [
      serialize(a.write),
      serialize(b.write),
      serialize(c.write),
      serialize(urgent.write, { urgent: true }),
    ];
    await settle();
    expect(log).toEqual(['start a']);
    for (const write of [a, urgent, b, c]) {
      write.finish();
      await settle();
    }
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'urgent']);
    expect(log).toEqual(['start a', 'end a', 'start urgent', 'end urgent', 'start b', 'end b', 'start c', 'end c']);
  });

  it('goes on after a write that fails, at once or later', async () => {
    const serialize = writeLockFor(`/tmp/${randomUUID()}.db`);
    const failsAtOnce = (() => {
      throw new Error('at once');
    }) as () => Promise<never>;
    await expect(serialize(failsAtOnce)).rejects.toThrow('at once');
    await expect(serialize(() => Promise.reject(new Error('later')))).rejects.toThrow('later');
    expect(await serialize(async () => 'after')).toBe('after');
  });
});
