import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  confirmedAmount,
  decide,
  evolve,
  isFinal,
  parseCommand,
  plan,
  STAGES,
  type AgreementState,
} from '../../src/domain/index.ts';
import { phdProgramme, startedState } from '../support/agreements.ts';

const now = Date.parse('2026-11-28T12:00:00Z');
const HOUR = 3600_000;

const signatory = fc.constantFrom('vc-uob', 'president-jitri', 'dean-uob', '');
const commitment = fc.constantFrom('jitri-phd', 'uob-phd', 'other');
const email = fc.constantFrom('a@jitri.example', 'b@jitri.example', 'c@uob.example', 'd@uob.example', 'e@x.example');
const amount = fc.oneof(fc.constantFrom(1350000, 675000, 1), fc.double({ min: -10, max: 2e6, noNaN: true }));

/** Random commands, valid and invalid, as a coordinator might send them. */
const anyCommand = fc.oneof(
  fc.constant({ name: 'submit', args: {} }),
  signatory.map((s) => ({ name: 'sign', args: { signatory: s } })),
  fc.tuple(commitment, amount).map(([c, a]) => ({ name: 'confirmFunding', args: { commitment: c, amount: a } })),
  fc.tuple(email, fc.constantFrom('Li Wei', 'Amy')).map(([e, n]) => ({ name: 'enrol', args: { name: n, email: e } })),
  fc.array(email, { maxLength: 14 }).map((emails) => ({
    name: 'enrol',
    args: { candidates: emails.map((e, i) => ({ name: `Candidate ${i}`, email: e.replace('@', `${i}@`) })) },
  })),
  email.map((e) => ({ name: 'withdraw', args: { candidate: e } })),
  fc.constant({ name: 'launch', args: {} }),
  fc.constant({ name: 'complete', args: {} }),
  fc
    .integer({ min: -2, max: 60 })
    .map((d) => ({ name: 'renew', args: { until: new Date(now + d * 24 * HOUR).toISOString() } })),
  fc.constant({ name: 'cancel', args: { reason: 'no longer needed' } }),
  fc
    .integer({ min: -2, max: 60 })
    .map((d) => ({ name: 'reschedule', args: { at: new Date(now + d * 24 * HOUR).toISOString() } })),
);

const order = (state: AgreementState) => (state.stage === 'cancelled' ? Infinity : STAGES.indexOf(state.stage));

interface Step {
  before: AgreementState;
  after: AgreementState;
  accepted: boolean;
}

function run(commands: { name: string; args: unknown }[]): Step[] {
  let state = startedState(phdProgramme(now, { termInMs: 400 * 24 * HOUR }), now);
  return commands.map(({ name, args }) => {
    const before = state;
    const parsed = parseCommand(name, args);
    const decision = parsed.ok ? decide(state, parsed.value, now) : { ok: false as const, errors: parsed.errors };
    if (decision.ok) state = evolve(state, decision.value);
    return { before, after: state, accepted: decision.ok };
  });
}

describe('lifecycle invariants (property-based)', () => {
  const runs = fc.array(anyCommand, { minLength: 1, maxLength: 40 });

  it('stages only move forward, and nothing follows the end', () => {
    fc.assert(
      fc.property(runs, (commands) => {
        for (const step of run(commands)) {
          if (step.before.stage === 'cancelled') expect(step.after.stage).toBe('cancelled');
          else expect(order(step.after)).toBeGreaterThanOrEqual(order(step.before));
          if (isFinal(step.before.stage)) expect(step.accepted).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('signatures come only from listed signatories, once each', () => {
    fc.assert(
      fc.property(runs, (commands) => {
        const last = run(commands).at(-1)!.after;
        const listed = new Set(last.agreement.signatories.map((s) => s.id));
        const ids = last.signatures.map((s) => s.signatory);
        expect(ids.every((id) => listed.has(id))).toBe(true);
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: 300 },
    );
  });

  it('confirmed funding never exceeds the commitment, and enrolment never exceeds capacity', () => {
    fc.assert(
      fc.property(runs, (commands) => {
        for (const { after } of run(commands)) {
          for (const c of after.agreement.funding?.commitments ?? [])
            expect(confirmedAmount(after, c.id)).toBeLessThanOrEqual(c.amount);
          expect(after.candidates.length).toBeLessThanOrEqual(after.agreement.cohort?.capacity ?? 0);
          expect(new Set(after.candidates.map((c) => c.email)).size).toBe(after.candidates.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a rejected command produces no event and leaves the state as it was', () => {
    fc.assert(
      fc.property(runs, (commands) => {
        for (const step of run(commands)) {
          if (!step.accepted) expect(step.after).toBe(step.before);
          else expect(step.after.eventCount).toBeGreaterThan(step.before.eventCount);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('plans no notification twice, none for a signatory who signed, and nothing once ended', () => {
    fc.assert(
      fc.property(runs, (commands) => {
        for (const { after } of run(commands)) {
          const actions = plan(after);
          const keys = actions.flatMap((a) => (a.type === 'notify' ? [a.notification.key] : []));
          expect(new Set(keys).size).toBe(keys.length);
          const signed = new Set(
            after.signatures.map((s) => after.agreement.signatories.find((x) => x.id === s.signatory)?.email),
          );
          for (const action of actions) {
            if (action.type !== 'notify') continue;
            if (['ceremony-notice', 'signature-chase'].includes(action.notification.kind)) {
              expect(signed.has(action.notification.recipient.email)).toBe(false);
            }
          }
          if (isFinal(after.stage)) expect(actions).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
