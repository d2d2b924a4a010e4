import type { MailKind } from './notifications.ts';
import type { AgreementFacts } from './view.ts';

/** What a mail can show of its agreement: the facts without the bookkeeping no template reads. */
export type MailFacts = Omit<AgreementFacts, 'id' | 'startedAt' | 'nextReminderAt' | 'nextActionAt' | 'events'>;

/** The bulky parts of the agreement facts that only some kinds of mail show. */
type OptionalPart = 'signatures' | 'funding' | 'cohort' | 'term';

// The parties and the ceremony always go: names are shown everywhere, and every time in a mail is also given in the
// ceremony's timezone. test/mail/mail-facts.test.ts renders every kind both ways to keep this table honest.
const SHOWN: Record<MailKind, readonly OptionalPart[]> = {
  started: ['funding', 'cohort'],
  invitation: ['signatures'],
  'ceremony-notice': ['signatures'],
  rescheduled: [],
  'signature-recorded': ['signatures'],
  'signature-chase': ['signatures'],
  'signature-escalation': ['signatures'],
  'signature-declined': ['signatures'],
  'deadline-warning': ['signatures'],
  'person-replaced': ['signatures'],
  'funding-request': ['funding'],
  'funding-chase': ['funding'],
  'funding-escalation': ['funding'],
  'funding-overdue': ['funding'],
  'funding-confirmed': ['funding'],
  'launch-notice': ['cohort'],
  'launch-escalation': ['cohort'],
  enrolled: ['cohort'],
  welcome: ['cohort', 'term'],
  launched: ['cohort', 'term'],
  'renewal-notice': ['term'],
  // Internal approvers judge the whole agreement before it goes to signature.
  'approval-request': ['signatures', 'funding', 'cohort', 'term'],
  'approval-chase': [],
  'approval-escalation': [],
  'changes-requested': [],
  'obligation-notice': ['term'],
  'obligation-overdue': ['term'],
  'obligation-fulfilled': [],
  completed: ['signatures', 'funding', 'cohort'],
  cancelled: [],
  'temporal-cancel-refused': [],
  'delivery-failed': [],
  'completion-certificate': ['signatures'],
  // A variation's readers judge what it changes against the agreement as it stands.
  'variation-request': ['signatures', 'funding', 'cohort', 'term'],
  'variation-invitation': ['signatures', 'funding', 'cohort', 'term'],
  'variation-applied': ['funding', 'cohort', 'term'],
  'variation-withdrawn': [],
  digest: [],
};

const ABOUT_A_VARIATION: readonly MailKind[] = ['variation-request', 'variation-invitation', 'variation-applied'];

/**
 * The facts a mail of this kind shows, and nothing it does not: each mail's activity input crosses Temporal several
 * times (command, history, activity task), so its size is paid for on every hop.
 */
export function factsForMail(kind: MailKind, facts: AgreementFacts): MailFacts {
  const shown = SHOWN[kind];
  const {
    id: _id,
    startedAt: _startedAt,
    nextReminderAt: _nextReminderAt,
    nextActionAt: _nextActionAt,
    events: _events,
    ...mail
  } = facts;
  return {
    ...mail,
    // A variation's mail shows its documents, approvals and signatures. It is the latest: one is open at a time, and
    // its mail (request, invitation, chases, applied) is sent while it is the latest. Other mail needs none of them.
    variations: ABOUT_A_VARIATION.includes(kind) ? facts.variations.slice(-1) : [],
    signatures: shown.includes('signatures') ? facts.signatures : [],
    funding: shown.includes('funding') ? facts.funding : null,
    cohort: shown.includes('cohort') ? facts.cohort : null,
    term: shown.includes('term') ? facts.term : null,
  };
}
