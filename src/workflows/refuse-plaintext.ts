import { ApplicationFailure } from '@temporalio/workflow';
import { isPlaintextMark, PLAINTEXT_REFUSAL, PLAINTEXT_REFUSED_TYPE } from '../wire/plaintext.ts';

/**
 * Refuses, non-retryable, a start or command any of whose arguments a worker requiring encryption received in clear
 * (marked by its codec): only holders of the key may start agreements or send commands.
 */
export function refusePlaintext(...values: unknown[]): void {
  if (values.some(isPlaintextMark)) throw ApplicationFailure.nonRetryable(PLAINTEXT_REFUSAL, PLAINTEXT_REFUSED_TYPE);
}
