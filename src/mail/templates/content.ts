import type { MailFacts } from '../../domain/mail-facts.ts';
import type { Notification } from '../../domain/notifications.ts';

/** One labelled fact shown in the message's summary table (`When`, `Amount` …). */
export interface Fact {
  label: string;
  value: string;
}

/**
 * A message as plain text pieces. Templates never produce markup: the layout escapes every piece for HTML,
 * so no user-supplied text can reach the HTML body unescaped.
 */
export interface MessageContent {
  /** The subject after the `[<agreement id>] ` prefix. */
  subject: string;
  paragraphs: string[];
  facts: Fact[];
  /** What the reader should do next, if anything. */
  action?: string;
  /** The reader's link to do it (SPEC 16): a line of its own in the text part, a button in the HTML part. */
  link?: { url: string; label: string };
}

export interface TemplateInput {
  agreementId: string;
  notification: Notification;
  facts: MailFacts;
}
