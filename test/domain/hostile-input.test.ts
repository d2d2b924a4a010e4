import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, decide, parseAgreement, parseCommand } from '../../src/domain/index.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { agreementFacts, coordinators, notify } from '../../src/domain/index.ts';
import { phdProgramme, startedState } from '../support/agreements.ts';

const now = Date.parse('2026-11-28T12:00:00Z');
const FIELD_MESSAGE = /^([A-Za-z_$][\w$]*(\[\d+\])*(\.[A-Za-z_$][\w$]*(\[\d+\])*)*: )?\S.*$/;

/** Sets or deletes the value at a random path of a JSON document. */
function mutate(document: unknown, path: (string | number)[], value: unknown, remove: boolean): unknown {
  if (path.length === 0) return remove ? undefined : value;
  if (typeof document !== 'object' || document === null) return document;
  const [head, ...rest] = path;
  const copy = (Array.isArray(document) ? [...(document as unknown[])] : { ...document }) as Record<string, unknown>;
  const keys = Object.keys(copy);
  if (keys.length === 0) return copy;
  const key = typeof head === 'number' ? (keys[head % keys.length] ?? '') : String(head);
  const next = mutate(copy[key], rest, value, remove);
  if (next === undefined) delete copy[key];
  else copy[key] = next;
  return copy;
}

function expectOnlyFieldMessages(result: ReturnType<typeof parseAgreement>) {
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  for (const error of result.errors) {
    expect(error).toMatch(FIELD_MESSAGE);
    expect(error).not.toMatch(/\n|\bat .*\.ts:\d+/);
  }
}

describe('hostile input (fuzzed)', () => {
  it('refuses arbitrary values as agreements with messages, never a crash', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expectOnlyFieldMessages(parseAgreement(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts or refuses mutated valid agreements with a message naming the field', () => {
    const valid = phdProgramme(now);
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.nat(20),
            fc.constantFrom(
              'id',
              'title',
              'ceremony',
              'funding',
              'cohort',
              'reminders',
              'at',
              'amount',
              'email',
              'party',
            ),
          ),
        ),
        fc.jsonValue(),
        fc.boolean(),
        (path, value, remove) => {
          const result = parseAgreement(mutate(valid, path.slice(0, 5), value, remove));
          expectOnlyFieldMessages(result);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses arbitrary command arguments with messages, and the decider never throws on what it accepts', () => {
    const state = startedState(phdProgramme(now), now);
    fc.assert(
      fc.property(fc.constantFrom(...COMMAND_NAMES), fc.anything(), (name, args) => {
        const parsed = parseCommand(name, args);
        if (!parsed.ok) {
          for (const error of parsed.errors) expect(error).toMatch(FIELD_MESSAGE);
          return;
        }
        const decision = decide(state, parsed.value, now);
        if (!decision.ok) for (const error of decision.errors) expect(error).toMatch(FIELD_MESSAGE);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses absurd sizes with a clear limit before anything reaches Temporal', () => {
    const huge = parseAgreement({ ...phdProgramme(now), title: 'x'.repeat(10 * 1024 * 1024) });
    expect(huge).toEqual({ ok: false, errors: ['title: must be at most 200 characters'] });
    const candidates = Array.from({ length: 100_000 }, (_, i) => ({ name: `C${i}`, email: `c${i}@x.example` }));
    expect(parseCommand('enrol', { candidates })).toEqual({
      ok: false,
      errors: ['candidates: must list at most 10000 candidates at once'],
    });
    const party = (i: number) => ({ id: `p${i}`, name: `Party ${i}`, timezone: 'UTC' });
    expect(
      parseAgreement({ ...phdProgramme(now), parties: Array.from({ length: 51 }, (_, i) => party(i)) }),
    ).toMatchObject({
      ok: false,
      errors: expect.arrayContaining(['parties: must list at most 50 parties']),
    });
  });

  it('keeps HTML and script in every user text field inert in the email', () => {
    const script = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const document = {
      ...phdProgramme(now),
      title: `Programme ${script}`,
      summary: script,
      coordinators: [{ name: `Office ${script}`, email: 'partnerships@uob.example' }],
    };
    const state = startedState(document, now);
    const [notification] = notify('started', state.agreement.id, coordinators(state));
    const mail = renderNotification(
      { agreementId: state.agreement.id, notification: notification!, facts: agreementFacts(state) },
      { from: 'Office <a@uob.example>' },
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).toContain('&lt;script&gt;');
  });
});
