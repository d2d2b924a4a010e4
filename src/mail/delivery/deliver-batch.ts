import { ApplicationFailure } from '@temporalio/activity';
import { TransportFailure } from '../../ports/mail-transport.ts';
import type { SendNotificationResult } from '../../domain/effects.ts';
import type { SendNotificationInput } from '../../domain/index.ts';
import {
  DEFAULT_ATTEMPT_MS,
  deliver,
  isDeliveryProgress,
  runningAttempt,
  type DeliveryAttempt,
  type DeliveryDependencies,
  type DeliveryProgress,
} from './deliver.ts';

const ONE_MAIL_MS = DEFAULT_ATTEMPT_MS;

/** One attempt of a batch: who it is, when it must end, and the progress per key of the attempt before it. */
export interface BatchAttempt {
  id: string;
  deadline: number;
  heartbeat(progress: DeliveryProgress[]): void;
  previous: DeliveryProgress[];
}

/** The running activity's attempt, with the progress per key that the attempt before it reported. */
export function currentBatchAttempt(now = Date.now()): BatchAttempt {
  const { details, ...attempt } = runningAttempt(now);
  return { ...attempt, previous: Array.isArray(details) ? details.filter(isDeliveryProgress) : [] };
}

/**
 * Delivers the mails of one outbox flush in one activity, one after another over the transport's warm session, each
 * through the sent-mail log on its own (deliver). A mail that cannot go now is answered `deferred`, for the workflow to
 * send on its own with the full retry policy; a refusal is answered `rejected`. Anything else (the log unreachable)
 * fails the batch, whose heartbeat tells the retry what each mail reached, so a mail the server took is only recorded.
 */
export async function deliverBatch(
  deps: DeliveryDependencies,
  inputs: SendNotificationInput[],
  batch: BatchAttempt = currentBatchAttempt(),
): Promise<SendNotificationResult[]> {
  const progress = new Map(batch.previous.map((entry) => [entry.key, entry]));
  const results: SendNotificationResult[] = [];
  let lineTrouble = false;
  for (const input of inputs) {
    const { key } = input.notification;
    if (lineTrouble) {
      // The line or the server is in trouble: the rest goes on its own, with Temporal's backoff, not in a burst.
      results.push({ key, status: 'deferred', detail: 'not tried: an earlier mail of the batch could not go' });
      continue;
    }
    const attempt: DeliveryAttempt = {
      id: batch.id,
      // Each claim lives as long as one mail's send may take, so a dead batch's next attempt soon finds it free.
      deadline: Math.min(batch.deadline, Date.now() + ONE_MAIL_MS),
      previous: progress.get(key),
      heartbeat: (entry) => {
        progress.set(entry.key, entry);
        batch.heartbeat([...progress.values()]);
      },
    };
    try {
      results.push(await deliver(deps, input, attempt));
    } catch (error) {
      const answer = answerFor(key, error);
      if (!answer) throw error;
      lineTrouble = error instanceof TransportFailure && error.progress !== 'reply';
      results.push(answer);
    }
    // Answered: a retry of the batch finds it in the log, so the heartbeat need not carry it any more.
    progress.delete(key);
  }
  return results;
}

/** A failure that concerns this mail alone, as the workflow's answer; undefined if it must fail the batch. */
function answerFor(key: string, error: unknown): SendNotificationResult | undefined {
  if (error instanceof TransportFailure) return { key, status: 'deferred', detail: error.message };
  if (!(error instanceof ApplicationFailure)) return undefined;
  if (error.nonRetryable) return { key, status: 'rejected', detail: error.message };
  if (error.type === 'MailClaimHeld') return { key, status: 'deferred', detail: error.message };
  return undefined;
}
