import { describe, expect, it } from 'vitest';
import { decide, evolve, notificationsForEvent, type AgreementState } from '../../src/domain/index.ts';
import { phdProgramme, startedState } from '../support/agreements.ts';
import { apply, command } from '../support/drive.ts';

const now = Date.parse('2026-11-28T12:00:00Z');

function inCohort(): AgreementState {
  let state = startedState(phdProgramme(now), now);
  state = apply(state, 'submit', {}, now);
  state = apply(state, 'sign', { signatory: 'vc-uob' }, now);
  state = apply(state, 'sign', { signatory: 'president-jitri' }, now);
  state = apply(state, 'confirmFunding', { commitment: 'jitri-phd', amount: 1350000 }, now);
  return apply(state, 'confirmFunding', { commitment: 'uob-phd', amount: 1350000 }, now);
}

/** The notifications the accepted command causes, as the workflow computes them. */
function mailFor(state: AgreementState, name: string, args: unknown) {
  const decision = decide(state, command(name, args), now);
  if (!decision.ok) throw new Error(decision.errors.join('; '));
  let after = state;
  return decision.value.flatMap((event) => {
    after = evolve(after, [event]);
    return notificationsForEvent(after, event);
  });
}

describe('who is mailed for an event', () => {
  it('labels each enrolled candidate by place in the cohort (the label is what the Temporal UI shows)', () => {
    let state = apply(inCohort(), 'enrol', { name: 'Li Wei', email: 'li.wei@jitri.example', party: 'jitri' }, now);
    const second = mailFor(state, 'enrol', { name: 'Amy Jones', email: 'amy@uob.example' });
    expect(second.map((n) => [n.kind, n.recipient.email, n.recipient.label])).toEqual([
      ['enrolled', 'amy@uob.example', 'candidate 2'],
    ]);
    state = apply(state, 'enrol', { name: 'Amy Jones', email: 'amy@uob.example' }, now);
    const welcome = mailFor(state, 'launch', {}).filter((n) => n.kind === 'welcome');
    expect(welcome.map((n) => n.recipient.label)).toEqual(['candidate 1', 'candidate 2']);
  });
});
