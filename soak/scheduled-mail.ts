import { defaultPayloadConverter } from '@temporalio/common';
import type proto from '@temporalio/proto';
import type { DeliverEffectsInput, SendNotificationInput } from '../src/domain/index.ts';

/**
 * The notification keys of every mail activity a lifecycle's history scheduled (one mail, or the mails of a batch), in
 * order; a mail a batch deferred and then sent on its own appears twice.
 */
export function scheduledMailKeys(history: proto.temporal.api.history.v1.IHistory): string[] {
  const keys: string[] = [];
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    const payload = scheduled?.input?.payloads?.[0];
    if (!payload) continue;
    const name = scheduled.activityType?.name;
    const inputs =
      name === 'sendNotification'
        ? [defaultPayloadConverter.fromPayload<SendNotificationInput>(payload)]
        : name === 'sendNotifications'
          ? defaultPayloadConverter.fromPayload<SendNotificationInput[]>(payload)
          : name === 'deliverEffects'
            ? defaultPayloadConverter.fromPayload<DeliverEffectsInput>(payload).mail
            : [];
    keys.push(...inputs.map((input) => input.notification.key));
  }
  return keys;
}
