import type { NotificationKind } from '../../domain/notifications.ts';
import type { Template } from './content.ts';

/** One language's templates under the names its modules export (signing.ts, funding.ts, cohort.ts, approvals.ts,
 * obligations.ts, lifecycle.ts). */
export interface TemplateSet {
  started: Template;
  invitation: Template;
  ceremonyNotice: Template;
  rescheduled: Template;
  signatureRecorded: Template;
  signatureChase: Template;
  signatureEscalation: Template;
  fundingRequest: Template;
  fundingChase: Template;
  fundingEscalation: Template;
  fundingOverdue: Template;
  fundingConfirmed: Template;
  launchNotice: Template;
  launchEscalation: Template;
  enrolled: Template;
  welcome: Template;
  launched: Template;
  renewalNotice: Template;
  approvalRequest: Template;
  approvalChase: Template;
  approvalEscalation: Template;
  changesRequested: Template;
  obligationNotice: Template;
  obligationOverdue: Template;
  obligationFulfilled: Template;
  completed: Template;
  cancelled: Template;
  deliveryFailed: Template;
}

/** The set keyed by notification kind; the Record type makes a missing kind a compile error. */
export function byKind(set: TemplateSet): Record<NotificationKind, Template> {
  return {
    started: set.started,
    invitation: set.invitation,
    'ceremony-notice': set.ceremonyNotice,
    rescheduled: set.rescheduled,
    'signature-recorded': set.signatureRecorded,
    'signature-chase': set.signatureChase,
    'signature-escalation': set.signatureEscalation,
    'funding-request': set.fundingRequest,
    'funding-chase': set.fundingChase,
    'funding-escalation': set.fundingEscalation,
    'funding-overdue': set.fundingOverdue,
    'funding-confirmed': set.fundingConfirmed,
    'launch-notice': set.launchNotice,
    'launch-escalation': set.launchEscalation,
    enrolled: set.enrolled,
    welcome: set.welcome,
    launched: set.launched,
    'renewal-notice': set.renewalNotice,
    'approval-request': set.approvalRequest,
    'approval-chase': set.approvalChase,
    'approval-escalation': set.approvalEscalation,
    'changes-requested': set.changesRequested,
    'obligation-notice': set.obligationNotice,
    'obligation-overdue': set.obligationOverdue,
    'obligation-fulfilled': set.obligationFulfilled,
    completed: set.completed,
    cancelled: set.cancelled,
    'delivery-failed': set.deliveryFailed,
  };
}
