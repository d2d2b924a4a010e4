import { ANNEX, TEXT_V1, TEXT_V2 } from '../../support/documents.ts';
import { phdProgrammeDocument } from '../../support/phd-programme.ts';
import type { AgreementMailInput } from '../../../src/domain/index.ts';
import type { AgreementEvent } from '../../../src/domain/events.ts';
import { evolve, initialState } from '../../../src/domain/evolve.ts';
import {
  approverRecipients,
  candidateRecipients,
  contactRecipient,
  coordinators,
  notify,
  obligationOwner,
  obligationSubject,
  signatoryRecipients,
  variationSubject,
  type NotificationKind,
  type Recipient,
} from '../../../src/domain/notifications.ts';
import type { AgreementState } from '../../../src/domain/state.ts';
import { parseAgreement } from '../../../src/domain/validation.ts';
import { agreementFacts } from '../../../src/domain/view.ts';

export const AGREEMENT_ID = 'uob-jitri-phd-programme';
export const FROM = 'Partnerships Office <agreements@uob.example>';
export const CEREMONY_AT = '2027-01-15T10:00:00+08:00';
export const RESCHEDULED_AT = '2027-01-22T14:30:00+08:00';
export const OBLIGATION_DUE = '2027-12-01T17:00:00+00:00';
export const CHANGES_REASON = 'Clause 7.2: the IP split must follow the 2026 joint-fund terms';

/** The reference case of the spec: the UoB–JITRI joint PhD programme. */
export function referenceDocument(): Record<string, unknown> {
  return phdProgrammeDocument({
    ceremonyAt: CEREMONY_AT,
    launchAt: '2027-09-20T09:00:00+01:00',
    termEndsAt: '2032-09-19T00:00:00Z',
    jitriDueAt: '2027-03-31T00:00:00Z',
    cohortMinimum: 4,
  });
}

/**
 * The same programme with the internal sign-off and the obligations of spec §14: Legal Services and Research
 * Finance approve it before signature, and JITRI's programme office owes an annual progress report.
 */
export function reviewedDocument(): Record<string, unknown> {
  return {
    ...referenceDocument(),
    approvals: [
      { id: 'legal', name: 'Legal Services', email: 'contracts@uob.example', timezone: 'Europe/London' },
      { id: 'finance', name: 'Research Finance', email: 'finance@uob.example' },
    ],
    approvalChase: { every: 'P3D', escalateAfter: 2 },
    obligations: [
      {
        id: 'report-2027',
        title: 'Annual progress report 2027',
        due: OBLIGATION_DUE,
        owner: { name: 'JITRI Programme Office', email: 'programme@jitri.example', timezone: 'Asia/Shanghai' },
        notice: ['P30D', 'P7D'],
      },
    ],
  };
}

const at = (iso: string) => ({ at: iso, actor: 'coordinator' });

/** The agreement after `events`, built with the real domain (parse, initial state, evolve). */
export function stateAfter(events: AgreementEvent[], document = referenceDocument()): AgreementState {
  const parsed = parseAgreement(document);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const start = initialState(document, parsed.value, Date.parse('2026-11-01T09:00:00Z'));
  return evolve(start.state, [...start.events, ...events]);
}

const submitted: AgreementEvent[] = [
  { ...at('2026-11-02T09:00:00Z'), type: 'stage-changed', from: 'draft', to: 'signing', reason: 'submitted' },
];
const rescheduled: AgreementEvent[] = [
  ...submitted,
  { ...at('2026-11-20T09:00:00Z'), type: 'rescheduled', ceremonyAt: RESCHEDULED_AT, venue: 'Nanjing', sequence: 2 },
];
const firstSigned: AgreementEvent[] = [
  ...submitted,
  { ...at('2027-01-15T02:30:00Z'), type: 'signed', signatory: 'vc-uob', signedAt: '2027-01-15T02:30:00Z' },
];
const inFunding: AgreementEvent[] = [
  ...firstSigned,
  { ...at('2027-01-15T02:40:00Z'), type: 'signed', signatory: 'president-jitri', signedAt: '2027-01-15T02:40:00Z' },
  { ...at('2027-01-15T02:40:00Z'), type: 'stage-changed', from: 'signing', to: 'funding', reason: 'all-signed' },
];
const firstTranche: AgreementEvent[] = [
  ...inFunding,
  {
    ...at('2027-02-01T10:00:00Z'),
    type: 'funding-confirmed',
    commitment: 'jitri-phd',
    tranche: 1,
    amount: 50_000_000,
    reference: 'PO-1',
  },
];
const inCohort: AgreementEvent[] = [
  ...firstTranche,
  { ...at('2027-03-01T10:00:00Z'), type: 'funding-confirmed', commitment: 'jitri-phd', tranche: 2, amount: 85_000_000 },
  { ...at('2027-03-01T10:00:00Z'), type: 'funding-confirmed', commitment: 'uob-phd', tranche: 1, amount: 135_000_000 },
  { ...at('2027-03-01T10:00:00Z'), type: 'stage-changed', from: 'funding', to: 'cohort', reason: 'fully-funded' },
  {
    ...at('2027-04-01T10:00:00Z'),
    type: 'enrolled',
    name: 'Wei Zhang',
    email: 'wei.zhang@jitri.example',
    party: 'jitri',
  },
  { ...at('2027-04-02T10:00:00Z'), type: 'enrolled', name: 'Li Na', email: 'li.na@jitri.example', party: 'jitri' },
  {
    ...at('2027-04-03T10:00:00Z'),
    type: 'enrolled',
    name: 'Chen Hao',
    email: 'chen.hao@jitri.example',
    party: 'jitri',
  },
];
const active: AgreementEvent[] = [
  ...inCohort,
  {
    ...at('2027-04-04T10:00:00Z'),
    type: 'enrolled',
    name: 'Amelia Hart',
    email: 'amelia.hart@uob.example',
    party: 'uob',
  },
  {
    ...at('2027-09-20T08:00:00Z'),
    type: 'stage-changed',
    from: 'cohort',
    to: 'active',
    reason: 'launched-automatically',
  },
];

const submittedForApproval: AgreementEvent[] = [
  { ...at('2026-11-02T09:00:00Z'), type: 'stage-changed', from: 'draft', to: 'approval', reason: 'submitted' },
];
const inApproval: AgreementEvent[] = [
  ...submittedForApproval,
  { ...at('2026-11-03T11:00:00Z'), type: 'approved', approver: 'legal', note: 'Standard terms, no concerns' },
];
const changesRequested: AgreementEvent[] = [
  ...inApproval,
  { ...at('2026-11-04T15:00:00Z'), type: 'changes-requested', approver: 'finance', reason: CHANGES_REASON },
  {
    ...at('2026-11-04T15:00:00Z'),
    type: 'stage-changed',
    from: 'approval',
    to: 'draft',
    reason: 'changes-requested',
    detail: CHANGES_REASON,
  },
];
/** Approved by both offices, then the rest of the reference lifecycle from the signatures on. */
const activeAfterApproval: AgreementEvent[] = [
  ...inApproval,
  { ...at('2026-11-05T10:00:00Z'), type: 'approved', approver: 'finance' },
  { ...at('2026-11-05T10:00:00Z'), type: 'stage-changed', from: 'approval', to: 'signing', reason: 'all-approved' },
  ...active.slice(submitted.length),
];
const reportFulfilled: AgreementEvent[] = [
  ...activeAfterApproval,
  { ...at('2027-11-28T09:00:00Z'), type: 'fulfilled', obligation: 'report-2027', reference: 'JITRI-PR-2027-01' },
];

// English titles only: the English mail of every kind is checked to hold no Chinese.
const documents = [
  { id: 'programme-text', title: 'Joint PhD programme agreement', sha256: TEXT_V1, language: 'en' },
  { id: 'supervision-annex', title: 'Annex: joint supervision', sha256: ANNEX, language: 'en' },
];

/** The reviewed programme with its text as documents (SPEC 18), so that a variation can bring a new version. */
export function documentedDocument(): Record<string, unknown> {
  return { ...reviewedDocument(), documents };
}

export const VARIATION_REASON = 'UoB bridge funding for the 2028 intake, and the revised text';
/** A variation (SPEC 18): a year more, a new commitment from UoB, and the second version of the text. */
export function variationPatch(): Record<string, unknown> {
  const funding = referenceDocument().funding as { commitments: Record<string, unknown>[] };
  return {
    term: { endsAt: '2033-09-19T00:00:00Z' },
    funding: {
      commitments: [
        ...funding.commitments,
        {
          id: 'uob-bridge',
          funder: 'uob',
          amount: 250000,
          contact: { name: 'UoB Bridge Fund', email: 'bridge@uob.example' },
        },
      ],
    },
    documents: [{ ...documents[0], sha256: TEXT_V2 }, documents[1]],
  };
}
const variationProposed: AgreementEvent[] = [
  ...activeAfterApproval,
  {
    ...at('2027-10-01T09:00:00Z'),
    type: 'variation-proposed',
    variation: 'v1',
    reason: VARIATION_REASON,
    patch: variationPatch(),
    to: 'approval',
  },
  { ...at('2027-10-02T09:00:00Z'), type: 'variation-approved', variation: 'v1', approver: 'legal' },
];
const variationSigning: AgreementEvent[] = [
  ...variationProposed,
  { ...at('2027-10-03T09:00:00Z'), type: 'variation-approved', variation: 'v1', approver: 'finance' },
  { ...at('2027-10-03T09:00:00Z'), type: 'variation-status-changed', variation: 'v1', from: 'approval', to: 'signing' },
  {
    ...at('2027-10-04T09:00:00Z'),
    type: 'variation-signed',
    variation: 'v1',
    signatory: 'vc-uob',
    signedAt: '2027-10-04T09:00:00Z',
  },
];
const variationApplied: AgreementEvent[] = [
  ...variationSigning,
  {
    ...at('2027-10-05T03:00:00Z'),
    type: 'variation-signed',
    variation: 'v1',
    signatory: 'president-jitri',
    signedAt: '2027-10-05T03:00:00Z',
  },
  { ...at('2027-10-05T03:00:00Z'), type: 'variation-status-changed', variation: 'v1', from: 'signing', to: 'applied' },
];

export const STATES = {
  draft: () => stateAfter([]),
  signing: () => stateAfter(submitted),
  rescheduled: () => stateAfter(rescheduled),
  firstSigned: () => stateAfter(firstSigned),
  funding: () => stateAfter(inFunding),
  firstTranche: () => stateAfter(firstTranche),
  cohort: () => stateAfter(inCohort),
  active: () => stateAfter(active),
  completed: () =>
    stateAfter([
      ...active,
      { ...at('2032-09-19T00:00:00Z'), type: 'stage-changed', from: 'active', to: 'completed', reason: 'term-ended' },
    ]),
  cancelled: () =>
    stateAfter([
      ...submitted,
      {
        ...at('2026-12-01T09:00:00Z'),
        type: 'stage-changed',
        from: 'signing',
        to: 'cancelled',
        reason: 'cancelled',
        detail: 'JITRI board postponed the programme',
      },
    ]),
  submittedForApproval: () => stateAfter(submittedForApproval, reviewedDocument()),
  approval: () => stateAfter(inApproval, reviewedDocument()),
  changesRequested: () => stateAfter(changesRequested, reviewedDocument()),
  obligationsActive: () => stateAfter(activeAfterApproval, reviewedDocument()),
  obligationFulfilled: () => stateAfter(reportFulfilled, reviewedDocument()),
  variationApproval: () => stateAfter(variationProposed, documentedDocument()),
  variationSigning: () => stateAfter(variationSigning, documentedDocument()),
  variationApplied: () => stateAfter(variationApplied, documentedDocument()),
};

export function inputFor(
  state: AgreementState,
  kind: NotificationKind,
  detail: string,
  recipient: Recipient | undefined,
  about: Parameters<typeof notify>[3] = {},
): AgreementMailInput {
  if (!recipient) throw new Error(`no recipient for ${kind}`);
  const [notification] = notify(kind, detail, [recipient], about);
  if (!notification) throw new Error(`no notification for ${kind}`);
  return { agreementId: state.agreement.id, notification, facts: agreementFacts(state) };
}

const coordinator = (state: AgreementState) => coordinators(state)[0];
const signatory = (state: AgreementState, id: string) => signatoryRecipients(state, [id])[0];
const approver = (state: AgreementState, id: string) => approverRecipients(state, [id])[0];
const report = (state: AgreementState) => ({ obligation: obligationSubject(state, 'report-2027') });

/** One realistic notification of every kind, each at the point of the lifecycle where it is sent. */
export function sampleOfEveryKind(): Record<NotificationKind, AgreementMailInput> {
  const s = STATES;
  const funding = s.funding();
  const cohort = s.cohort();
  const approval = s.approval();
  const obligations = s.obligationsActive();
  const varying = s.variationApproval();
  const signingVariation = s.variationSigning();
  const varied = s.variationApplied();
  return {
    started: inputFor(s.draft(), 'started', AGREEMENT_ID, coordinator(s.draft())),
    invitation: inputFor(s.signing(), 'invitation', '1', signatory(s.signing(), 'vc-uob')),
    'ceremony-notice': inputFor(s.signing(), 'ceremony-notice', 'P7D', signatory(s.signing(), 'president-jitri'), {
      lead: 'P7D',
    }),
    rescheduled: inputFor(s.rescheduled(), 'rescheduled', '2', signatory(s.rescheduled(), 'vc-uob')),
    'signature-recorded': inputFor(s.firstSigned(), 'signature-recorded', 'vc-uob', coordinator(s.firstSigned()), {
      signatory: 'vc-uob',
    }),
    'signature-chase': inputFor(
      s.firstSigned(),
      'signature-chase',
      '2',
      signatory(s.firstSigned(), 'president-jitri'),
      {
        signatory: 'president-jitri',
        chase: 2,
      },
    ),
    'signature-escalation': inputFor(
      s.firstSigned(),
      'signature-escalation',
      'president-jitri',
      coordinator(s.firstSigned()),
      {
        signatory: 'president-jitri',
      },
    ),
    'signature-declined': inputFor(s.signing(), 'signature-declined', 'r1', coordinator(s.signing()), {
      signatory: 'president-jitri',
      reason: 'Clause 7 (intellectual property) must name both institutes',
    }),
    'deadline-warning': inputFor(
      s.firstSigned(),
      'deadline-warning',
      'signing-P7D-20270301T020000Z',
      signatory(s.firstSigned(), 'president-jitri'),
      {
        lead: 'P7D',
        deadline: { stage: 'signing', at: '2027-03-01T02:00:00Z' },
        missing: ['president-jitri'],
      },
    ),
    'person-replaced': inputFor(s.signing(), 'person-replaced', 'replace3', coordinator(s.signing()), {
      signatory: 'president-jitri',
      reason: 'The President delegates the signature to the Vice President',
      replacement: { previous: 'Professor Qing Liu', current: 'Professor Wei Chen' },
    }),
    'funding-request': inputFor(funding, 'funding-request', 'jitri-phd', contactRecipient(funding, 'jitri-phd')[0], {
      commitment: 'jitri-phd',
      amount: 135_000_000,
    }),
    'funding-chase': inputFor(
      s.firstTranche(),
      'funding-chase',
      'jitri-phd-2',
      contactRecipient(funding, 'jitri-phd')[0],
      {
        commitment: 'jitri-phd',
        amount: 135_000_000,
        chase: 2,
      },
    ),
    'funding-escalation': inputFor(s.firstTranche(), 'funding-escalation', 'jitri-phd', coordinator(funding), {
      commitment: 'jitri-phd',
      amount: 135_000_000,
    }),
    'funding-overdue': inputFor(s.firstTranche(), 'funding-overdue', 'jitri-phd', coordinator(funding), {
      commitment: 'jitri-phd',
      amount: 135_000_000,
    }),
    'funding-confirmed': inputFor(
      s.firstTranche(),
      'funding-confirmed',
      'jitri-phd-tranche-1',
      contactRecipient(funding, 'jitri-phd')[0],
      {
        commitment: 'jitri-phd',
        amount: 50_000_000,
        tranche: 1,
      },
    ),
    'launch-notice': inputFor(cohort, 'launch-notice', 'P30D', coordinator(cohort), { lead: 'P30D' }),
    'launch-escalation': inputFor(cohort, 'launch-escalation', AGREEMENT_ID, coordinator(cohort)),
    enrolled: inputFor(cohort, 'enrolled', AGREEMENT_ID, candidateRecipients(cohort, ['wei.zhang@jitri.example'])[0]),
    welcome: inputFor(
      s.active(),
      'welcome',
      AGREEMENT_ID,
      candidateRecipients(s.active(), ['amelia.hart@uob.example'])[0],
    ),
    launched: inputFor(s.active(), 'launched', AGREEMENT_ID, signatory(s.active(), 'president-jitri')),
    'renewal-notice': inputFor(s.active(), 'renewal-notice', 'P90D-20320919T000000Z', coordinator(s.active()), {
      lead: 'P90D',
    }),
    'approval-request': inputFor(
      s.submittedForApproval(),
      'approval-request',
      '1',
      approver(s.submittedForApproval(), 'legal'),
    ),
    'approval-chase': inputFor(approval, 'approval-chase', '1-2', approver(approval, 'finance'), {
      approver: 'finance',
      chase: 2,
    }),
    'approval-escalation': inputFor(approval, 'approval-escalation', '1-finance', coordinator(approval), {
      approver: 'finance',
    }),
    'changes-requested': inputFor(s.changesRequested(), 'changes-requested', '1', coordinator(approval), {
      approver: 'finance',
      reason: CHANGES_REASON,
    }),
    'obligation-notice': inputFor(
      obligations,
      'obligation-notice',
      'report-2027-P30D',
      obligationOwner(obligations, 'report-2027')[0],
      { ...report(obligations), lead: 'P30D' },
    ),
    'obligation-overdue': inputFor(
      obligations,
      'obligation-overdue',
      'report-2027-2',
      obligationOwner(obligations, 'report-2027')[0],
      { ...report(obligations), chase: 2 },
    ),
    'obligation-fulfilled': inputFor(
      s.obligationFulfilled(),
      'obligation-fulfilled',
      'report-2027',
      coordinator(obligations),
      { ...report(obligations), reference: 'JITRI-PR-2027-01' },
    ),
    completed: inputFor(s.completed(), 'completed', AGREEMENT_ID, signatory(s.completed(), 'vc-uob')),
    'completion-certificate': inputFor(
      funding,
      'completion-certificate',
      String(funding.eventCount),
      signatory(funding, 'president-jitri'),
      { certificate: { sequence: funding.eventCount } },
    ),
    cancelled: inputFor(s.cancelled(), 'cancelled', AGREEMENT_ID, coordinator(s.cancelled()), {
      reason: 'JITRI board postponed the programme',
    }),
    'temporal-cancel-refused': inputFor(s.signing(), 'temporal-cancel-refused', '9', coordinator(s.signing()), {
      reason:
        'a cancel requested in Temporal names no verified actor, and the roles file does not allow it (temporal-cancel: allow)',
    }),
    'variation-request': inputFor(varying, 'variation-request', 'v1', approver(varying, 'finance'), {
      variation: variationSubject(varying, 'v1'),
    }),
    'variation-invitation': inputFor(
      signingVariation,
      'variation-invitation',
      'v1',
      signatory(signingVariation, 'president-jitri'),
      {
        variation: variationSubject(signingVariation, 'v1'),
      },
    ),
    'variation-applied': inputFor(varied, 'variation-applied', 'v1', coordinator(varied), {
      variation: variationSubject(varied, 'v1'),
    }),
    'variation-withdrawn': inputFor(varied, 'variation-withdrawn', 'v1', signatory(varied, 'president-jitri'), {
      variation: variationSubject(varied, 'v1'),
      reason: 'the fund is to be agreed in next year’s budget',
    }),
    'delivery-failed': inputFor(
      funding,
      'delivery-failed',
      'funding-request~jitri-phd~finance@jitri.example',
      coordinator(funding),
      {
        reason: '550 No such mailbox',
        undelivered: {
          kind: 'funding-request',
          recipient: 'finance@jitri.example',
          key: 'funding-request:jitri-phd:finance@jitri.example',
        },
      },
    ),
  };
}
