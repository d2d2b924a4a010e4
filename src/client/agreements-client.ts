import { randomUUID } from 'node:crypto';
import {
  Client,
  Connection,
  WorkflowFailedError,
  WorkflowIdReusePolicy,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type WorkflowExecutionInfo,
  type WorkflowHandle,
} from '@temporalio/client';
import { dataConverterFor } from '../codec/data-converter.ts';
import {
  agreementClock,
  formatMinor,
  parseAgreement,
  parseCommand,
  parseStartOptions,
  type Agreement,
  type AgreementView,
  type CommandArgs,
  type CommandName,
  type Stage,
  type StartOptions,
} from '../domain/index.ts';
import { connectionOptions, DEFAULT_WORKER_WAIT_MS, temporalEndpoint, type AppConfig } from '../shared/config.ts';
import * as attribute from '../wire/search-attributes.ts';
import {
  agreementIdFor,
  commandUpdate,
  stateQuery,
  WORKER_DEPLOYMENT_NAME,
  WORKFLOW_TYPE,
  workflowIdFor,
} from '../wire/contract.ts';
import { startProof, withProof } from './actor-proof.ts';
import { checkBatch, type BatchSource, type CheckedBatch } from './batch.ts';
import { whyUnanswered } from './diagnosis.ts';
import { AgreementError } from './agreement-error.ts';
import { explain, isQueryWithoutWorker, isWorkflowTaskInFailedState } from './errors.ts';
import { allOf, atOrBefore, equals, userQuery, type Clause } from './visibility-query.ts';

const DEADLINE_SLACK_MS = 1_000;
/** How often a start looks whether its first workflow task has applied it (it takes a few tens of ms). */
const START_POLL_MS = 25;
/** How long a start waits for a worker to apply it before it leaves it to the worker that comes. */
const START_APPLIED_WAIT_MS = 10_000;

export interface StartedAgreement {
  id: string;
  workflowId: string;
  runId: string;
}

export interface ListedAgreement {
  id: string;
  workflowId: string;
  status: string;
  stage: Stage | null;
  kind: string | null;
  parties: string[];
  ceremonyAt: string | null;
  nextReminderAt: string | null;
  /** When the earliest open obligation falls due (agreements with obligations only). */
  nextObligationDue: string | null;
  title: string | null;
  startedAt: string;
}

export interface ListFilter {
  stage?: Stage;
  /** Only agreements with a reminder due before this instant. */
  remindersDueBefore?: Date;
  /** Only agreements with an open obligation due before this instant. */
  obligationsDueBefore?: Date;
  /** A raw visibility query, ANDed with the others. */
  query?: string;
  /** Only running agreements whose run is on this build of the Worker Deployment (spec §19). */
  build?: string;
  limit?: number;
}

export interface CommandOptions {
  /** Makes a retried command apply once: it becomes the Update id. */
  requestId?: string;
  /** The sender's actor token (`agreements actors issue`): the command then carries a proof the workers check. */
  actorToken?: string;
}

/** How to start agreements: who starts them and, with actor keys on the workers, the token that proves it. */
export interface StartRequest extends StartOptions {
  /** The starter's actor token (`agreements actors issue`): the start then carries a proof the workers check. */
  actorToken?: string;
}

/** The typed API for coordinators' scripts; the `agreements` CLI is a thin layer over it. */
export class AgreementsClient {
  readonly client: Client;
  readonly taskQueue: string;
  private readonly address: string;
  private readonly workerWaitMs: number;

  // Plain fields, not parameter properties: Node runs this file with type stripping only (bin/agreements.js).
  private constructor(client: Client, taskQueue: string, address: string, workerWaitMs: number) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.address = address;
    this.workerWaitMs = workerWaitMs;
  }

  static async connect(config: AppConfig): Promise<AgreementsClient> {
    try {
      const connection = await Connection.connect({ ...connectionOptions(config), connectTimeout: '5s' });
      const client = new Client({
        connection,
        namespace: config.namespace,
        dataConverter: dataConverterFor(config.keyring),
      });
      return new AgreementsClient(client, config.taskQueue, temporalEndpoint(config), config.workerWaitMs);
    } catch (error) {
      throw explain(error, { address: temporalEndpoint(config) });
    }
  }

  static fromClient(client: Client, taskQueue: string, options: { workerWaitMs?: number } = {}): AgreementsClient {
    return new AgreementsClient(
      client,
      taskQueue,
      'the configured address',
      options.workerWaitMs ?? DEFAULT_WORKER_WAIT_MS,
    );
  }

  /**
   * Runs a query or an update, giving up once `workerWaitMs` has passed: with no worker running, Temporal would keep
   * either waiting (an update indefinitely), and the coordinator would see a hang rather than the reason.
   */
  private async withWorker<T>(id: string, command: boolean, run: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const deadline = started + this.workerWaitMs;
    try {
      return await this.client.withDeadline(deadline, run);
    } catch (error) {
      // The deadline's error can arrive a moment before the clock passes it; a rejected command is never "no worker".
      const timedOut =
        error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || Date.now() >= deadline - DEADLINE_SLACK_MS;
      // From its third attempt on, the server refuses at once what a failing workflow task cannot answer.
      const refusedAsFailing = isWorkflowTaskInFailedState(error);
      if (
        refusedAsFailing ||
        isQueryWithoutWorker(error) ||
        (timedOut && !(error instanceof WorkflowUpdateFailedError))
      ) {
        throw await whyUnanswered(this.client, {
          agreementId: id,
          taskQueue: this.taskQueue,
          waitedMs: Date.now() - started,
          command,
          refusedAsFailing,
        });
      }
      throw explain(error, { agreementId: id, address: this.address });
    }
  }

  async close(): Promise<void> {
    await this.client.connection.close();
  }

  /** Validates and starts one agreement; fails clearly if its id is taken. */
  async start(document: unknown, options: StartRequest = {}): Promise<StartedAgreement> {
    const { actorToken, ...startOptions } = options;
    const parsed = parseAgreement(document);
    if (!parsed.ok) throw new AgreementError('invalid', parsed.errors.join('\n'));
    const how = parseStartOptions(startOptions);
    if (!how.ok) throw new AgreementError('invalid', how.errors.join('\n'));
    return this.launch(document, parsed.value, how.value, actorToken);
  }

  /**
   * Starts the workflow of an agreement already validated (`document` is what the workflow validates again); with an
   * actor token, the start carries a proof, as a command does.
   */
  private async launch(
    document: unknown,
    agreement: Agreement,
    how: StartOptions,
    actorToken?: string,
  ): Promise<StartedAgreement> {
    const workflowId = workflowIdFor(agreement.id);
    const signed = actorToken === undefined ? undefined : startProof(actorToken, workflowId, document, how.actor);
    const actor = signed?.actor ?? how.actor;
    try {
      const handle = await this.client.workflow.start(WORKFLOW_TYPE, {
        workflowId,
        taskQueue: this.taskQueue,
        // The second argument only when there is something to say: the wire contract's one argument stays enough.
        args:
          signed !== undefined
            ? [signed.document, { actor, proof: signed.proof }]
            : actor === undefined
              ? [document]
              : [document, { actor }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        staticSummary: agreement.title,
        memo: { title: agreement.title },
        staticDetails: staticDetails(agreement),
        typedSearchAttributes: attribute.presentPairs(attribute.searchAttributePairs(agreement, 'draft')),
      });
      await this.untilStartApplied(handle, agreement.id);
      return { id: agreement.id, workflowId, runId: handle.firstExecutionRunId };
    } catch (error) {
      if (error instanceof AgreementError) throw error;
      throw explain(error, { agreementId: agreement.id, address: this.address });
    }
  }

  /**
   * Waits for the workflow's first task, which authorises the start and records it: a start the workflow refuses (an
   * actor the roles file does not let start, a proof that does not match) is then a refusal here, not an exit 0 that
   * is followed by a failed workflow. With no worker answering, the start stands and is applied when one comes.
   */
  private async untilStartApplied(handle: WorkflowHandle, id: string): Promise<void> {
    const deadline = Date.now() + Math.min(this.workerWaitMs, START_APPLIED_WAIT_MS);
    for (;;) {
      const view = await this.client.withDeadline(deadline, () => handle.query(stateQuery)).catch(() => undefined);
      if (view !== undefined && view.events > 0) return;
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') {
        const failure = await handle.result().then(
          () => undefined,
          (error: unknown) => error,
        );
        const reason = failure instanceof WorkflowFailedError ? failure.cause?.message : undefined;
        throw new AgreementError('rejected', `${id}: not started: ${reason ?? status.name.toLowerCase()}`);
      }
      // Unanswered (no worker yet) or still authorising: the start stands either way once the wait is over.
      if (view === undefined || Date.now() >= deadline) return;
      await new Promise((resolve) => setTimeout(resolve, START_POLL_MS));
    }
  }

  /** Validates every agreement in a file's content first: none starts unless all are valid. */
  startAll(content: unknown, options: StartRequest = {}): Promise<StartedAgreement[]> {
    return this.startBatch([{ content }], options);
  }

  /**
   * Starts the agreements of several files (each one agreement or a list) as one batch: every document is validated,
   * and their ids checked to be distinct, before any starts. Errors name the file (`label`) and the list position.
   * A failure part-way (an id already in use, Temporal gone) names the agreements that were started before it.
   * `onStarted` hears of each agreement as it starts (the CLI counts n/N).
   */
  async startBatch(
    sources: readonly BatchSource[],
    options: StartRequest = {},
    onStarted?: (started: StartedAgreement, count: number, total: number) => void,
  ): Promise<StartedAgreement[]> {
    const { actorToken, ...startOptions } = options;
    return this.startChecked(checkBatch(sources, startOptions), onStarted, actorToken);
  }

  /**
   * Starts a batch `checkBatch` has accepted already (the CLI checks it before it connects, and not twice); with an
   * actor token, each start carries its proof.
   */
  async startChecked(
    batch: CheckedBatch,
    onStarted?: (started: StartedAgreement, count: number, total: number) => void,
    actorToken?: string,
  ): Promise<StartedAgreement[]> {
    const started: StartedAgreement[] = [];
    for (const { document, agreement } of batch.agreements) {
      try {
        started.push(await this.launch(document, agreement, batch.options, actorToken));
      } catch (error) {
        if (!(error instanceof AgreementError) || started.length === 0) throw error;
        const names = started.map((agreement) => agreement.id).join(', ');
        throw new AgreementError(error.kind, `${error.message} (already started in this batch: ${names})`, {
          cause: error,
        });
      }
      onStarted?.(started[started.length - 1] as StartedAgreement, started.length, batch.agreements.length);
    }
    return started;
  }

  async show(id: string): Promise<AgreementView> {
    return this.withWorker(id, false, () => this.client.workflow.getHandle(workflowIdFor(id)).query(stateQuery));
  }

  /** Sends one lifecycle command as an Update; returns the new state, or throws the rejection. */
  async command<N extends CommandName>(
    id: string,
    name: N,
    args: CommandArgs<N>,
    options: CommandOptions = {},
  ): Promise<AgreementView> {
    const parsed = parseCommand(name, args);
    if (!parsed.ok) throw new AgreementError('invalid', parsed.errors.join('; '));
    const workflowId = workflowIdFor(id);
    const updateId = options.requestId ?? randomUUID();
    const sent =
      options.actorToken === undefined ? args : withProof(options.actorToken, workflowId, name, updateId, args);
    const handle = this.client.workflow.getHandle(workflowId);
    return this.withWorker(id, true, () => handle.executeUpdate(commandUpdate(name), { args: [sent], updateId }));
  }

  /** Waits for the agreement to end and returns its final state. */
  async result(id: string): Promise<AgreementView> {
    try {
      return (await this.client.workflow.getHandle(workflowIdFor(id)).result()) as AgreementView;
    } catch (error) {
      throw explain(error, { agreementId: id, address: this.address });
    }
  }

  async list(filter: ListFilter = {}): Promise<ListedAgreement[]> {
    const clauses: Clause[] = [equals('WorkflowType', WORKFLOW_TYPE)];
    if (filter.stage) clauses.push(equals(attribute.AgreementStage.name, filter.stage));
    if (filter.remindersDueBefore) clauses.push(atOrBefore(attribute.NextReminderAt.name, filter.remindersDueBefore));
    if (filter.obligationsDueBefore) {
      clauses.push(atOrBefore(attribute.NextObligationDue.name, filter.obligationsDueBefore));
    }
    if (filter.build) {
      // A run that continued as new stays listed under the build it ran on; the agreement sits where its open run is.
      clauses.push(equals('TemporalWorkerDeploymentVersion', `${WORKER_DEPLOYMENT_NAME}:${filter.build}`));
      clauses.push(equals('ExecutionStatus', 'Running'));
    }
    if (filter.query) clauses.push(userQuery(filter.query));
    const listed: ListedAgreement[] = [];
    const query = allOf(clauses);
    try {
      for await (const execution of this.client.workflow.list({ query })) {
        listed.push(listedAgreement(execution));
        if (filter.limit && listed.length >= filter.limit) break;
      }
    } catch (error) {
      const explained = explain(error, { address: this.address });
      // The server's "syntax error at position N" counts in the whole query, which the user has not seen.
      if (filter.query && explained.kind === 'rejected')
        throw new AgreementError('rejected', `${explained.message} (in the query ${query})`);
      throw explained;
    }
    return listed.sort((a, b) => a.id.localeCompare(b.id));
  }
}

function listedAgreement(execution: WorkflowExecutionInfo): ListedAgreement {
  const attributes = execution.typedSearchAttributes;
  const iso = (value: Date | undefined) => (value ? value.toISOString() : null);
  return {
    id: agreementIdFor(execution.workflowId),
    workflowId: execution.workflowId,
    status: execution.status.name,
    stage: (attributes.get(attribute.AgreementStage) as Stage | undefined) ?? null,
    kind: attributes.get(attribute.AgreementKind) ?? null,
    parties: attributes.get(attribute.AgreementParties) ?? [],
    ceremonyAt: iso(attributes.get(attribute.CeremonyAt)),
    nextReminderAt: iso(attributes.get(attribute.NextReminderAt)),
    nextObligationDue: iso(attributes.get(attribute.NextObligationDue)),
    title: typeof execution.memo?.title === 'string' ? execution.memo.title : null,
    startedAt: execution.startTime.toISOString(),
  };
}

/** The fixed description the Temporal UI shows under the title. */
function staticDetails(agreement: Agreement): string {
  const lines = [
    `**Kind:** ${agreement.kind}`,
    `**Parties:** ${agreement.parties.map((party) => party.name).join(', ')}`,
    `**Signatories:** ${agreement.signatories.map((s) => `${s.name}${s.title ? ` (${s.title})` : ''}`).join(', ')}`,
  ];
  if (agreement.ceremony) lines.push(`**Ceremony:** ${agreementClock(agreement)(agreement.ceremony.at)}`);
  if (agreement.funding) {
    const total = agreement.funding.commitments.reduce((sum, c) => sum + c.amount, 0);
    lines.push(
      `**Funding:** ${formatMinor(total, agreement.funding.currency)} in ${agreement.funding.commitments.length} commitment(s)`,
    );
  }
  if (agreement.approvals.length > 0)
    lines.push(`**Approvals:** ${agreement.approvals.map((approver) => approver.name).join(', ')}`);
  if (agreement.obligations.length > 0) lines.push(`**Obligations:** ${agreement.obligations.length}`);
  if (agreement.cohort)
    lines.push(
      `**Cohort:** ${agreement.cohort.minimum}–${agreement.cohort.capacity} candidates at ${agreement.cohort.sites.join(', ')}`,
    );
  const list = lines.map((line) => `- ${line}`).join('\n');
  return agreement.summary ? `${list}\n\n${agreement.summary}` : list;
}
