import { describe, expect, it } from 'vitest';
import {
  agreementView,
  buildDigests,
  decide,
  digestSnapshot,
  evolve,
  notificationsForEvent,
  parseAgreement,
  plan,
  type AgreementState,
} from '../../src/domain/index.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { phdProgramme, startedState } from '../support/agreements.ts';
import { apply, command, rejection } from '../support/drive.ts';

const now = Date.parse('2026-11-28T12:00:00Z');
const DAY = 24 * 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const APPROVALS = [
  { id: 'legal', name: 'Legal Services', email: 'contracts@uob.example', timezone: 'Europe/London' },
  { id: 'finance', name: 'Research Finance', email: 'research-finance@uob.example' },
];

/** The programme with a ceremony in 30 days, Legal and Finance's approval, and both deadlines. */
function withDeadlines(deadlines: Record<string, unknown> = { approval: 'P21D', signing: 'P45D' }, extra = {}) {
  return phdProgramme(now, {}, { approvals: APPROVALS, deadlines, ...extra });
}

const inApproval = (document = withDeadlines()) => apply(startedState(document, now), 'submit', {}, now);
const inSigning = () => {
  const approved = apply(inApproval(), 'approve', { approver: 'legal' }, now + DAY);
  return apply(approved, 'approve', { approver: 'finance' }, now + 2 * DAY);
};

const warnings = (state: AgreementState) =>
  plan(state).flatMap((a) => (a.type === 'notify' && a.notification.kind === 'deadline-warning' ? [a] : []));
const deadlineCommand = (state: AgreementState) =>
  plan(state).find((a) => a.type === 'command' && a.command.name === 'deadlinePassed');

describe('deadlines in the agreement file', () => {
  it('accepts approval and signing durations, and rejects unknown keys', () => {
    const parsed = parseAgreement(withDeadlines({ approval: 'P21D', signing: '45d' }));
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    expect(parsed.value.deadlines?.signing?.ms).toBe(45 * DAY);
    const bad = parseAgreement(withDeadlines({ funding: 'P7D' }));
    expect(bad.ok ? [] : bad.errors).toEqual(['deadlines: unknown key "funding"']);
  });
});

describe('the approval deadline', () => {
  it('is counted from entering approval: warnings a week and a day ahead, then cancellation, all planned', () => {
    const state = inApproval();
    const deadline = now + 21 * DAY;
    expect(agreementView(state).deadline).toEqual({ stage: 'approval', at: iso(deadline) });
    expect(deadlineCommand(state)?.at).toBe(deadline);
    const keys = warnings(state).map((a) => a.notification.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'deadline-warning:approval-1-P7D-20261219T120000Z:contracts@uob.example',
        'deadline-warning:approval-1-P7D-20261219T120000Z:research-finance@uob.example',
        'deadline-warning:approval-1-P7D-20261219T120000Z:partnerships@uob.example',
        'deadline-warning:approval-1-P1D-20261219T120000Z:partnerships@uob.example',
      ]),
    );
    expect(keys).toHaveLength(6);
  });

  it('warns only those still to act, besides the coordinators', () => {
    const state = apply(inApproval(), 'approve', { approver: 'legal' }, now + DAY);
    const recipients = new Set(warnings(state).map((a) => a.notification.recipient.email));
    expect([...recipients].sort()).toEqual(['partnerships@uob.example', 'research-finance@uob.example']);
  });

  it('cancels the agreement at the deadline with the reason "approval deadline passed"', () => {
    const state = inApproval();
    expect(rejection(decide(state, { name: 'deadlinePassed' }, now + 20 * DAY))).toBe(
      'the approval deadline has not passed',
    );
    const decision = decide(state, { name: 'deadlinePassed' }, now + 21 * DAY);
    if (!decision.ok) throw new Error(decision.errors.join('; '));
    const cancelled = evolve(state, decision.value);
    expect(cancelled.stage).toBe('cancelled');
    expect(cancelled.cancelReason).toBe('approval deadline passed');
    expect(decision.value[0]).toMatchObject({ reason: 'deadline-passed', actor: 'system' });
    const mail = notificationsForEvent(cancelled, decision.value[0]!);
    expect(mail.map((n) => n.kind)).toContain('cancelled');
    expect(mail[0]?.about.reason).toBe('approval deadline passed');
  });
});

describe('the signing deadline', () => {
  it('is counted from the ceremony time and moves with it', () => {
    const state = inSigning();
    const ceremonyAt = Date.parse(state.agreement.ceremony!.at);
    expect(agreementView(state).deadline).toEqual({ stage: 'signing', at: iso(ceremonyAt + 45 * DAY) });
    const moved = apply(state, 'reschedule', { at: iso(ceremonyAt + 10 * DAY) }, now + 3 * DAY);
    expect(deadlineCommand(moved)?.at).toBe(ceremonyAt + 55 * DAY);
    // Warnings go to the signatories still to sign and the coordinators.
    const signed = apply(moved, 'sign', { signatory: 'vc-uob' }, now + 4 * DAY);
    const recipients = new Set(warnings(signed).map((a) => a.notification.recipient.email));
    expect([...recipients].sort()).toEqual(['partnerships@uob.example', 'president@jitri.example']);
  });

  it('is not planned without `deadlines`, nor outside approval and signing', () => {
    const state = apply(startedState(phdProgramme(now), now), 'submit', {}, now);
    expect(deadlineCommand(state)).toBeUndefined();
    expect(agreementView(state).deadline).toBeNull();
    expect(agreementView(startedState(withDeadlines(), now)).deadline).toBeNull();
  });
});

describe('extend', () => {
  it('moves the current stage’s deadline and warns again for the new one; the next stage starts afresh', () => {
    const state = inApproval();
    const until = now + 40 * DAY;
    const extended = apply(state, 'extend', { until: iso(until) }, now + 15 * DAY);
    expect(agreementView(extended).deadline).toEqual({ stage: 'approval', at: iso(until) });
    expect(deadlineCommand(extended)?.at).toBe(until);
    expect(warnings(extended).every((a) => a.notification.key.includes('-20270107T120000Z:'))).toBe(true);
    expect(warnings(extended)).not.toHaveLength(0);
    const signing = apply(
      apply(extended, 'approve', { approver: 'legal' }, now + 16 * DAY),
      'approve',
      { approver: 'finance' },
      now + 16 * DAY,
    );
    const ceremonyAt = Date.parse(signing.agreement.ceremony!.at);
    expect(agreementView(signing).deadline).toEqual({ stage: 'signing', at: iso(ceremonyAt + 45 * DAY) });
  });

  it('is refused outside approval and signing, without a deadline, for a time not in the future, and for a signatory', () => {
    const draft = startedState(withDeadlines(), now);
    expect(rejection(decide(draft, command('extend', { until: iso(now + DAY) }), now))).toBe(
      'extend is not allowed in stage "draft" (allowed in: approval, signing)',
    );
    const noSigningDeadline = inApproval(withDeadlines({ approval: 'P21D' }));
    const signing = apply(
      apply(noSigningDeadline, 'approve', { approver: 'legal' }, now),
      'approve',
      { approver: 'finance' },
      now,
    );
    expect(rejection(decide(signing, command('extend', { until: iso(now + DAY) }), now))).toBe(
      'deadlines.signing: the agreement has no signing deadline to extend',
    );
    const state = inApproval();
    expect(rejection(decide(state, command('extend', { until: iso(now - DAY) }), now))).toBe(
      `until: must be in the future (got ${iso(now - DAY)})`,
    );
    expect(rejection(decide(state, command('extend', { until: iso(now + 60 * DAY), actor: 'legal' }), now))).toBe(
      'extend: only a coordinator may move a deadline (legal is not one)',
    );
  });
});

describe('deadlines in the weekly digest', () => {
  it('lists the deadline falling due in the week, once, beside its warning', () => {
    const state = inSigning();
    const deadline = Date.parse(agreementView(state).deadline!.at);
    const at = deadline - 3 * DAY;
    const window = { since: iso(at - 7 * DAY), now: iso(at), until: iso(at + 7 * DAY) };
    const [mail] = buildDigests([digestSnapshot(state, at)], new Map(), window, iso(at).slice(0, 10));
    const due = mail?.digest.agreements[0]?.due ?? [];
    expect(due.filter((item) => item.what === 'deadline')).toEqual([
      { what: 'deadline', at: iso(deadline), stage: 'signing' },
    ]);
    expect(due.some((item) => item.what === 'reminder' && item.kind === 'deadline-warning')).toBe(true);
    const text = renderNotification(mail!, { from: 'agreements@uob.example' }).text;
    expect(text).toContain('signing deadline: cancelled if not complete by then');
  });
});
