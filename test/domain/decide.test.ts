import { describe, expect, it } from 'vitest';
import { decide, parseCommand, type AgreementState } from '../../src/domain/index.ts';
import { mou, phdProgramme, startedState } from '../support/agreements.ts';
import { apply, command, rejection } from '../support/drive.ts';

const now = Date.parse('2026-11-28T12:00:00Z');
const later = (ms: number) => now + ms;

function inFunding(): AgreementState {
  let state = startedState(phdProgramme(now), now);
  state = apply(state, 'submit', {}, now);
  state = apply(state, 'sign', { signatory: 'vc-uob' }, now);
  return apply(state, 'sign', { signatory: 'president-jitri' }, now);
}

function inCohort(): AgreementState {
  let state = inFunding();
  state = apply(state, 'confirmFunding', { commitment: 'jitri-phd', amount: 1350000 }, now);
  return apply(state, 'confirmFunding', { commitment: 'uob-phd', amount: 1350000 }, now);
}

describe('the decider', () => {
  it('walks the PhD programme through every stage', () => {
    let state = inCohort();
    expect(state.stage).toBe('cohort');
    state = apply(state, 'enrol', { name: 'Li Wei', email: 'li.wei@jitri.example', party: 'jitri' }, now);
    state = apply(state, 'enrol', { candidates: [{ name: 'Amy Jones', email: 'amy@uob.example' }] }, now);
    state = apply(state, 'launch', {}, now);
    expect(state.stage).toBe('active');
    state = apply(state, 'complete', {}, now);
    expect(state.stage).toBe('completed');
    expect(state.eventCount).toBe(1 + 1 + 3 + 3 + 2 + 1 + 1);
  });

  it('skips absent stages: an MoU goes from signing to active', () => {
    let state = startedState(mou(now), now);
    state = apply(state, 'submit', {}, now);
    state = apply(state, 'sign', { signatory: 'vc-uob' }, now);
    expect(state.stage).toBe('signing');
    state = apply(state, 'sign', { signatory: 'president-jitri' }, now);
    expect(state.stage).toBe('active');
  });

  it('rejects commands outside their stage, naming the allowed ones', () => {
    const draft = startedState(phdProgramme(now), now);
    expect(rejection(decide(draft, command('sign', { signatory: 'vc-uob' }), now))).toBe(
      'sign is not allowed in stage "draft" (allowed in: signing, active)',
    );
    const ended = apply(draft, 'cancel', { reason: 'withdrawn by JITRI' }, now);
    expect(rejection(decide(ended, command('amend', { patch: { title: 'x' } }), now))).toMatch(/has ended/);
  });

  it('needs a future ceremony to submit', () => {
    const past = startedState(phdProgramme(now, { ceremonyInMs: -1000 }), now);
    expect(rejection(decide(past, command('submit'), now))).toMatch(/^ceremony\.at: must be in the future/);
    const none = startedState({ ...phdProgramme(now), ceremony: undefined }, now);
    expect(rejection(decide(none, command('submit'), now))).toBe('ceremony: is required before submit');
  });

  it('rejects unknown and repeated signatories', () => {
    let state = apply(startedState(phdProgramme(now), now), 'submit', {}, now);
    expect(rejection(decide(state, command('sign', { signatory: 'dean' }), now))).toMatch(/unknown signatory "dean"/);
    state = apply(state, 'sign', { signatory: 'vc-uob' }, now);
    expect(rejection(decide(state, command('sign', { signatory: 'vc-uob' }), now))).toBe(
      'signatory: "vc-uob" has already signed',
    );
  });

  it('confirms funding in tranches and rejects over-confirmation', () => {
    let state = inFunding();
    state = apply(state, 'confirmFunding', { commitment: 'jitri-phd', amount: 500000.5, reference: 'PO-1' }, now);
    expect(state.confirmations).toEqual([
      { commitment: 'jitri-phd', tranche: 1, amount: 50000050, reference: 'PO-1', at: new Date(now).toISOString() },
    ]);
    expect(rejection(decide(state, command('confirmFunding', { commitment: 'jitri-phd', amount: 850000 }), now))).toBe(
      'amount: GBP 850,000.00 exceeds the GBP 849,999.50 still unconfirmed on "jitri-phd"',
    );
    state = apply(state, 'confirmFunding', { commitment: 'jitri-phd', amount: 849999.5 }, now);
    expect(state.stage).toBe('funding');
    expect(rejection(decide(state, command('confirmFunding', { commitment: 'jitri-phd', amount: 1 }), now))).toMatch(
      /already fully confirmed/,
    );
    expect(rejection(decide(state, command('confirmFunding', { commitment: 'nope', amount: 1 }), now))).toMatch(
      /unknown commitment "nope"/,
    );
  });

  it('enforces cohort capacity, duplicate emails and the launch minimum', () => {
    let state = inCohort();
    expect(rejection(decide(state, command('launch'), now))).toBe(
      'launch needs at least 2 enrolled candidates (0 enrolled)',
    );
    state = apply(state, 'enrol', { name: 'Li Wei', email: 'li.wei@jitri.example' }, now);
    expect(
      rejection(decide(state, command('enrol', { name: 'Li Wei again', email: 'LI.WEI@jitri.example' }), now)),
    ).toBe('email: "li.wei@jitri.example" is already enrolled');
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `Candidate ${i}`, email: `c${i}@jitri.example` }));
    expect(rejection(decide(state, command('enrol', { candidates: many }), now))).toBe(
      'cohort is full: capacity 12, 1 enrolled, 12 more requested',
    );
    expect(rejection(decide(state, command('withdraw', { candidate: 'nobody@x.example' }), now))).toMatch(
      /is not enrolled/,
    );
    state = apply(state, 'withdraw', { candidate: 'li.wei@jitri.example' }, now);
    expect(state.candidates).toEqual([]);
  });

  it('amends a draft by merge patch, re-validating, and never its id', () => {
    let state = startedState(phdProgramme(now), now);
    state = apply(state, 'amend', { patch: { title: 'Joint PhD programme (revised)', cohort: { capacity: 20 } } }, now);
    expect(state.agreement.title).toBe('Joint PhD programme (revised)');
    expect(state.agreement.cohort?.capacity).toBe(20);
    expect(state.agreement.cohort?.sites).toEqual(['Birmingham', 'Nanjing']);
    expect(rejection(decide(state, command('amend', { patch: { id: 'other-id' } }), now))).toBe(
      'id: cannot be changed by an amendment',
    );
    expect(rejection(decide(state, command('amend', { patch: { cohort: { minimum: 50 } } }), now))).toBe(
      'cohort.minimum: must not exceed capacity',
    );
    const hostile = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(parseCommand('amend', { patch: hostile })).toEqual({
      ok: false,
      errors: ['patch: key "__proto__" is not allowed'],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reschedules with a rising calendar sequence, and renews only forwards', () => {
    let state = apply(startedState(phdProgramme(now), now), 'submit', {}, now);
    const at = new Date(later(40 * 86400_000)).toISOString();
    state = apply(state, 'reschedule', { at, venue: 'Birmingham' }, now);
    expect(state.agreement.ceremony).toMatchObject({ at, venue: 'Birmingham' });
    expect(state.ceremonySequence).toBe(2);
    expect(rejection(decide(state, command('reschedule', { at: new Date(now - 1).toISOString() }), now))).toMatch(
      /^at: must be in the future/,
    );
  });

  it('will not reschedule a ceremony a draft does not have (a new one needs its timezone: amend gives it)', () => {
    const document = phdProgramme(now);
    delete document.ceremony;
    const draft = startedState(document, now);
    const at = new Date(later(40 * 86400_000)).toISOString();
    expect(rejection(decide(draft, command('reschedule', { at, venue: 'Nanjing' }), now))).toBe(
      'ceremony: there is none to reschedule yet; add one with amend (at, venue and timezone)',
    );
    const amended = apply(
      draft,
      'amend',
      { patch: { ceremony: { at, venue: 'Nanjing', timezone: 'Asia/Shanghai' } } },
      now,
    );
    expect(
      apply(amended, 'reschedule', { at: new Date(later(41 * 86400_000)).toISOString() }, now).agreement.ceremony
        ?.venue,
    ).toBe('Nanjing');
  });

  it('validates command arguments with field names', () => {
    const bad = parseCommand('confirmFunding', { commitment: 'jitri-phd', amount: 'lots' });
    expect(bad).toEqual({ ok: false, errors: ['amount: must be a number'] });
    expect(parseCommand('sign', { signatory: 'vc-uob', documentSha256: 'xyz' })).toEqual({
      ok: false,
      errors: ['documentSha256: must be 64 hexadecimal characters'],
    });
    expect(parseCommand('cancel', {})).toEqual({ ok: false, errors: ['reason: is required'] });
    expect(parseCommand('launch', { force: true })).toEqual({ ok: false, errors: ['unknown key "force"'] });
  });
});
