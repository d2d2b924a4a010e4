/**
 * A notification that cannot be rendered safely (for example a line break that would inject a mail header).
 * Retrying cannot fix it, so the activity layer treats it as non-retryable.
 */
export class InvalidNotificationError extends Error {
  override name = 'InvalidNotification';
}

/**
 * What a mail needs could not be read now (the certificate it attaches, from a records store that did not answer):
 * unlike a bad notification, a later attempt may succeed, so the delivery is retried rather than given up.
 */
export class MailPartUnavailableError extends Error {
  override name = 'MailPartUnavailable';
}
