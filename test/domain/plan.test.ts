import { describe, expect, it } from 'vitest';
import {
  deferIntoWorkingHours,
  dueActions,
  markNotified,
  plan,
  type AgreementState,
  type PlannedAction,
} from '../../src/domain/index.ts';
import { phdProgramme, startedState } from '../support/agreements.ts';
import { apply } from '../support/drive.ts';

const now = Date.parse('2026-11-30T12:00:00Z'); // a Monday
const SECOND = 1000;

const reminders = {
  ceremonyNotice: ['PT30S', 'PT10S'],
  signatureChase: { every: 'PT5S', escalateAfter: 2 },
  fundingChase: { every: 'PT7S', escalateAfter: 1 },
  launchNotice: ['PT20S'],
  renewalNotice: ['PT15S'],
};

const keysOf = (actions: PlannedAction[]) =>
  actions.flatMap((a) => (a.type === 'notify' ? [a.notification.key] : [`command:${a.command.name}`]));
const at = (offsetMs: number) => now + offsetMs;

function submitted(overrides: Record<string, unknown> = {}): AgreementState {
  const state = startedState(phdProgramme(now, { ceremonyInMs: 60 * SECOND }, { reminders, ...overrides }), now);
  return apply(state, 'submit', {}, now);
}

/** Plays the planner forward as the workflow does: take what is due, mark it sent, repeat. */
function sentUntil(
  state: AgreementState,
  until: number,
): { state: AgreementState; sent: { key: string; at: number }[] } {
  const sent: { key: string; at: number }[] = [];
  for (;;) {
    const next = plan(state)[0];
    if (!next || next.at > until || next.type !== 'notify') return { state, sent };
    const { due } = dueActions(state, next.at);
    const notes = due.flatMap((a) => (a.type === 'notify' ? [a.notification] : []));
    sent.push(...notes.map((n) => ({ key: n.key, at: next.at })));
    state = markNotified(
      state,
      notes.map((n) => n.key),
    );
  }
}

describe('the reminder plan', () => {
  it('plans ceremony notices before the ceremony for unsigned signatories and coordinators', () => {
    const state = submitted();
    const first = plan(state).filter((a) => a.at === at(30 * SECOND));
    expect(keysOf(first).sort()).toEqual(
      [
        'ceremony-notice:PT30S:partnerships@uob.example',
        'ceremony-notice:PT30S:president@jitri.example',
        'ceremony-notice:PT30S:vc@uob.example',
      ].sort(),
    );
    const signed = apply(state, 'sign', { signatory: 'vc-uob' }, now);
    expect(keysOf(plan(signed))).not.toContain('ceremony-notice:PT30S:vc@uob.example');
  });

  it('chases each missing signatory after the ceremony and escalates after escalateAfter unanswered chases', () => {
    const ceremony = at(60 * SECOND);
    let state = apply(submitted(), 'sign', { signatory: 'vc-uob' }, now);
    const { sent } = sentUntil(state, ceremony + 16 * SECOND);
    const chases = sent.filter((s) => s.key.startsWith('signature-'));
    expect(chases).toEqual([
      { key: 'signature-chase:1:president@jitri.example', at: ceremony + 5 * SECOND },
      { key: 'signature-chase:2:president@jitri.example', at: ceremony + 10 * SECOND },
      { key: 'signature-chase:3:president@jitri.example', at: ceremony + 15 * SECOND },
      { key: 'signature-escalation:president-jitri:partnerships@uob.example', at: ceremony + 15 * SECOND },
    ]);
    state = apply(state, 'sign', { signatory: 'president-jitri' }, ceremony + 16 * SECOND);
    expect(keysOf(plan(state)).some((key) => key.startsWith('signature-'))).toBe(false);
  });

  it('moves ceremony notices when the ceremony is rescheduled, with new keys', () => {
    const state = apply(submitted(), 'reschedule', { at: new Date(at(120 * SECOND)).toISOString() }, at(5 * SECOND));
    const notices = plan(state).filter((a) => a.type === 'notify' && a.notification.kind === 'ceremony-notice');
    expect(new Set(notices.map((a) => a.at))).toEqual(new Set([at(90 * SECOND), at(110 * SECOND)]));
    expect(
      notices.every(
        (a) =>
          (a.type === 'notify' && a.notification.key.startsWith('ceremony-notice:PT30S-seq2:')) ||
          (a.type === 'notify' && a.notification.key.startsWith('ceremony-notice:PT10S-seq2:')),
      ),
    ).toBe(true);
  });

  it('skips a notice whose lead had already passed when the ceremony was set', () => {
    const state = startedState(phdProgramme(now, { ceremonyInMs: 20 * SECOND }, { reminders }), now);
    const submittedLate = apply(state, 'submit', {}, now);
    const leads = plan(submittedLate).flatMap((a) =>
      a.type === 'notify' && a.notification.kind === 'ceremony-notice' ? [a.notification.about.lead] : [],
    );
    expect(new Set(leads)).toEqual(new Set(['PT10S']));
  });

  it('chases funding contacts, escalates, reports overdue commitments, and stops for a confirmed one', () => {
    const due = new Date(at(3 * SECOND)).toISOString();
    let state = submitted({
      funding: {
        currency: 'GBP',
        commitments: [
          {
            id: 'jitri-phd',
            funder: 'jitri',
            amount: 100,
            dueAt: due,
            contact: { name: 'JITRI Finance', email: 'finance@jitri.example' },
          },
          {
            id: 'uob-phd',
            funder: 'uob',
            amount: 100,
            contact: { name: 'UoB Research Finance', email: 'finance@uob.example' },
          },
        ],
      },
    });
    state = apply(state, 'sign', { signatory: 'vc-uob' }, now);
    state = apply(state, 'sign', { signatory: 'president-jitri' }, now);
    expect(state.stage).toBe('funding');
    state = apply(state, 'confirmFunding', { commitment: 'uob-phd', amount: 100 }, now);
    const { sent } = sentUntil(state, at(15 * SECOND));
    expect(sent).toEqual([
      { key: 'funding-overdue:jitri-phd:finance@jitri.example', at: at(3 * SECOND) },
      { key: 'funding-overdue:jitri-phd:partnerships@uob.example', at: at(3 * SECOND) },
      { key: 'funding-chase:jitri-phd-1:finance@jitri.example', at: at(7 * SECOND) },
      { key: 'funding-chase:jitri-phd-2:finance@jitri.example', at: at(14 * SECOND) },
      { key: 'funding-escalation:jitri-phd:partnerships@uob.example', at: at(14 * SECOND) },
    ]);
  });

  it('launches automatically at launchAt when the minimum is met, and escalates instead when it is not', () => {
    const base = startedState(phdProgramme(now, { launchInMs: 40 * SECOND }, { reminders, funding: undefined }), now);
    let state = apply(base, 'submit', {}, now);
    state = apply(state, 'sign', { signatory: 'vc-uob' }, now);
    state = apply(state, 'sign', { signatory: 'president-jitri' }, now);
    expect(state.stage).toBe('cohort');
    const below = plan(state);
    expect(keysOf(below.filter((a) => a.at === at(40 * SECOND)))).toEqual([
      `launch-escalation:uob-jitri-phd-programme:partnerships@uob.example`,
    ]);
    expect(keysOf(below.filter((a) => a.at === at(20 * SECOND)))).toEqual([
      'launch-notice:PT20S:partnerships@uob.example',
    ]);
    state = apply(
      state,
      'enrol',
      {
        candidates: [
          { name: 'A', email: 'a@x.example' },
          { name: 'B', email: 'b@x.example' },
        ],
      },
      now,
    );
    expect(keysOf(plan(state).filter((a) => a.at === at(40 * SECOND)))).toEqual(['command:autoLaunch']);
  });

  it('plans renewal notices before the end of term and completion at it; renewing re-plans with new keys', () => {
    let state = startedState(
      phdProgramme(now, { termInMs: 100 * SECOND }, { reminders, funding: undefined, cohort: undefined }),
      now,
    );
    state = apply(state, 'submit', {}, now);
    state = apply(state, 'sign', { signatory: 'vc-uob' }, now);
    state = apply(state, 'sign', { signatory: 'president-jitri' }, now);
    expect(state.stage).toBe('active');
    const endsAt = new Date(at(100 * SECOND)).toISOString().replace(/[-:]|\.\d+/g, '');
    expect(keysOf(plan(state))).toEqual([
      `renewal-notice:PT15S-${endsAt}:partnerships@uob.example`,
      'command:autoComplete',
    ]);
    state = apply(state, 'renew', { until: new Date(at(200 * SECOND)).toISOString() }, at(SECOND));
    expect(plan(state).map((a) => a.at)).toEqual([at(185 * SECOND), at(200 * SECOND)]);
  });

  it('defers reminders into each recipient’s working hours, in their own timezone', () => {
    const hours = {
      start: '09:00',
      end: '17:30',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[],
    };
    // Monday 30 Nov 2026, 12:00 UTC: 12:00 in London (inside), 20:00 in Nanjing (after hours).
    expect(deferIntoWorkingHours(now, 'Europe/London', hours)).toBe(now);
    expect(new Date(deferIntoWorkingHours(now, 'Asia/Shanghai', hours)).toISOString()).toBe('2026-12-01T01:00:00.000Z');
    // Friday 4 Dec 2026, 18:00 London → Monday 09:00 London.
    expect(
      new Date(deferIntoWorkingHours(Date.parse('2026-12-04T18:00:00Z'), 'Europe/London', hours)).toISOString(),
    ).toBe('2026-12-07T09:00:00.000Z');
    // Summer time: Monday 6 Jul 2026, 07:00 UTC is 08:00 in London → 09:00 BST = 08:00 UTC.
    expect(
      new Date(deferIntoWorkingHours(Date.parse('2026-07-06T07:00:00Z'), 'Europe/London', hours)).toISOString(),
    ).toBe('2026-07-06T08:00:00.000Z');
    expect(deferIntoWorkingHours(now, 'Asia/Shanghai', undefined)).toBe(now);

    const state = submitted({ reminders: { ...reminders, workingHours: hours } });
    const notices = plan(state).filter(
      (a) => a.type === 'notify' && a.notification.kind === 'ceremony-notice' && a.notification.about.lead === 'PT30S',
    );
    const byRecipient = Object.fromEntries(
      notices.map((a) => [a.type === 'notify' ? a.notification.recipient.email : '', new Date(a.at).toISOString()]),
    );
    expect(byRecipient['vc@uob.example']).toBe(new Date(at(30 * SECOND)).toISOString());
    expect(byRecipient['president@jitri.example']).toBe('2026-12-01T01:00:00.000Z');
  });

  it('plans nothing for an agreement that has ended', () => {
    const state = apply(submitted(), 'cancel', { reason: 'no longer needed' }, now);
    expect(plan(state)).toEqual([]);
  });
});
