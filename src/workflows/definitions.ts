import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CommandArgs, CommandName } from '../domain/commands.ts';
import type { AgreementView } from '../domain/view.ts';

/** The wire contract of spec §4: names every client (ours, the stock CLI, another language) relies on. */
export const WORKFLOW_TYPE = 'agreementLifecycle';
export const DEFAULT_TASK_QUEUE = 'agreements';
export const workflowIdFor = (agreementId: string) => `agreement-${agreementId}`;

export const stateQuery = defineQuery<AgreementView>('state');

type UpdateDefinitions = { [N in CommandName]: ReturnType<typeof defineUpdate<AgreementView, [CommandArgs<N>], N>> };

export const updates: UpdateDefinitions = {
  amend: defineUpdate('amend'),
  submit: defineUpdate('submit'),
  reschedule: defineUpdate('reschedule'),
  sign: defineUpdate('sign'),
  confirmFunding: defineUpdate('confirmFunding'),
  enrol: defineUpdate('enrol'),
  withdraw: defineUpdate('withdraw'),
  launch: defineUpdate('launch'),
  renew: defineUpdate('renew'),
  complete: defineUpdate('complete'),
  cancel: defineUpdate('cancel'),
};
