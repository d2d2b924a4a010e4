import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import { TransportFailure, type MailTransport, type OutgoingMail } from '../../ports/mail-transport.ts';
import type { MailSettlement, RecordsStore, SentMailRow } from '../../ports/records-store.ts';
import type { SendNotificationResult } from '../../domain/effects.ts';
import type { SendNotificationInput } from '../../domain/index.ts';
import { MailPartUnavailableError } from '../errors.ts';

/** What delivering a notification needs: the sent-mail log, a transport and the renderer. */
export interface DeliveryDependencies {
  records: Pick<RecordsStore, 'claimMail' | 'settleMail' | 'releaseMail'>;
  transport: MailTransport;
  /** May be async: the worker's renderer signs each reader's mail link (SPEC 16) first. */
  render: (input: SendNotificationInput) => OutgoingMail | Promise<OutgoingMail>;
  logger: Logger;
  clock?: () => Date;
}

/** What an attempt reports by heartbeat, so that the attempt after it knows what it left behind. */
export interface DeliveryProgress {
  key: string;
  attempt: string;
  /** The server answered 2xx: the next attempt only has to record it. */
  accepted: boolean;
  resends: number;
}

/** One attempt of the activity: who it is, when it must have finished, and what the attempt before it reported. */
export interface DeliveryAttempt {
  id: string;
  deadline: number;
  heartbeat(progress: DeliveryProgress): void;
  previous?: DeliveryProgress;
}

/** The attempt must be over a little before its deadline, so that no live attempt outlasts its claim. */
const DEADLINE_MARGIN_MS = 1_000;
export const DEFAULT_ATTEMPT_MS = 20_000;

/** The running attempt: who it is, when it must end, how it heartbeats, and what the attempt before it reported. */
export function runningAttempt(now = Date.now()): {
  id: string;
  deadline: number;
  heartbeat(details: unknown): void;
  details: unknown;
} {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    // Outside an activity (a tool, a test): a fresh identity with a deadline of its own.
    return { id: randomUUID(), deadline: now + DEFAULT_ATTEMPT_MS, heartbeat: () => undefined, details: undefined };
  }
  const { info } = context;
  return {
    id: `${info.activityId}#${info.attempt}-${randomUUID().slice(0, 8)}`,
    deadline: now + (info.startToCloseTimeoutMs || DEFAULT_ATTEMPT_MS),
    heartbeat: (details) => context.heartbeat(details),
    details: info.heartbeatDetails,
  };
}

/** The running activity's attempt, with what the attempt before it reported. */
export function currentAttempt(now = Date.now()): DeliveryAttempt {
  const { details, ...attempt } = runningAttempt(now);
  return { ...attempt, previous: isDeliveryProgress(details) ? details : undefined };
}

/** Heartbeat details are whatever an earlier attempt (maybe of older code) wrote: check their shape. */
export function isDeliveryProgress(details: unknown): details is DeliveryProgress {
  if (typeof details !== 'object' || details === null) return false;
  const { key, attempt, accepted, resends } = details as Record<string, unknown>;
  return (
    typeof key === 'string' &&
    typeof attempt === 'string' &&
    typeof accepted === 'boolean' &&
    typeof resends === 'number'
  );
}

/**
 * Delivers one notification through the sent-mail log's states: claimed → sent | refused | uncertain. Exactly one
 * copy when nothing fails; where a broken line makes it unknowable whether the server took the message, it goes again
 * with the same Message-ID and the log counts the resend. This module is the only code that touches both the log and
 * the transport; it never waits or retries by itself: a failure is thrown with its retryability, and Temporal's retry
 * policy brings the next attempt.
 */
export async function deliver(
  deps: DeliveryDependencies,
  input: SendNotificationInput,
  attempt: DeliveryAttempt = currentAttempt(),
): Promise<SendNotificationResult> {
  const now = () => (deps.clock ?? (() => new Date()))().toISOString();
  const { key } = input.notification;
  const { agreementId } = input;
  const log = deps.logger.child({ key, agreementId });
  const previous = attempt.previous?.key === key ? attempt.previous : undefined;

  let mail: OutgoingMail;
  try {
    mail = await deps.render(input);
  } catch (error) {
    // Nothing is claimed yet: an attachment that could not be read now is tried again, a bad notification never.
    if (error instanceof MailPartUnavailableError) throw ApplicationFailure.retryable(error.message, error.name);
    throw ApplicationFailure.nonRetryable(messageOf(error), 'InvalidNotification');
  }
  const sent = (): SendNotificationResult => ({ key, status: 'sent', messageId: mail.messageId });

  if (previous?.accepted) {
    // The server took it on the last attempt, which could not record it: record it now, send nothing.
    attempt.heartbeat(previous);
    await deps.records.settleMail(agreementId, key, previous.attempt, settled('sent', now(), previous.resends));
    log.info('mail sent on the previous attempt, now recorded');
    return sent();
  }

  const claim = await deps.records.claimMail({
    agreementId,
    key,
    kind: input.notification.kind,
    recipient: mail.to.address,
    subject: mail.subject,
    messageId: mail.messageId,
    attempt: attempt.id,
    at: now(),
    liveUntil: new Date(attempt.deadline).toISOString(),
    supersedes: previous?.attempt,
  });
  if (claim.outcome === 'settled') return settledResult(claim.row);
  if (claim.outcome === 'held') throw heldByAnother(claim.row, deps.clock);
  // A claim taken over from an attempt that ended without a word may already be on the server: this is a resend,
  // which the takeover has counted.
  let resends = claim.takenOver?.resends ?? 0;
  attempt.heartbeat({ key, attempt: attempt.id, accepted: false, resends });

  const send = () =>
    deps.transport.send(mail, {
      signal: AbortSignal.timeout(Math.max(0, attempt.deadline - Date.now() - DEADLINE_MARGIN_MS)),
    });
  try {
    try {
      await send();
    } catch (error) {
      if (!(error instanceof TransportFailure) || error.progress !== 'after-dot') throw error;
      // The line broke after the final dot: the server may hold it. Say so, then send the same message once more.
      log.warn({ reason: error.message }, 'mail may have been delivered; sending it again with the same Message-ID');
      // The resend is counted before it goes: if it breaks too, the attempt that takes over counts on from there.
      resends += 1;
      await deps.records.settleMail(agreementId, key, attempt.id, {
        status: 'uncertain',
        at: now(),
        resends,
        detail: error.message,
      });
      attempt.heartbeat({ key, attempt: attempt.id, accepted: false, resends });
      await send();
    }
  } catch (error) {
    throw await failed(deps, input, attempt, mail, error, resends);
  }

  // Accepted: until the log says so durably, a killed worker would send this mail again (an owned resend). The
  // write goes ahead of other waiting writes, before the next mail of a batch; recordedInMs measures that window.
  const acceptedAt = performance.now();
  attempt.heartbeat({ key, attempt: attempt.id, accepted: true, resends });
  const recorded = await deps.records.settleMail(agreementId, key, attempt.id, settled('sent', now(), resends));
  const recordedInMs = Math.round((performance.now() - acceptedAt) * 10) / 10;
  if (!recorded) log.warn('mail sent after its claim had passed to another attempt');
  log.info({ kind: input.notification.kind, resends, recordedInMs }, 'mail sent');
  return sent();
}

function settled(status: MailSettlement['status'], at: string, resends: number): MailSettlement {
  return { status, at, resends };
}

function settledResult(row: SentMailRow): SendNotificationResult {
  return row.status === 'refused'
    ? { key: row.key, status: 'rejected', messageId: row.messageId, detail: row.detail }
    : { key: row.key, status: 'already-sent', messageId: row.messageId };
}

/** A live attempt is delivering this mail: come back when its claim runs out, unless it finishes first. */
function heldByAnother(row: SentMailRow, clock: (() => Date) | undefined): ApplicationFailure {
  const now = (clock ?? (() => new Date()))().getTime();
  const until = row.liveUntil ? Date.parse(row.liveUntil) : now;
  return ApplicationFailure.create({
    message: `another attempt is delivering ${row.key} (its claim holds until ${row.liveUntil ?? 'now'})`,
    type: 'MailClaimHeld',
    nextRetryDelay: Math.max(1_000, until - now),
  });
}

/**
 * What a failed send leaves in the log, and the failure to throw. A refusal is final; a send the server does not hold
 * releases its claim, so the retry sends at once; anything else keeps the claim, which the next attempt takes over
 * (the heartbeat names this attempt) and counts as a resend.
 */
async function failed(
  deps: DeliveryDependencies,
  input: SendNotificationInput,
  attempt: DeliveryAttempt,
  mail: OutgoingMail,
  error: unknown,
  resends: number,
): Promise<Error> {
  const { key } = input.notification;
  const at = (deps.clock ?? (() => new Date()))().toISOString();
  if (error instanceof TransportFailure && error.permanent) {
    // A refusal is final whatever the store says: the coordinators must still be told.
    await deps.records
      .settleMail(input.agreementId, key, attempt.id, { status: 'refused', at, resends, detail: error.message })
      .catch((storeError: unknown) => deps.logger.error({ key, err: storeError }, 'could not record the refusal'));
    deps.logger.warn({ key, reason: error.message }, 'mail permanently refused');
    return ApplicationFailure.nonRetryable(
      `mail to ${mail.to.address} refused: ${error.message}`,
      'PermanentDeliveryFailure',
    );
  }
  if (error instanceof TransportFailure && error.progress !== 'after-dot') {
    // This send is not on the server (the final dot was never written, or it answered 4xx): the retry may send at
    // once. Copies an earlier send may have left there (a claim taken over, a resend's first copy) stay counted.
    const release = { at, copiesOut: resends };
    await deps.records.releaseMail(input.agreementId, key, attempt.id, release).catch((storeError: unknown) =>
      // Kept, the claim is taken over by the next attempt: one mail still, logged as a resend.
      deps.logger.warn({ key, err: storeError }, 'could not release the claim of an undelivered mail'),
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
