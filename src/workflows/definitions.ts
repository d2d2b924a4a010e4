import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CommandArgs, CommandName } from '../domain/commands.ts';
import type { DigestMailInput } from '../domain/digest.ts';
import type { DigestSnapshot } from '../domain/digest-snapshot.ts';
import type { DeliverEffectsInput, RecordEventsInput, SendNotificationInput } from '../domain/effects.ts';
import type { AgreementView } from '../domain/view.ts';

/** The wire contract: names every client (ours, the stock CLI, another language) relies on. */
export const WORKFLOW_TYPE = 'agreementLifecycle';
export const DEFAULT_TASK_QUEUE = 'agreements';

const WORKFLOW_ID_PREFIX = 'agreement-';

export const workflowIdFor = (agreementId: string): string => `${WORKFLOW_ID_PREFIX}${agreementId}`;

/** The agreement id of a lifecycle's workflow id (an id without the prefix is returned as it is). */
export const agreementIdFor = (workflowId: string): string =>
  workflowId.startsWith(WORKFLOW_ID_PREFIX) ? workflowId.slice(WORKFLOW_ID_PREFIX.length) : workflowId;

/** One lifecycle command: its Update is named after it, takes its arguments and answers with the new state. */
export type CommandUpdate<N extends CommandName> = UpdateDefinition<AgreementView, [CommandArgs<N>], N>;

export const updates: { readonly [N in CommandName]: CommandUpdate<N> } = {
  amend: defineUpdate('amend'),
  submit: defineUpdate('submit'),
  approve: defineUpdate('approve'),
  requestChanges: defineUpdate('requestChanges'),
  reschedule: defineUpdate('reschedule'),
  sign: defineUpdate('sign'),
  confirmFunding: defineUpdate('confirmFunding'),
  enrol: defineUpdate('enrol'),
  withdraw: defineUpdate('withdraw'),
  launch: defineUpdate('launch'),
  renew: defineUpdate('renew'),
  fulfil: defineUpdate('fulfil'),
  addObligation: defineUpdate('addObligation'),
  complete: defineUpdate('complete'),
  cancel: defineUpdate('cancel'),
};

/** The Update of one command, typed by its name (indexing `updates` with a generic name loses the link). */
export function commandUpdate<N extends CommandName>(name: N): CommandUpdate<N> {
  return updates[name];
}

export const stateQuery: QueryDefinition<AgreementView, [], 'state'> = defineQuery('state');

/** What the weekly digest reads of each agreement: its view, coordinators and planned steps. */
export const digestQuery: QueryDefinition<DigestSnapshot, [], 'digest'> = defineQuery('digest');

export interface SendNotificationResult {
  key: string;
  /** `deferred`: a batch could not send it now; it goes on its own, with the full retry policy. */
  status: 'sent' | 'already-sent' | 'rejected' | 'deferred';
  messageId?: string;
  detail?: string;
}

/** The activities the lifecycle calls; the worker binds implementations to their dependencies (createActivities). */
export interface AgreementActivities {
  recordEvents(input: RecordEventsInput): Promise<void>;
  sendNotification(input: SendNotificationInput): Promise<SendNotificationResult>;
  /** The mails of one outbox flush over one session, each through the sent-mail log on its own; answers in order. */
  sendNotifications(inputs: SendNotificationInput[]): Promise<SendNotificationResult[]>;
  /** One outbox flush whole: its records, then its mail over one session as sendNotifications sends it. */
  deliverEffects(input: DeliverEffectsInput): Promise<SendNotificationResult[]>;
}

/** The weekly digest (SPEC 15): its workflow type, started by a Temporal Schedule, and the activities it calls. */
export const DIGEST_WORKFLOW_TYPE = 'agreementsDigest';

export interface CollectDigestsInput {
  /** The schedule's run: its scheduled time (ISO) and that time's UTC date, the digest's key. */
  at: string;
  runDate: string;
  /** The schedule that runs the digest, whose previous run bounds "changed since the last digest". */
  scheduleId: string;
}

export interface DigestActivities {
  collectDigests(input: CollectDigestsInput): Promise<DigestMailInput[]>;
  sendDigest(input: DigestMailInput): Promise<SendNotificationResult>;
}

// The actor activity: kept apart from AgreementActivities, which createActivities implements.
import type { CommandProof } from '../domain/commands.ts';

/** Marks the runs whose commands are authorised by the worker before they apply (`patched('verified-actors')`). */
export const VERIFIED_ACTORS_PATCH = 'verified-actors';

/** One command as the worker's actor policy judges it. */
export interface AuthorizeCommandInput {
  workflowId: string;
  command: CommandName;
  /** The Update id: a proof is bound to it, so it cannot be sent again as another command. */
  requestId: string;
  /** The arguments as received, without `proof`: what the proof was made over. */
  args: unknown;
  /** Who the command says acted. */
  actor: string;
  proof?: CommandProof;
}

/** The worker's verdict: how the actor was established (`claimed`, `token:<key id>`), or why the command is refused. */
export type Authorization = { ok: true; actorProof: string } | { ok: false; reason: string };

/** Run as a local activity, so the keys and the roles file stay on the worker and out of workflow history. */
export interface ActorActivities {
  authorizeCommand(input: AuthorizeCommandInput): Promise<Authorization>;
}
