import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agreementView,
  decide,
  evolve,
  markNotified,
  notificationsForEvent,
  parseAgreement,
  parseCommand,
  plan,
  registerRow,
  obligationsOverdue,
  withCurrentShape,
  type AgreementState,
} from '../../src/domain/index.ts';
import { phdProgramme, startedState } from '../support/agreements.ts';
import { apply, command, rejection } from '../support/drive.ts';

const now = Date.parse('2026-11-28T12:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

const APPROVALS = [
  { id: 'legal', name: 'Legal Services', email: 'contracts@uob.example', timezone: 'Europe/London' },
  { id: 'finance', name: 'Research Finance', email: 'research-finance@uob.example' },
];

function obligation(id: string, dueInMs: number, notice = ['P30D', 'P7D']) {
  return {
    id,
    title: `Annual progress report ${id}`,
    due: iso(now + dueInMs),
    owner: { name: 'JITRI Programme Office', email: 'programme@jitri.example', timezone: 'Asia/Shanghai' },
    notice,
  };
}

/** The programme with Legal and Finance approvals and two obligations, a ten-year term. */
function withApprovals(extra: Record<string, unknown> = {}) {
  return phdProgramme(
    now,
    { termInMs: 3650 * DAY },
    {
      approvals: APPROVALS,
      approvalChase: { every: 'P3D', escalateAfter: 2 },
      obligations: [obligation('report-2027', 365 * DAY), obligation('report-2028', 730 * DAY)],
      ...extra,
    },
  );
}

const errorsOf = (document: Record<string, unknown>) => {
  const parsed = parseAgreement(document);
  return parsed.ok ? [] : parsed.errors;
};

const keysOf = (state: AgreementState) =>
  plan(state).flatMap((action) => (action.type === 'notify' ? [action.notification.key] : []));

describe('approvals and obligations in the agreement file', () => {
  it('applies the chase defaults and accepts the sections', () => {
    const parsed = parseAgreement(phdProgramme(now, {}, { approvals: APPROVALS, obligations: [] }));
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    expect(parsed.value.approvalChase).toEqual({ every: { iso: 'P3D', ms: 3 * DAY }, escalateAfter: 2 });
    expect(parsed.value.obligationChase.every.iso).toBe('P7D');
    expect(parsed.value.approvals.map((a) => a.id)).toEqual(['legal', 'finance']);
  });

  it('names the field of each problem: duplicates, an obligation due after the term, unknown keys', () => {
    const document = withApprovals({
      approvals: [...APPROVALS, { id: 'legal', name: 'Legal again', email: 'CONTRACTS@uob.example' }],
      obligations: [obligation('late', 4000 * DAY), { ...obligation('late', DAY), colour: 'red' }],
    });
    const errors = errorsOf(document);
    expect(errors).toContain('approvals[2].id: duplicate id "legal"');
    expect(errors).toContain('approvals[2].email: duplicate email "contracts@uob.example"');
    expect(errors.some((e) => e.startsWith('obligations[0].due: must not be after the end of term'))).toBe(true);
    expect(errors).toContain('obligations[1]: unknown key "colour"');
    expect(errorsOf(withApprovals({ obligationChase: { every: 'soon' } }))[0]).toMatch(/^obligationChase\.every: /);
  });
});

describe('the approval stage', () => {
  const submitted = () => apply(startedState(withApprovals(), now), 'submit', {}, now);

  it('submit goes to approval and asks each approver, not the signatories', () => {
    const state = submitted();
    expect(state.stage).toBe('approval');
    expect(state.approvalRound).toBe(1);
    const decision = decide(startedState(withApprovals(), now), command('submit'), now);
    if (!decision.ok) throw new Error('rejected');
    const mail = decision.value.flatMap((event) => notificationsForEvent(evolve(state, []), event));
    expect(mail.map((n) => n.key)).toEqual([
      'approval-request:1:contracts@uob.example',
      'approval-request:1:research-finance@uob.example',
    ]);
  });

  it('the last approval moves to signing and sends the invitations', () => {
    let state = apply(submitted(), 'approve', { approver: 'legal', note: 'clause 7 fine' }, now + HOUR);
    expect(state.stage).toBe('approval');
    const decision = decide(state, command('approve', { approver: 'finance' }), now + 2 * HOUR);
    if (!decision.ok) throw new Error(decision.errors.join('; '));
    expect(decision.value.map((e) => e.type)).toEqual(['approved', 'stage-changed']);
    const mail = decision.value.flatMap((event) => {
      state = evolve(state, [event]);
      return notificationsForEvent(state, event);
    });
    expect(state.stage).toBe('signing');
    expect(state.approvedAt).toBe(iso(now + 2 * HOUR));
    expect(mail.filter((n) => n.kind === 'invitation')).toHaveLength(3);
    const view = agreementView(state);
    expect(view.approvals).toEqual([
      {
        approver: 'legal',
        name: 'Legal Services',
        email: 'contracts@uob.example',
        approvedAt: iso(now + HOUR),
        note: 'clause 7 fine',
      },
      {
        approver: 'finance',
        name: 'Research Finance',
        email: 'research-finance@uob.example',
        approvedAt: iso(now + 2 * HOUR),
      },
    ]);
    expect(registerRow(state).approvedAt).toBe(iso(now + 2 * HOUR));
  });

  it('rejects an unknown or repeated approver, and approve outside approval', () => {
    const state = apply(submitted(), 'approve', { approver: 'legal' }, now);
    expect(rejection(decide(state, command('approve', { approver: 'legal' }), now))).toBe(
      'approver: "legal" has already approved',
    );
    expect(rejection(decide(state, command('approve', { approver: 'dean' }), now))).toBe(
      'approver: unknown approver "dean" (expected one of: legal, finance)',
    );
    expect(rejection(decide(startedState(withApprovals(), now), command('approve', { approver: 'legal' }), now))).toBe(
      'approve is not allowed in stage "draft" (allowed in: approval, active)',
    );
    expect(parseCommand('requestChanges', { approver: 'legal' })).toEqual({
      ok: false,
      errors: ['reason: is required'],
    });
  });

  it('request-changes returns to draft, clears approvals, tells the coordinators; resubmitting starts a new round', () => {
    let state = apply(submitted(), 'approve', { approver: 'legal' }, now);
    const decision = decide(state, command('requestChanges', { approver: 'finance', reason: 'Budget <tbc>' }), now);
    if (!decision.ok) throw new Error(decision.errors.join('; '));
    const mail = decision.value.flatMap((event) => {
      state = evolve(state, [event]);
      return notificationsForEvent(state, event);
    });
    expect(state.stage).toBe('draft');
    expect(state.approvals).toEqual([]);
    expect(mail.map((n) => n.key)).toEqual(['changes-requested:1:partnerships@uob.example']);
    expect(mail[0]?.about).toEqual({ approver: 'finance', reason: 'Budget <tbc>' });
    expect(plan(state)).toEqual([]);

    state = apply(state, 'amend', { patch: { summary: 'Budget settled.' } }, now + HOUR);
    state = apply(state, 'submit', {}, now + HOUR);
    expect(state.approvalRound).toBe(2);
    expect(agreementView(state).approvals.every((a) => a.approvedAt === null)).toBe(true);
    expect(keysOf(state)).toContain('approval-chase:2-1:contracts@uob.example');
  });

  it('chases each missing approver every P3D, then escalates once after two chases', () => {
    let state = apply(submitted(), 'approve', { approver: 'legal' }, now);
    const first = plan(state).filter((a) => a.type === 'notify');
    expect(first.map((a) => (a.type === 'notify' ? a.notification.key : ''))).toEqual([
      'approval-chase:1-1:research-finance@uob.example',
      'approval-escalation:1-finance:partnerships@uob.example',
    ]);
    expect(first[0]?.at).toBe(now + 3 * DAY);
    expect(first[1]?.at).toBe(now + 9 * DAY);
    state = markNotified(state, ['approval-chase:1-1:research-finance@uob.example']);
    expect(plan(state)[0]?.at).toBe(now + 6 * DAY);
  });
});

describe('obligations while active', () => {
  /** The programme at active, entered at `activeAt`. */
  function active(activeAt = now, extra: Record<string, unknown> = {}): AgreementState {
    const document = withApprovals({ approvals: [], funding: undefined, cohort: undefined, ...extra });
    let state = apply(startedState(document, now), 'submit', {}, now);
    state = apply(state, 'sign', { signatory: 'vc-uob' }, activeAt);
    return apply(state, 'sign', { signatory: 'president-jitri' }, activeAt);
  }

  it('plans the notices before each due date, then the overdue chase at due and every P7D', () => {
    const state = active();
    expect(state.stage).toBe('active');
    const due = now + 365 * DAY;
    const actions = plan(state).filter(
      (a) => a.type === 'notify' && a.notification.about.obligation?.id === 'report-2027',
    );
    expect(actions.map((a) => [a.type === 'notify' ? a.notification.key : '', a.at - due])).toEqual([
      ['obligation-notice:report-2027-P30D:programme@jitri.example', -30 * DAY],
      ['obligation-notice:report-2027-P7D:programme@jitri.example', -7 * DAY],
      ['obligation-overdue:report-2027-1:programme@jitri.example', 0],
      ['obligation-overdue:report-2027-1:partnerships@uob.example', 0],
    ]);
    const after = markNotified(state, [
      'obligation-overdue:report-2027-1:programme@jitri.example',
      'obligation-overdue:report-2027-1:partnerships@uob.example',
    ]);
    const next = plan(after).find(
      (a) => a.type === 'notify' && a.notification.kind === 'obligation-overdue' && a.summary.includes('report-2027'),
    );
    expect(next?.at).toBe(due + 7 * DAY);
    expect(next?.summary).toMatch(/^obligation overdue report-2027 2/);
  });

  it('plans nothing for obligations before the agreement is active, nor after one is fulfilled', () => {
    const signing = apply(startedState(withApprovals({ approvals: [] }), now), 'submit', {}, now);
    expect(keysOf(signing).some((key) => key.startsWith('obligation-'))).toBe(false);
    const state = apply(active(), 'fulfil', { obligation: 'report-2027', reference: 'DOC-1' }, now + DAY);
    expect(keysOf(state).some((key) => key.includes('report-2027'))).toBe(false);
    expect(keysOf(state).some((key) => key.includes('report-2028'))).toBe(true);
    const view = agreementView(state, now + 800 * DAY);
    expect(view.obligations.map((o) => [o.id, o.fulfilledAt, o.overdue])).toEqual([
      ['report-2027', iso(now + DAY), false],
      ['report-2028', null, true],
    ]);
    expect(obligationsOverdue(registerRow(state), now + 800 * DAY)).toBe(1);
    expect(registerRow(state).obligationsOpen).toBe(1);
  });

  it('fulfil: unknown, repeated and outside active are rejected; the coordinators are told once', () => {
    const state = active();
    expect(rejection(decide(state, command('fulfil', { obligation: 'report-2099' }), now))).toBe(
      'obligation: unknown obligation "report-2099" (expected one of: report-2027, report-2028)',
    );
    const done = apply(state, 'fulfil', { obligation: 'report-2027' }, now);
    expect(rejection(decide(done, command('fulfil', { obligation: 'report-2027' }), now))).toBe(
      'obligation: "report-2027" is already fulfilled',
    );
    const draft = startedState(withApprovals(), now);
    expect(rejection(decide(draft, command('fulfil', { obligation: 'report-2027' }), now))).toMatch(
      /^fulfil is not allowed in stage "draft"/,
    );
    const decision = decide(state, command('fulfil', { obligation: 'report-2027', reference: 'R-9' }), now);
    if (!decision.ok) throw new Error('rejected');
    const mail = notificationsForEvent(evolve(state, decision.value), decision.value[0]!);
    expect(mail.map((n) => n.key)).toEqual(['obligation-fulfilled:report-2027:partnerships@uob.example']);
    expect(mail[0]?.about.reference).toBe('R-9');
  });

  it('add-obligation validates the new obligation by its own field names, and skips leads already past', () => {
    const state = active();
    expect(
      rejection(
        decide(state, command('addObligation', { obligation: { ...obligation('x', DAY), due: '2027-01-01' } }), now),
      ),
    ).toMatch(/^obligation\.due: must be an ISO 8601 date-time with an offset/);
    expect(
      rejection(decide(state, command('addObligation', { obligation: obligation('report-2027', DAY) }), now)),
    ).toBe('obligation.id: duplicate id "report-2027"');
    expect(
      rejection(decide(state, command('addObligation', { obligation: obligation('too-late', 4000 * DAY) }), now)),
    ).toMatch(/^obligation\.due: must not be after the end of term/);
    const added = apply(state, 'addObligation', { obligation: obligation('milestone', 10 * DAY) }, now + DAY);
    expect(added.agreement.obligations.map((o) => o.id)).toContain('milestone');
    expect((added.document.obligations as unknown[]).length).toBe(3);
    // Added 9 days before it is due: the 30-day notice had passed, the 7-day one has not.
    expect(keysOf(added).filter((key) => key.startsWith('obligation-notice:milestone'))).toEqual([
      'obligation-notice:milestone-P7D:programme@jitri.example',
    ]);
  });
});

describe('a state carried from before approvals and obligations existed', () => {
  it('is given empty approvals and obligations, and plans as before', () => {
    const state = apply(startedState(phdProgramme(now), now), 'submit', {}, now);
    const { approvals: _a, approvalRound: _r, fulfilments: _f, obligationsAddedAt: _o, ...old } = state;
    const {
      approvals: _aa,
      approvalChase: _c,
      obligations: _ob,
      obligationChase: _oc,
      ...oldAgreement
    } = state.agreement;
    const carried = { ...old, agreement: oldAgreement } as unknown as AgreementState;
    const resumed = withCurrentShape(carried);
    expect(plan(resumed)).toEqual(plan(state));
    expect(agreementView(resumed).approvals).toEqual([]);
  });
});

describe('approval invariants (property-based)', () => {
  const approver = fc.constantFrom('legal', 'finance', 'dean');
  const step = fc.oneof(
    approver.map((a) => ({ name: 'approve', args: { approver: a } })),
    approver.map((a) => ({ name: 'requestChanges', args: { approver: a, reason: 'please revise' } })),
    fc.constant({ name: 'submit', args: {} }),
    fc.constant({ name: 'amend', args: { patch: { summary: 'Revised.' } } }),
    fc.constant({ name: 'sign', args: { signatory: 'vc-uob' } }),
  );

  it('signing is reached only with every approval of the round; a rejection changes nothing', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (commands) => {
        let state = startedState(withApprovals(), now);
        for (const { name, args } of commands) {
          const parsed = parseCommand(name, args);
          if (!parsed.ok) continue;
          const decision = decide(state, parsed.value, now);
          if (!decision.ok) {
            expect(decision.errors.length).toBeGreaterThan(0);
            continue;
          }
          const before = state;
          state = evolve(state, decision.value);
          if (before.stage === 'approval' && state.stage === 'signing') {
            expect(new Set(state.approvals.map((a) => a.approver))).toEqual(new Set(['legal', 'finance']));
          }
          const approvers = state.approvals.map((a) => a.approver);
          expect(new Set(approvers).size).toBe(approvers.length);
          if (state.stage === 'draft') expect(state.approvals).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
