import { isGrpcServiceError, ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { temporalUnreachable } from '../shared/config.ts';
import { AgreementError } from './agreement-error.ts';

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_NOT_FOUND = 5;

function grpcCode(error: unknown): number | undefined {
  if (isGrpcServiceError(error)) return error.code;
  if (error instanceof ServiceError && error.cause) return grpcCode(error.cause);
  return undefined;
}

function isConnectionFailure(error: unknown): boolean {
  const code = grpcCode(error);
  if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED) return true;
  const message = error instanceof Error ? error.message : '';
  return /ECONNREFUSED|Failed to connect|failed to connect|transport error|tcp connect error|Connection refused/i.test(
    message,
  );
}

/** The error and its causes, each with its gRPC `details` (the server's own words), empty where there are none. */
function* causeChain(error: unknown): Generator<{ message: string; details: string }> {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    const details = (cause as { details?: unknown }).details;
    yield { message: cause.message, details: typeof details === 'string' ? details.trim() : '' };
  }
}

/** Whether the server's words, in the error or any cause (gRPC details included), match `pattern`. */
function serverSays(error: unknown, pattern: RegExp): boolean {
  for (const { message, details } of causeChain(error)) if (pattern.test(`${message} ${details}`)) return true;
  return false;
}

/** The server's answer to a query that no worker picked up. */
export const isQueryWithoutWorker = (error: unknown) => serverSays(error, /before a worker could process it/i);

/** The server refusing a query or an update because the workflow's task keeps failing (from its third attempt on). */
export const isWorkflowTaskInFailedState = (error: unknown) => serverSays(error, /workflow task in failed state/i);

/** Nobody is serving the task queue: Temporal is up, the worker is not. */
export function noWorker(context: {
  agreementId: string;
  taskQueue: string;
  waitedMs: number;
  command: boolean;
}): AgreementError {
  const waited = `${Math.round(context.waitedMs / 1000)}s`;
  const hint = `is a worker running on task queue "${context.taskQueue}"? Start one with npm run worker.`;
  return new AgreementError(
    'unreachable',
    context.command
      ? `no worker took the command within ${waited}: ${hint} The command may still apply once one starts: check with agreements show ${context.agreementId}`
      : `no worker answered within ${waited}: ${hint}`,
  );
}

/** Why a running agreement's workflow cannot make progress, as far as the server says. */
export interface FailingWorkflowTask {
  /** Attempts of the current workflow task so far, when known. */
  attempt?: number;
  /** The server's cause of the last failure, e.g. WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR. */
  cause?: string;
  /** The failure's message, unless the payload codec encrypted it. */
  message?: string;
}

/**
 * A worker is there, but the agreement's workflow task keeps failing (a bug, or a deploy that no longer replays the
 * agreement's history): starting another worker would not help, an operator must look at the workflow.
 */
export function workflowTaskFailing(context: {
  agreementId: string;
  command: boolean;
  failing: FailingWorkflowTask;
}): AgreementError {
  const { attempt, cause, message } = context.failing;
  const why = cause?.includes('NON_DETERMINISTIC')
    ? "the worker's code no longer replays its history (a deploy changed the workflow without a patch)"
    : 'the worker cannot run its workflow code';
  const said = message ? ` ("${message.split('\n')[0]}")` : '';
  const then = context.command
    ? ` The command may still apply once that is fixed: check with agreements show ${context.agreementId}`
    : '';
  return new AgreementError(
    'unreachable',
    `agreement "${context.agreementId}" is not answering: its workflow task keeps failing${attempt ? ` (attempt ${attempt})` : ''}: ${why}${said}. An operator should look at the workflow in the Temporal UI and the worker's log.${then}`,
  );
}

/** Turns what the Temporal client threw into one clear line for a coordinator. */
export function explain(error: unknown, context: { agreementId?: string; address?: string }): AgreementError {
  if (error instanceof AgreementError) return error;
  const agreement = context.agreementId ? `agreement "${context.agreementId}"` : 'agreement';
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    const message = cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : error.message;
    return new AgreementError('rejected', message, { cause: error });
  }
  if (error instanceof WorkflowExecutionAlreadyStartedError) {
    return new AgreementError('exists', `${agreement} already exists (workflow id ${error.workflowId})`);
  }
  if (error instanceof WorkflowNotFoundError || grpcCode(error) === GRPC_NOT_FOUND) {
    const message = error instanceof Error ? error.message : '';
    if (/completed|closed|terminated/i.test(message)) {
      return new AgreementError('rejected', `${agreement} has ended: no further commands are accepted`);
    }
    return new AgreementError('not-found', `${agreement} not found`);
  }
  if (isConnectionFailure(error)) {
    return new AgreementError('unreachable', temporalUnreachable(context.address ?? 'the configured address'));
  }
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  // The SDK's own message is generic ("Failed to list workflows"); the server's reason is in the gRPC details.
  const detail = serverDetail(error);
  return new AgreementError('rejected', detail && !message.includes(detail) ? `${message}: ${detail}` : message);
}

function serverDetail(error: unknown): string | undefined {
  for (const { details } of causeChain(error)) if (details !== '') return details.split('\n')[0];
  return undefined;
}
