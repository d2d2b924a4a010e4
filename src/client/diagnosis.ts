import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { workflowIdFor } from '../wire/contract.ts';
import type { AgreementError } from './agreement-error.ts';
import { noWorker, workflowTaskFailing, type FailingWorkflowTask } from './errors.ts';

const { temporal } = proto;
/** How long the CLI may spend finding out why an agreement did not answer. */
const DIAGNOSIS_MS = 3_000;
/** What a failure's message reads when the payload codec encrypts failures (the SDK's placeholder). */
const ENCRYPTED_FAILURE_MESSAGE = 'Encoded failure';

export interface Unanswered {
  agreementId: string;
  taskQueue: string;
  waitedMs: number;
  /** An Update (a command), rather than a query. */
  command: boolean;
  /** The server refused at once because the workflow task is failing. */
  refusedAsFailing: boolean;
}

/** Why an agreement did not answer: its workflow task keeps failing, or no worker took it. */
export async function whyUnanswered(client: Client, unanswered: Unanswered): Promise<AgreementError> {
  const { agreementId, command } = unanswered;
  const failing = (await failingWorkflowTask(client, agreementId)) ?? (unanswered.refusedAsFailing ? {} : undefined);
  if (failing) return workflowTaskFailing({ agreementId, command, failing });
  return noWorker({ agreementId, taskQueue: unanswered.taskQueue, waitedMs: unanswered.waitedMs, command });
}

/**
 * Whether the agreement's workflow task keeps failing, so that "no worker" is not said of a worker that is there but
 * cannot run it. Undefined when it is not failing (a task that timed out: no worker took it, or one died holding it),
 * or when asking takes too long or fails.
 */
async function failingWorkflowTask(client: Client, agreementId: string): Promise<FailingWorkflowTask | undefined> {
  const execution = { workflowId: workflowIdFor(agreementId) };
  const { namespace } = client.options;
  try {
    return await client.withDeadline(Date.now() + DIAGNOSIS_MS, async () => {
      const described = await client.workflowService.describeWorkflowExecution({ namespace, execution });
      const attempt = described.pendingWorkflowTask?.attempt ?? 0;
      if (attempt < 2) return undefined;
      // Attempts after the first are not written to history: the newest outcome of a workflow task tells why.
      const { history } = await client.workflowService.getWorkflowExecutionHistoryReverse({
        namespace,
        execution,
        maximumPageSize: 50,
      });
      const outcome = history?.events?.find(
        (event) =>
          event.workflowTaskFailedEventAttributes ||
          event.workflowTaskTimedOutEventAttributes ||
          event.workflowTaskCompletedEventAttributes,
      );
      const failed = outcome?.workflowTaskFailedEventAttributes;
      if (!failed) return undefined;
      const message = failed.failure?.message;
      return {
        attempt,
        cause: failed.cause ? temporal.api.enums.v1.WorkflowTaskFailedCause[failed.cause] : undefined,
        message: message && message !== ENCRYPTED_FAILURE_MESSAGE ? message : undefined,
      };
    });
  } catch {
    return undefined;
  }
}
