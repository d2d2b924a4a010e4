import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agreementView,
  decide,
  evolve,
  markNotified,
  notificationsForEvent,
  plan,
  withCurrentShape,
  type AgreementState,
} from '../../src/domain/index.ts';
import { phdProgramme, startedState } from '../support/agreements.ts';
import { apply, applyWithMail, command, rejection } from '../support/drive.ts';

const now = Date.parse('2026-11-28T12:00:00Z');
const DAY = 24 * 3600_000;
const REASON = 'Clause 7 must name both institutes as owners of the results';

const signing = () => apply(startedState(phdProgramme(now), now), 'submit', {}, now);

describe('decline (SPEC §18)', () => {
  it('sends the agreement back to draft, clears the signatures and tells the coordinators the reason', () => {
    const signed = apply(signing(), 'sign', { signatory: 'vc-uob' }, now + 1000);
    const { state, keys, events } = applyWithMail(
      signed,
      'decline',
      { signatory: 'president-jitri', reason: REASON, actor: 'president-jitri' },
      now + 2000,
    );
    expect(events.map((e) => e.type)).toEqual(['declined', 'stage-changed']);
    expect(events[1]).toMatchObject({ from: 'signing', to: 'draft', reason: 'declined', detail: REASON });
    expect(state.stage).toBe('draft');
    expect(state.signatures).toEqual([]);
    expect(agreementView(state).signatures.every((s) => s.signedAt === null)).toBe(true);
    expect(keys).toEqual(['signature-declined:r1:partnerships@uob.example']);
    const [notification] = notificationsForEvent(state, events[0]!);
    expect(notification?.about).toEqual({ signatory: 'president-jitri', reason: REASON });
    expect(plan(state)).toEqual([]);
  });

  it('refuses, with one line, an unknown or already-signed signatory and any stage but signing', () => {
    const signed = apply(signing(), 'sign', { signatory: 'vc-uob' }, now + 1000);
    expect(rejection(decide(signed, command('decline', { signatory: 'vc-uob', reason: 'no' }), now + 2000))).toBe(
      'signatory: "vc-uob" has already signed, so can no longer decline',
    );
    expect(rejection(decide(signed, command('decline', { signatory: 'dean', reason: 'no' }), now + 2000))).toBe(
      'signatory: unknown signatory "dean" (expected one of: vc-uob, president-jitri)',
    );
    const draft = startedState(phdProgramme(now), now);
    expect(rejection(decide(draft, command('decline', { signatory: 'vc-uob', reason: 'no' }), now))).toBe(
      'decline is not allowed in stage "draft" (allowed in: signing, active)',
    );
  });

  it('needs a reason', () => {
    expect(() => command('decline', { signatory: 'vc-uob' })).toThrow(/reason/);
  });

  it('starts a new signing round on resubmit: every key of round 2 carries r2, round 1 keys are unchanged', () => {
    const round1 = signing();
    expect(round1.signingRound).toBe(1);
    const round1Keys = plan(round1).flatMap((a) => (a.type === 'notify' ? [a.notification.key] : []));
    expect(round1Keys).toContain('ceremony-notice:P7D:vc@uob.example');
    expect(round1Keys).toContain('signature-chase:1:vc@uob.example');
    const declined = applyWithMail(round1, 'decline', { signatory: 'vc-uob', reason: REASON }, now + 1000).state;
    const resubmitted = applyWithMail(declined, 'submit', {}, now + 2000);
    expect(resubmitted.state.signingRound).toBe(2);
    expect(resubmitted.keys).toEqual([
      'invitation:r2:1:vc@uob.example',
      'invitation:r2:1:president@jitri.example',
      'invitation:r2:1:partnerships@uob.example',
    ]);
    const planned = plan(resubmitted.state).flatMap((a) => (a.type === 'notify' ? [a.notification.key] : []));
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.every((key) => /^[a-z-]+:r2:/.test(key))).toBe(true);
    const signed = applyWithMail(resubmitted.state, 'sign', { signatory: 'vc-uob' }, now + 3000);
    expect(signed.keys).toEqual(['signature-recorded:r2:vc-uob:partnerships@uob.example']);
  });

  it('carries a state from before decline existed into the current shape as round 1 once it has entered signing', () => {
    const { signingRound: _round, ...old } = signing();
    expect(withCurrentShape(old as AgreementState).signingRound).toBe(1);
    const { signingRound: _draftRound, ...oldDraft } = startedState(phdProgramme(now), now);
    expect(withCurrentShape(oldDraft as AgreementState).signingRound).toBe(0);
  });

  it('never issues one notification key twice, however many rounds of signing, declining and reminders', () => {
    const move = fc.oneof(
      fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ kind: fc.constant('sign' as const), who: fc.integer({ min: 0, max: 1 }) }),
      fc.record({ kind: fc.constant('decline' as const), who: fc.integer({ min: 0, max: 1 }) }),
      fc.record({ kind: fc.constant('reschedule' as const), days: fc.integer({ min: 1, max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.array(move, { minLength: 1, maxLength: 40 }), (moves) => {
        const seen = new Set<string>();
        const issue = (keys: string[]) => {
          for (const key of keys) {
            expect(seen.has(key), key).toBe(false);
            seen.add(key);
          }
        };
        let time = now;
        let state = startedState(phdProgramme(now), now);
        const ids = ['vc-uob', 'president-jitri'];
        const run = (name: string, args: unknown) => {
          const decision = decide(state, command(name, args), time);
          if (!decision.ok) return;
          for (const event of decision.value) {
            state = evolve(state, [event]);
            issue(notificationsForEvent(state, event).map((n) => n.key));
          }
        };
        for (const m of moves) {
          time += 1000;
          if (state.stage === 'draft') {
            if (Date.parse(state.agreement.ceremony?.at ?? '') <= time)
              run('reschedule', { at: new Date(time + 10 * DAY).toISOString() });
            run('submit', {});
          }
          if (m.kind === 'wait') {
            time += m.days * DAY;
            const due = plan(state).filter((a) => a.at <= time && a.type === 'notify');
            const keys = due.flatMap((a) => (a.type === 'notify' ? [a.notification.key] : []));
            issue(keys);
            state = markNotified(state, keys);
          } else if (m.kind === 'reschedule') run('reschedule', { at: new Date(time + m.days * DAY).toISOString() });
          else if (m.kind === 'sign') run('sign', { signatory: ids[m.who] });
          else run('decline', { signatory: ids[m.who], reason: 'not yet' });
        }
      }),
      { numRuns: 150 },
    );
  });
});
