import type { CommandName, CommandProof } from '../domain/commands.ts';
import type { LinkedPerson } from '../domain/state.ts';
import type { DigestMailInput } from '../domain/digest.ts';
import type {
  DeliverEffectsInput,
  RecordEventsInput,
  SendNotificationInput,
  SendNotificationResult,
} from '../domain/effects.ts';

// The activities the workflows call, as contracts: the workflows hold these types, the worker binds implementations.

/** The activities the lifecycle calls; the worker binds implementations to their dependencies (createActivities). */
export interface AgreementActivities {
  recordEvents(input: RecordEventsInput): Promise<void>;
  sendNotification(input: SendNotificationInput): Promise<SendNotificationResult>;
  /** The mails of one outbox flush over one session, each through the sent-mail log on its own; answers in order. */
  sendNotifications(inputs: SendNotificationInput[]): Promise<SendNotificationResult[]>;
  /** One outbox flush whole: its records, then its mail over one session as sendNotifications sends it. */
  deliverEffects(input: DeliverEffectsInput): Promise<SendNotificationResult[]>;
}

/** The weekly digest's activities (SPEC 15). */
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

/** One command as the worker's actor policy judges it. */
export interface AuthorizeCommandInput {
  workflowId: string;
  /**
   * The Update's name, `start` for the start of the agreement (its proof is made over the agreement document), or
   * `temporalCancel` for a cancel requested through Temporal (which carries no proof: the policy alone decides).
   */
  command: CommandName | 'start' | 'temporalCancel';
  /** The Update id (for `start`, the workflow id): a proof is bound to it, so it cannot be sent again as another command. */
  requestId: string;
  /** The arguments as received, without `proof`: what the proof was made over. */
  args: unknown;
  /** Who the command says acted. */
  actor: string;
  proof?: CommandProof;
  /** A mail link's token (SPEC 16): the recipient acting from their page, through the web server. */
  link?: string;
}

/** The worker's verdict: how the actor was established (`claimed`, `token:<key id>`, `link:<key id>`, `unverified`), or why the command is refused. */
export type Authorization =
  | {
      ok: true;
      actorProof: string;
      /**
       * For a mail link: who it was made for. The decider checks that they still hold that part, so a link made for a
       * signatory or approver since replaced (same id, another email) is refused.
       */
      linkRecipient?: LinkedPerson;
    }
  | { ok: false; reason: string };

/** Run as a local activity, so the keys and the roles file stay on the worker and out of workflow history. */
export interface ActorActivities {
  authorizeCommand(input: AuthorizeCommandInput): Promise<Authorization>;
}
