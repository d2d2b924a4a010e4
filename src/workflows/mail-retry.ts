import type { ActivityOptions } from '@temporalio/workflow';

/**
 * How an activity that sends one mail (an agreement's notification, a coordinator's digest) is tried: 20 s an attempt,
 * retried with backoff from 2 s to 5 min; a refusal or a mail that cannot be built is final. Each caller adds how long
 * to go on (`scheduleToCloseTimeout`).
 */
export const mailActivityOptions: ActivityOptions = {
  startToCloseTimeout: '20 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: ['PermanentDeliveryFailure', 'InvalidNotification'],
  },
};
