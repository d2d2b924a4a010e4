import type { NotificationKind } from '../../domain/notifications.ts';
import type { Template } from './content.ts';
import { enrolled, launched, launchEscalation, launchNotice, welcome } from './cohort.ts';
import { fundingChase, fundingConfirmed, fundingEscalation, fundingOverdue, fundingRequest } from './funding.ts';
import { cancelled, completed, deliveryFailed, renewalNotice, started } from './lifecycle.ts';
import {
  ceremonyNotice,
  invitation,
  rescheduled,
  signatureChase,
  signatureEscalation,
  signatureRecorded,
} from './signing.ts';

export type { Fact, MessageContent, TemplateInput } from './content.ts';

/** One template per notification kind; the Record type makes a missing kind a compile error. */
export const TEMPLATES: Record<NotificationKind, Template> = {
  started,
  invitation,
  'ceremony-notice': ceremonyNotice,
  rescheduled,
  'signature-recorded': signatureRecorded,
  'signature-chase': signatureChase,
  'signature-escalation': signatureEscalation,
  'funding-request': fundingRequest,
  'funding-chase': fundingChase,
  'funding-escalation': fundingEscalation,
  'funding-overdue': fundingOverdue,
  'funding-confirmed': fundingConfirmed,
  'launch-notice': launchNotice,
  'launch-escalation': launchEscalation,
  enrolled,
  welcome,
  launched,
  'renewal-notice': renewalNotice,
  completed,
  cancelled,
  'delivery-failed': deliveryFailed,
};
