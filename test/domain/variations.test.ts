import { describe, expect, it } from 'vitest';
import {
  agreementView,
  certificateFor,
  decide,
  markNotified,
  plan,
  type AgreementState,
} from '../../src/domain/index.ts';
import { mou, phdProgramme, startedState } from '../support/agreements.ts';
import { ANNEX, TEXT_V1, TEXT_V2, addJitriFund, documents } from '../support/documents.ts';
import { apply, applyWithMail, command, rejection } from '../support/drive.ts';

const now = Date.parse('2026-11-28T12:00:00Z');
const DAY = 24 * 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const APPROVALS = [
  { id: 'legal', name: 'Legal Services', email: 'contracts@uob.example' },
  { id: 'finance', name: 'Research Finance', email: 'research-finance@uob.example' },
];
const HASHES = [TEXT_V1, ANNEX];

/** The MoU with approvers and documents, approved and signed: active, with nothing to fund. */
function activeMou(extra: Record<string, unknown> = {}): AgreementState {
  let state = startedState(
    { ...mou(now), approvals: APPROVALS, documents, term: { endsAt: iso(now + 900 * DAY) }, ...extra },
    now,
  );
  state = apply(state, 'submit', {}, now);
  for (const approver of state.agreement.approvals) state = apply(state, 'approve', { approver: approver.id }, now);
  state = apply(state, 'sign', { signatory: 'vc-uob', documentSha256: HASHES }, now);
  state = apply(state, 'sign', { signatory: 'president-jitri', documentSha256: HASHES }, now);
  expect(state.stage).toBe('active');
  return state;
}

/** A fund from JITRI the MoU did not have, and the text's second version. */
const fundAndText = {
  ...addJitriFund,
  documents: [{ ...documents[0], sha256: TEXT_V2 }, documents[1]],
};

const later = now + DAY;

describe('variations (SPEC 18)', () => {
  it('go to the approvers, then the signatories, and apply when the last signs, while the agreement stays active', () => {
    let state = activeMou();
    const proposed = applyWithMail(state, 'vary', { patch: fundAndText, reason: 'the £2.7m joint fund' }, later);
    state = proposed.state;
    expect(proposed.events.map((e) => e.type)).toEqual(['variation-proposed']);
    expect(proposed.keys).toEqual([
      'variation-request:v1:contracts@uob.example',
      'variation-request:v1:research-finance@uob.example',
    ]);
    expect(proposed.mail[0]?.about.variation).toEqual({
      id: 'v1',
      reason: 'the £2.7m joint fund',
      changes: ['funding.currency', 'funding.commitments', 'documents'],
    });
    expect(state.stage).toBe('active');
    expect(state.agreement.funding).toBeUndefined();

    state = apply(state, 'approve', { approver: 'legal', variation: 'v1' }, later);
    const approved = applyWithMail(state, 'approve', { approver: 'finance', variation: 'v1' }, later);
    state = approved.state;
    expect(approved.events.map((e) => e.type)).toEqual(['variation-approved', 'variation-status-changed']);
    expect(approved.mail.map((n) => [n.kind, n.recipient.label])).toEqual([
      ['variation-invitation', 'vc-uob'],
      ['variation-invitation', 'president-jitri'],
    ]);
    expect(approved.keys.every((key) => key.startsWith('variation-invitation:v1:'))).toBe(true);

    // The text's version before the variation is stale for the variation's signature.
    const stale = decide(
      state,
      command('sign', { signatory: 'vc-uob', variation: 'v1', documentSha256: HASHES }),
      later,
    );
    expect(rejection(stale)).toContain('"agreement-text" (Memorandum of understanding)');
    state = apply(state, 'sign', { signatory: 'vc-uob', variation: 'v1', documentSha256: [TEXT_V2, ANNEX] }, later);
    expect(agreementView(state).variations[0]?.status).toBe('signing');
    const applied = applyWithMail(
      state,
      'sign',
      { signatory: 'president-jitri', variation: 'v1', documentSha256: [TEXT_V2, ANNEX] },
      later,
    );
    state = applied.state;
    expect(applied.events.map((e) => e.type)).toEqual(['variation-signed', 'variation-status-changed']);
    expect(state.stage).toBe('active');
    expect(state.agreement.funding?.commitments.map((c) => c.id)).toEqual(['jitri-fund']);
    expect(state.agreement.documents[0]?.sha256).toBe(TEXT_V2);
    const kinds = applied.mail.map((n) => n.kind);
    expect(kinds).toContain('variation-applied');
    expect(kinds).toContain('completion-certificate');
    expect(applied.keys).toContain('funding-request:v1-jitri-fund:finance@jitri.example');

    const view = agreementView(state).variations;
    expect(view).toHaveLength(1);
    expect(view[0]).toMatchObject({ id: 'v1', status: 'applied', reason: 'the £2.7m joint fund' });
    expect(view[0]?.signatures.every((s) => s.signedAt !== null)).toBe(true);
    expect(view[0]?.approvals.map((a) => a.approver)).toEqual(['legal', 'finance']);
    // The agreement's own signatures stand as they were.
    expect(state.signatures.map((s) => s.documents?.[0]?.sha256)).toEqual([TEXT_V1, TEXT_V1]);

    const certificate = certificateFor(state, applied.events[1]!);
    expect(certificate?.variation).toEqual({ id: 'v1', reason: 'the £2.7m joint fund', proposedSequence: 9 });
    expect(certificate?.documents.map((d) => d.sha256)).toEqual([TEXT_V2, ANNEX]);
    expect(certificate?.signatures.map((s) => s.signatory)).toEqual(['vc-uob', 'president-jitri']);
    expect(certificate?.approvals.map((a) => a.approver)).toEqual(['legal', 'finance']);

    // The new commitment is chased like any other, from the moment the variation applied, until it is confirmed.
    const every = state.agreement.reminders.fundingChase.every.ms;
    const chase = plan(state).find((a) => a.type === 'notify' && a.notification.kind === 'funding-chase');
    expect(chase?.at).toBe(later + every);
    expect(chase?.type === 'notify' && chase.notification.key).toBe(
      'funding-chase:v1-jitri-fund-1:finance@jitri.example',
    );
    expect(chase?.type === 'notify' && chase.notification.about.variation?.id).toBe('v1');
    const paid = applyWithMail(state, 'confirmFunding', { commitment: 'jitri-fund', amount: 2700000 }, later);
    expect(paid.state.stage).toBe('active');
    expect(paid.events.map((e) => e.type)).toEqual(['funding-confirmed']);
    const left = plan(paid.state).filter((a) => a.type === 'notify' && a.notification.kind.startsWith('funding'));
    expect(left.map((a) => a.summary)).toEqual([]);
  });

  it('go straight to the signatories of an agreement without approvers, and chase those still to sign', () => {
    let state = activeMou({ approvals: [] });
    const proposed = applyWithMail(
      state,
      'vary',
      { patch: { term: { endsAt: iso(now + 1200 * DAY) } }, reason: 'three more years' },
      later,
    );
    state = proposed.state;
    expect(proposed.mail.map((n) => n.kind)).toEqual(['variation-invitation', 'variation-invitation']);
    state = apply(state, 'sign', { signatory: 'vc-uob', variation: 'v1', documentSha256: HASHES }, later);
    const every = state.agreement.reminders.signatureChase.every.ms;
    const chases = plan(state).filter((a) => a.type === 'notify' && a.notification.kind === 'variation-invitation');
    expect(chases.map((a) => (a.type === 'notify' ? a.notification.key : ''))).toEqual([
      'variation-invitation:v1-1:president@jitri.example',
    ]);
    expect(chases[0]?.at).toBeGreaterThanOrEqual(later + every);
    state = markNotified(state, ['variation-invitation:v1-1:president@jitri.example']);
    const next = plan(state).find((a) => a.type === 'notify' && a.notification.kind === 'variation-invitation');
    expect(next?.type === 'notify' && next.notification.about.chase).toBe(2);
    // While the variation changes the term, renew would be undone when it applies.
    expect(rejection(decide(state, command('renew', { until: iso(now + 2000 * DAY) }), later))).toBe(
      'variation "v1" changes this too and would undo it when it applies; see it through or withdraw it first',
    );
    // A change the variation leaves alone goes ahead while it is open.
    const report = {
      id: 'report-2027',
      title: 'Joint annual report',
      due: iso(now + 365 * DAY),
      owner: { name: 'JITRI Programme Office', email: 'programme@jitri.example' },
    };
    expect(decide(state, command('addObligation', { obligation: report }), later).ok).toBe(true);
    state = apply(state, 'sign', { signatory: 'president-jitri', variation: 'v1', documentSha256: HASHES }, later);
    expect(state.agreement.term?.endsAt).toBe(iso(now + 1200 * DAY));
    expect(state.termSetAt).toBe(iso(later));
  });

  it('track an obligation a variation adds from the moment it applies', () => {
    let state = activeMou({ approvals: [] });
    const obligation = {
      id: 'report-2027',
      title: 'Joint annual report',
      due: iso(now + 365 * DAY),
      owner: { name: 'JITRI Programme Office', email: 'programme@jitri.example' },
      notice: ['P30D'],
    };
    state = apply(state, 'vary', { patch: { obligations: [obligation] }, reason: 'annual report' }, later);
    // The variation lists the obligations whole: one added meanwhile would be dropped when it applies.
    const another = { ...obligation, id: 'audit-2027', title: 'Audit' };
    expect(rejection(decide(state, command('addObligation', { obligation: another }), later))).toBe(
      'variation "v1" changes this too and would undo it when it applies; see it through or withdraw it first',
    );
    state = apply(state, 'sign', { signatory: 'vc-uob', variation: 'v1', documentSha256: HASHES }, later);
    state = apply(state, 'sign', { signatory: 'president-jitri', variation: 'v1', documentSha256: HASHES }, later);
    expect(state.obligationsAddedAt['report-2027']).toBe(iso(later));
    const notice = plan(state).find((a) => a.type === 'notify' && a.notification.kind === 'obligation-notice');
    expect(notice?.type === 'notify' && notice.notification.key).toBe(
      'obligation-notice:report-2027-P30D:programme@jitri.example',
    );
  });

  it('keep an open variation applicable: a change that would break it is refused, naming it', () => {
    let state = activeMou({ approvals: [] });
    state = apply(state, 'vary', { patch: { term: { endsAt: iso(now + 400 * DAY) } }, reason: 'shorter' }, later);
    const obligation = {
      id: 'late-report',
      title: 'Late report',
      due: iso(now + 800 * DAY),
      owner: { name: 'JITRI Programme Office', email: 'programme@jitri.example' },
    };
    expect(rejection(decide(state, command('addObligation', { obligation }), later))).toBe(
      `obligation.due: must not be after the end of term (${iso(now + 400 * DAY)}) (once variation "v1" applies)`,
    );
  });

  it('show an applied variation with the document versions its signatures bound, not later ones', () => {
    let state = activeMou({ approvals: [] });
    const sign = (variation: string, hashes: string[]) => {
      state = apply(state, 'sign', { signatory: 'vc-uob', variation, documentSha256: hashes }, later);
      state = apply(state, 'sign', { signatory: 'president-jitri', variation, documentSha256: hashes }, later);
    };
    state = apply(state, 'vary', { patch: { documents: fundAndText.documents }, reason: 'text v2' }, later);
    sign('v1', [TEXT_V2, ANNEX]);
    const third = 'd4'.repeat(32);
    state = apply(
      state,
      'vary',
      { patch: { documents: [{ ...documents[0], sha256: third }, documents[1]] }, reason: 'text v3' },
      later,
    );
    expect(agreementView(state).variations.map((v) => v.documents[0]?.sha256)).toEqual([TEXT_V2, third]);
    sign('v2', [third, ANNEX]);
    expect(agreementView(state).variations.map((v) => v.documents[0]?.sha256)).toEqual([TEXT_V2, third]);
    expect(agreementView(state).variations[0]?.documents[0]?.title).toBe('Memorandum of understanding');
  });

  it('may be withdrawn while open; the next one is v2', () => {
    let state = activeMou();
    state = apply(state, 'vary', { patch: fundAndText, reason: 'fund' }, later);
    state = apply(state, 'withdrawVariation', { variation: 'v1', reason: 'terms not agreed' }, later);
    expect(agreementView(state).variations[0]).toMatchObject({
      status: 'withdrawn',
      withdrawnReason: 'terms not agreed',
    });
    expect(plan(state).some((a) => a.type === 'notify' && a.notification.kind.startsWith('variation'))).toBe(false);
    expect(rejection(decide(state, command('approve', { approver: 'legal', variation: 'v1' }), later))).toBe(
      'variation: "v1" is withdrawn, not awaiting approval',
    );
    expect(rejection(decide(state, command('withdrawVariation', { variation: 'v1' }), later))).toBe(
      'variation: "v1" is withdrawn and cannot be withdrawn',
    );
    state = apply(state, 'vary', { patch: fundAndText, reason: 'fund, again' }, later);
    expect(state.variations?.map((v) => v.id)).toEqual(['v1', 'v2']);
  });

  it('tell those asked when a variation is withdrawn, and go with the agreement when it ends', () => {
    let state = activeMou();
    state = apply(state, 'vary', { patch: fundAndText, reason: 'fund' }, later);
    const withdrawn = applyWithMail(state, 'withdrawVariation', { variation: 'v1', reason: 'not this year' }, later);
    expect(withdrawn.mail.map((n) => [n.kind, n.recipient.label])).toEqual([
      ['variation-withdrawn', 'coordinator 1'],
      ['variation-withdrawn', 'legal'],
      ['variation-withdrawn', 'finance'],
    ]);
    expect(withdrawn.mail[0]?.about.reason).toBe('not this year');
    state = apply(withdrawn.state, 'vary', { patch: fundAndText, reason: 'fund, again' }, later);
    const cancelled = applyWithMail(state, 'cancel', { reason: 'the partnership ended' }, later);
    expect(cancelled.events.map((e) => e.type)).toEqual(['variation-status-changed', 'stage-changed']);
    expect(agreementView(cancelled.state).variations[1]).toMatchObject({
      status: 'withdrawn',
      withdrawnReason: 'the agreement was cancelled: the partnership ended',
    });
    expect(cancelled.keys).toContain('variation-withdrawn:v2:contracts@uob.example');
  });

  it('may be sent back by an approver or declined by a signatory: withdrawn with their reason', () => {
    let state = activeMou();
    state = apply(state, 'vary', { patch: fundAndText, reason: 'fund' }, later);
    state = apply(state, 'approve', { approver: 'legal', variation: 'v1' }, later);
    expect(
      rejection(decide(state, command('requestChanges', { approver: 'legal', variation: 'v1', reason: 'r' }), later)),
    ).toBe('approver: "legal" has already approved variation "v1", so can no longer ask for changes');
    const sentBack = applyWithMail(
      state,
      'requestChanges',
      { approver: 'finance', variation: 'v1', reason: 'the amount' },
      later,
    );
    expect(agreementView(sentBack.state).variations[0]).toMatchObject({
      status: 'withdrawn',
      withdrawnReason: 'changes requested by Research Finance: the amount',
    });
    expect(sentBack.state.stage).toBe('active');
    expect(sentBack.keys).toContain('variation-withdrawn:v1:partnerships@uob.example');
    state = apply(sentBack.state, 'vary', { patch: fundAndText, reason: 'fund, smaller' }, later);
    state = apply(state, 'approve', { approver: 'legal', variation: 'v2' }, later);
    state = apply(state, 'approve', { approver: 'finance', variation: 'v2' }, later);
    const declined = apply(
      state,
      'decline',
      { signatory: 'president-jitri', variation: 'v2', reason: 'clause 9' },
      later,
    );
    expect(agreementView(declined).variations[1]?.withdrawnReason).toMatch(/^declined by .+: clause 9$/);
    expect(declined.signatures).toHaveLength(2);
    expect(rejection(decide(state, command('decline', { signatory: 'vc-uob', reason: 'r' }), later))).toBe(
      'variation: the agreement is active; name the variation to decline (--variation)',
    );
  });

  it('refuse what a variation may not do, each with one line and nothing written', () => {
    const active = activeMou();
    const refuse = (state: AgreementState, name: string, args: unknown) =>
      rejection(decide(state, command(name, args), later));
    const inSigning = apply(startedState({ ...mou(now), documents }, now), 'submit', {}, now);
    expect(refuse(inSigning, 'vary', { patch: fundAndText, reason: 'r' })).toBe(
      'vary is not allowed in stage "signing" (allowed in: active)',
    );
    expect(refuse(inSigning, 'sign', { signatory: 'vc-uob', variation: 'v1', documentSha256: HASHES })).toBe(
      'variation: variations come after signing; the agreement is in signing',
    );
    expect(refuse(active, 'vary', { patch: { title: 'New title' }, reason: 'r' })).toBe(
      'patch: "title" cannot be varied (a variation may change term, cohort.capacity, funding.commitments, obligations, documents)',
    );
    expect(refuse(active, 'vary', { patch: { term: null }, reason: 'r' })).toBe('term: a variation cannot remove it');
    expect(refuse(active, 'vary', { patch: { documents }, reason: 'r' })).toBe('patch: it changes nothing');
    expect(refuse(active, 'vary', { patch: { cohort: { capacity: 3 } }, reason: 'r' })).toBe(
      'cohort: the agreement has no cohort to vary',
    );
    expect(refuse(active, 'vary', { patch: { term: { endsAt: iso(now - DAY) } }, reason: 'r' })).toBe(
      `term.endsAt: must be in the future (got ${iso(now - DAY)})`,
    );
    expect(refuse(active, 'vary', { patch: fundAndText, reason: 'r', actor: 'vc-uob' })).toBe(
      'vary: only a coordinator may propose a variation (vc-uob is not one)',
    );
    expect(refuse(active, 'sign', { signatory: 'vc-uob', documentSha256: HASHES })).toBe(
      'variation: the agreement is active; name the variation to sign (--variation)',
    );
    expect(refuse(active, 'sign', { signatory: 'vc-uob', variation: 'v9' })).toBe(
      'variation: unknown variation "v9" (none proposed)',
    );
    const open = apply(active, 'vary', { patch: fundAndText, reason: 'fund' }, later);
    expect(refuse(open, 'vary', { patch: { term: { endsAt: iso(now + 1000 * DAY) } }, reason: 'r' })).toBe(
      'variation: "v1" is still open (approval); see it through or withdraw it first',
    );
    expect(refuse(open, 'sign', { signatory: 'vc-uob', variation: 'v1', documentSha256: [TEXT_V2, ANNEX] })).toBe(
      'variation: "v1" is approval, not awaiting signature',
    );
    const once = apply(open, 'approve', { approver: 'legal', variation: 'v1' }, later);
    expect(refuse(once, 'approve', { approver: 'legal', variation: 'v1' })).toBe(
      'approver: "legal" has already approved variation "v1"',
    );
  });

  it('add commitments or raise them, never lower or remove one, nor shrink a cohort below those enrolled', () => {
    let state = startedState(phdProgramme(now, { launchInMs: 60 * DAY, termInMs: 900 * DAY }), now);
    state = apply(state, 'submit', {}, now);
    state = apply(state, 'sign', { signatory: 'vc-uob' }, now);
    state = apply(state, 'sign', { signatory: 'president-jitri' }, now);
    state = apply(state, 'confirmFunding', { commitment: 'jitri-phd', amount: 1350000 }, now);
    state = apply(state, 'confirmFunding', { commitment: 'uob-phd', amount: 1350000 }, now);
    state = apply(
      state,
      'enrol',
      {
        candidates: [
          { name: 'Li Wei', email: 'li.wei@jitri.example' },
          { name: 'Amy Jones', email: 'amy@uob.example' },
          { name: 'Wang Fang', email: 'wang.fang@jitri.example' },
        ],
      },
      now,
    );
    state = apply(state, 'launch', {}, now);
    // As the file writes them (major units), which is what a patch replaces.
    const commitments = (state.document.funding as { commitments: { id: string; amount: number }[] }).commitments;
    const lowered = commitments.map((c) => (c.id === 'uob-phd' ? { ...c, amount: 1000000 } : c));
    expect(
      rejection(decide(state, command('vary', { patch: { funding: { commitments: lowered } }, reason: 'r' }), later)),
    ).toContain('funding.commitments: "uob-phd" (uob, GBP 1,350,000.00) must stay');
    expect(rejection(decide(state, command('vary', { patch: { cohort: { capacity: 2 } }, reason: 'r' }), later))).toBe(
      'cohort.capacity: 3 are enrolled already',
    );
    expect(rejection(decide(state, command('vary', { patch: { cohort: { minimum: 1 } }, reason: 'r' }), later))).toBe(
      'cohort: a variation may change only cohort.capacity',
    );
    const raised = commitments.map((c) => (c.id === 'uob-phd' ? { ...c, amount: 1351500 } : c));
    const proposed = apply(
      state,
      'vary',
      { patch: { funding: { commitments: raised } }, reason: 'a bigger UoB share' },
      later,
    );
    state = apply(proposed, 'sign', { signatory: 'vc-uob', variation: 'v1' }, later);
    const applied = applyWithMail(state, 'sign', { signatory: 'president-jitri', variation: 'v1' }, later);
    // Only the raised commitment is asked for, and only what it was raised by is outstanding.
    expect(applied.keys.filter((k) => k.startsWith('funding-request'))).toEqual([
      expect.stringMatching(/^funding-request:v1-uob-phd:/),
    ]);
    expect(
      rejection(decide(applied.state, command('confirmFunding', { commitment: 'uob-phd', amount: 2000 }), later)),
    ).toBe('amount: GBP 2,000.00 exceeds the GBP 1,500.00 still unconfirmed on "uob-phd"');
    expect(
      rejection(decide(applied.state, command('confirmFunding', { commitment: 'jitri-phd', amount: 1 }), later)),
    ).toBe('commitment: "jitri-phd" is already fully confirmed');
  });
});

describe('what a variation sets, for every reader', () => {
  it('is typed from the agreement it makes: new or raised commitments against today, obligations added or changed', () => {
    let state = activeMou({ approvals: [], term: { endsAt: iso(now + 900 * DAY) } });
    const report = {
      id: 'report-2027',
      title: 'Joint annual report',
      due: iso(now + 365 * DAY),
      owner: { name: 'JITRI Programme Office', email: 'programme@jitri.example' },
    };
    const patch = { ...addJitriFund, term: { endsAt: iso(now + 1000 * DAY) }, obligations: [report] };
    state = apply(state, 'vary', { patch, reason: 'fund, term, report' }, later);
    expect(agreementView(state).variations[0]?.sets).toEqual({
      currency: 'GBP',
      termEndsAt: iso(now + 1000 * DAY),
      capacity: null,
      commitments: [{ id: 'jitri-fund', funder: 'jitri', amount: 2700000, previous: null }],
      obligations: [{ id: 'report-2027', title: 'Joint annual report', due: iso(now + 365 * DAY), added: true }],
    });
    state = apply(state, 'sign', { signatory: 'vc-uob', variation: 'v1', documentSha256: HASHES }, later);
    state = apply(state, 'sign', { signatory: 'president-jitri', variation: 'v1', documentSha256: HASHES }, later);
    const raised = { funding: { commitments: [{ ...addJitriFund.funding.commitments[0], amount: 3000000 }] } };
    state = apply(state, 'vary', { patch: raised, reason: 'more' }, later);
    const [applied, open] = agreementView(state).variations;
    // Applied: what it asked for, and its own end of term (the patch is idempotent); no "before" to compare with.
    expect(applied?.sets).toMatchObject({ termEndsAt: iso(now + 1000 * DAY), obligations: [] });
    expect(applied?.sets.commitments).toEqual([{ id: 'jitri-fund', funder: 'jitri', amount: 2700000, previous: null }]);
    expect(open?.sets.commitments).toEqual([{ id: 'jitri-fund', funder: 'jitri', amount: 3000000, previous: 2700000 }]);
    state = apply(state, 'withdrawVariation', { variation: 'v2' }, later);
    expect(agreementView(state).variations[1]?.sets.commitments).toEqual([]);
  });
});
