import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CommandArgs, CommandName } from '../domain/commands.ts';
import type { DigestSnapshot } from '../domain/digest-snapshot.ts';
import type { AgreementView } from '../domain/view.ts';
import { STATE_QUERY } from './workflow-id.ts';

/** The wire contract: names every client (ours, the stock CLI, another language) relies on. */
export const WORKFLOW_TYPE = 'agreementLifecycle';

/** The Temporal Worker Deployment every agreements worker is a version of (spec §19). */
export const WORKER_DEPLOYMENT_NAME = 'agreements';

export { agreementIdFor, workflowIdFor } from './workflow-id.ts';

/** One lifecycle command: its Update is named after it, takes its arguments and answers with the new state. */
export type CommandUpdate<N extends CommandName> = UpdateDefinition<AgreementView, [CommandArgs<N>], N>;

export const updates: { readonly [N in CommandName]: CommandUpdate<N> } = {
  amend: defineUpdate('amend'),
  submit: defineUpdate('submit'),
  approve: defineUpdate('approve'),
  requestChanges: defineUpdate('requestChanges'),
  reschedule: defineUpdate('reschedule'),
  sign: defineUpdate('sign'),
  decline: defineUpdate('decline'),
  extend: defineUpdate('extend'),
  replace: defineUpdate('replace'),
  confirmFunding: defineUpdate('confirmFunding'),
  enrol: defineUpdate('enrol'),
  withdraw: defineUpdate('withdraw'),
  launch: defineUpdate('launch'),
  renew: defineUpdate('renew'),
  fulfil: defineUpdate('fulfil'),
  addObligation: defineUpdate('addObligation'),
  vary: defineUpdate('vary'),
  withdrawVariation: defineUpdate('withdrawVariation'),
  complete: defineUpdate('complete'),
  cancel: defineUpdate('cancel'),
};

/** The Update of one command, typed by its name (indexing `updates` with a generic name loses the link). */
export function commandUpdate<N extends CommandName>(name: N): CommandUpdate<N> {
  return updates[name];
}

/** What a lifecycle answers the `upgrade` Update (spec §19): the build it runs on and whether it will move. */
export interface UpgradeAnswer {
  /** The build id of the Worker Deployment version that ran the Update; absent on an unversioned worker. */
  buildId?: string;
  /** Temporal names another build as current: the run continues as new onto it at its next quiet point. */
  moving: boolean;
}

/**
 * A harmless Update that only wakes a lifecycle (`agreements upgrade`): Temporal tells a pinned run that the current
 * build changed only in a workflow task, and a run asleep until a reminder next month would otherwise stay put.
 */
export const upgradeUpdate: UpdateDefinition<UpgradeAnswer, [], 'upgrade'> = defineUpdate('upgrade');

export const stateQuery: QueryDefinition<AgreementView, [], 'state'> = defineQuery(STATE_QUERY);

/** What the weekly digest reads of each agreement: its view, coordinators and planned steps. */
export const digestQuery: QueryDefinition<DigestSnapshot, [], 'digest'> = defineQuery('digest');

/** The weekly digest (SPEC 15): its workflow type, started by a Temporal Schedule. */
export const DIGEST_WORKFLOW_TYPE = 'agreementsDigest';
