import { DefaultFailureConverter } from '@temporalio/common';

/**
 * With encryption on, a failure's message and stack trace travel as an encoded payload, so the codec encrypts them like
 * every other payload: a message can name a person ("mail to li.wei@… refused"). Clients decode them without this (the
 * default converter always reads encoded attributes); the worker loads it by path, into its activities and into the
 * workflow bundle (`ENCRYPTED_FAILURES_PATH` in src/worker/create-worker.ts).
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
