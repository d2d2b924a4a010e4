import type { MailKind, Notification } from '../domain/notifications.ts';
import type { Keyring } from '../keys/keyring.ts';
import { issueLinkToken, type LinkRecipient, type LinkRole } from './link-token.ts';

/** The mail that carries a link (SPEC 16's table), and to whom: only that role's recipients get one. */
export const LINK_KINDS: Partial<Record<MailKind, LinkRole | readonly LinkRole[]>> = {
  'approval-request': 'approver',
  'approval-chase': 'approver',
  invitation: 'signatory',
  'ceremony-notice': 'signatory',
  rescheduled: 'signatory',
  'signature-chase': 'signatory',
  'funding-request': 'funding-contact',
  'funding-chase': 'funding-contact',
  'funding-overdue': 'funding-contact',
  'obligation-notice': 'obligation-owner',
  'obligation-overdue': 'obligation-owner',
  // A variation of an active agreement (SPEC 18): its link names the variation, so the page shows what is asked.
  'variation-request': 'approver',
  'variation-invitation': 'signatory',
  // To those still to act: approvers before an approval deadline, signatories before a signing deadline.
  'deadline-warning': ['approver', 'signatory'],
};

const withoutSuffix = (label: string, suffix: string) =>
  label.endsWith(suffix) ? label.slice(0, -suffix.length) : label;

/** The link's recipient of one notification, or undefined when this mail carries no link for this reader. */
export function linkRecipientOf(notification: Notification): LinkRecipient | undefined {
  const roles: readonly LinkRole[] = [LINK_KINDS[notification.kind] ?? []].flat();
  const { recipient, about } = notification;
  const role = roles.find((r) => r === recipient.role);
  if (role === undefined) return undefined;
  const ids: Record<LinkRole, string | undefined> = {
    approver: about.approver ?? recipient.label,
    signatory: about.signatory ?? recipient.label,
    'funding-contact': about.commitment ?? withoutSuffix(recipient.label, ' contact'),
    'obligation-owner': about.obligation?.id ?? withoutSuffix(recipient.label, ' owner'),
  };
  const id = ids[role];
  if (!id) return undefined;
  return { role, id, email: recipient.email, timezone: recipient.timezone, locale: recipient.locale };
}

/**
 * The variation a link asks about: an approver's or signatory's mail about a variation. A funding contact's mail about
 * a variation's commitment carries a plain funding link: what they confirm is the commitment, whichever variation made it.
 */
export function variationOf(notification: Notification, role: LinkRole): string | undefined {
  return role === 'approver' || role === 'signatory' ? notification.about.variation?.id : undefined;
}

/** Makes the link of a notification's reader; undefined where that mail carries none. */
export type MailLinkMaker = (input: { agreementId: string; notification: Notification }) => Promise<string | undefined>;

/** The worker's link maker: tokens signed with AGREEMENTS_LINK_KEYS, valid AGREEMENTS_LINK_TTL, under WEB_PUBLIC_URL. */
export function mailLinkMaker(options: {
  keys: Keyring;
  ttlMs: number;
  publicUrl: string;
  now?: () => number;
}): MailLinkMaker {
  return async ({ agreementId, notification }) => {
    const recipient = linkRecipientOf(notification);
    if (recipient === undefined) return undefined;
    const variation = variationOf(notification, recipient.role);
    const token = await issueLinkToken(options.keys, {
      agreementId,
      recipient,
      notificationKey: notification.key,
      ...(variation === undefined ? {} : { variation }),
      now: (options.now ?? Date.now)(),
      ttlMs: options.ttlMs,
    });
    return `${options.publicUrl}/a/${token}`;
  };
}
