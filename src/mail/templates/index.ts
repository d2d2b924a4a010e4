import type { Locale } from '../../domain/locale.ts';
import type { MailKind, NotificationKind } from '../../domain/notifications.ts';
import { APPROVAL_MAIL } from './approvals.ts';
import { CERTIFICATE_MAIL } from './certificate.ts';
import { COHORT_MAIL } from './cohort.ts';
import type { MessageContent, TemplateInput } from './content.ts';
import { EXCEPTION_MAIL } from './exceptions.ts';
import { readerLocale } from './facts.ts';
import { FUNDING_MAIL } from './funding.ts';
import { LIFECYCLE_MAIL } from './lifecycle.ts';
import type { MailKindText } from './mail-kind.ts';
import { OBLIGATION_MAIL } from './obligations.ts';
import { SIGNING_MAIL } from './signing.ts';
import { VARIATION_MAIL } from './variations.ts';

export type { Fact, MessageContent, TemplateInput } from './content.ts';

/**
 * Every kind of an agreement's mail, each declared once (with its Chinese name and both languages' words) in the
 * module of its group. The Record type makes a kind without its mail a compile error.
 */
export const MAIL_KINDS: Record<NotificationKind, MailKindText> = {
  ...SIGNING_MAIL,
  ...FUNDING_MAIL,
  ...COHORT_MAIL,
  ...APPROVAL_MAIL,
  ...OBLIGATION_MAIL,
  ...LIFECYCLE_MAIL,
  ...EXCEPTION_MAIL,
  ...CERTIFICATE_MAIL,
  ...VARIATION_MAIL,
};

/** The coordinators' digest is rendered apart (digest/), but is named like every other kind. */
const DIGEST_CHINESE_NAME = '每周摘要';

/** How a reader names a kind of mail: an English reader sees the kind itself (`funding-request`). */
export function mailKindName(kind: MailKind, locale: Locale): string {
  if (locale === 'en') return kind;
  return kind === 'digest' ? DIGEST_CHINESE_NAME : MAIL_KINDS[kind].chineseName;
}

/** The message for one notification, in its reader's language. */
export function writeMessage(kind: NotificationKind, input: TemplateInput): MessageContent {
  const locale = readerLocale(input);
  return MAIL_KINDS[kind].render(input, (other) => mailKindName(other, locale));
}
