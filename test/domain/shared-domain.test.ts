// The worker loads src/domain and zod once per workflow thread and shares them between workflows
// (SHARED_WORKFLOW_MODULES), after deep-freezing every module loaded that way, as the SDK's reusable V8 context does.
// This file freezes them the same way (each test file runs in its own process) and then uses the domain as a workflow
// would: anything that still writes into a shared object — a schema exported instead of kept in a closure, a zod
// pattern shared with zod — fails here instead of failing workflow tasks in production.
import * as zod from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import * as domain from '../../src/domain/index.ts';
import { COMMAND_NAMES, decide, evolve, parseAgreement, parseCommand, plan } from '../../src/domain/index.ts';
import { phdProgramme, startedState } from '../support/agreements.ts';

/** Object.freeze, recursively through own properties, as @temporalio/worker's reusable VM does to shared modules. */
function deepFreeze(value: unknown, visited = new WeakSet<object>()): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return;
  if (visited.has(value) || Object.isFrozen(value)) return;
  visited.add(value);
  if (typeof value === 'object') {
    for (const key of Reflect.ownKeys(value)) {
      try {
        deepFreeze((value as Record<PropertyKey, unknown>)[key], visited);
      } catch {
        // Some objects cannot be frozen (typed arrays); the SDK skips them too.
      }
    }
  }
  try {
    Object.freeze(value);
  } catch {
    // ES module namespaces (zod's nested ones) cannot be frozen; webpack's module objects, which the SDK freezes, can.
  }
}

const now = Date.parse('2026-11-28T12:00:00Z');

const invalidArguments: Record<string, unknown> = {
  amend: JSON.parse('{"patch": {"__proto__": {"polluted": true}}}') as unknown,
  submit: { extra: true },
  reschedule: { at: '2027-01-15T10:00:00' },
  sign: { signatory: 'VC UOB', documentSha256: 'xyz' },
  confirmFunding: { commitment: 'jitri-phd', amount: -5 },
  enrol: { name: '', email: 'not-an-email' },
  withdraw: { candidate: 'nobody' },
  launch: { actor: 'a\nb' },
  renew: { until: 'soon' },
  complete: [],
  cancel: { reason: 'x'.repeat(5000) },
};

describe('src/domain shared between workflows, frozen as the worker freezes it', () => {
  beforeAll(() => {
    // Object.values<unknown>: inferring the union of both namespaces' value types crashes TypeScript 7.0's checker.
    for (const value of [...Object.values<unknown>(domain), ...Object.values<unknown>(zod)]) deepFreeze(value);
    expect(Object.isFrozen(zod.regexes.email)).toBe(true);
  });

  it('validates agreements, good and bad, with messages naming the field', () => {
    expect(parseAgreement(phdProgramme(now)).ok).toBe(true);
    const bad = parseAgreement({
      ...phdProgramme(now),
      coordinators: [{ name: 'Office', email: 'office@' }],
      ceremony: { at: 'tomorrow', venue: '', timezone: 'Mars/Olympus' },
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.join('\n')).toMatch(/coordinators\[0\]\.email/);
      expect(bad.errors.join('\n')).toMatch(/ceremony\.timezone: unknown timezone/);
    }
  });

  it('parses every command, good and bad, and decides on it', () => {
    const state = startedState(phdProgramme(now), now);
    for (const name of COMMAND_NAMES) {
      const rejected = parseCommand(name, invalidArguments[name]);
      expect(rejected.ok, name).toBe(false);
    }
    const submit = parseCommand('submit', {});
    expect(submit.ok).toBe(true);
    if (!submit.ok) return;
    const decision = decide(state, submit.value, now);
    expect(decision.ok).toBe(true);
    if (decision.ok) expect(plan(evolve(state, decision.value)).length).toBeGreaterThan(0);
  });
});
