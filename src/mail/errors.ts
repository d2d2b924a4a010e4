/**
 * A notification that cannot be rendered safely (for example a line break that would inject a mail header).
 * Retrying cannot fix it, so the activity layer treats it as non-retryable.
 */
export class InvalidNotificationError extends Error {
  override name = 'InvalidNotification';
}
