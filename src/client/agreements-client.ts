import { randomUUID } from 'node:crypto';
import {
  Client,
  Connection,
  WorkflowIdReusePolicy,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import proto from '@temporalio/proto';
import {
  agreementDocuments,
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
import {
  AgreementKind,
  AgreementParties,
  AgreementStage,
  CeremonyAt,
  NextReminderAt,
} from '../shared/search-attributes.ts';
import { stateQuery, updates, WORKFLOW_TYPE, workflowIdFor } from '../workflows/definitions.ts';
import {
  AgreementError,
  explain,
  isQueryWithoutWorker,
  isWorkflowTaskInFailedState,
  noWorker,
  workflowTaskFailing,
  type FailingWorkflowTask,
} from './errors.ts';

const { temporal } = proto;
const DEADLINE_SLACK_MS = 1_000;
/** How long the CLI may spend finding out why an agreement did not answer. */
const DIAGNOSIS_MS = 3_000;
/** What a failure's message reads when the payload codec encrypts failures (the SDK's placeholder). */
const ENCRYPTED_FAILURE_MESSAGE = 'Encoded failure';

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
  title: string | null;
  startedAt: string;
}

export interface ListFilter {
  stage?: Stage;
  /** Only agreements with a reminder due before this instant. */
  remindersDueBefore?: Date;
  /** A raw visibility query, ANDed with the others. */
  query?: string;
  limit?: number;
}

export interface CommandOptions {
  /** Makes a retried command apply once: it becomes the Update id. */
  requestId?: string;
}

/** The typed API for coordinators' scripts; the `agreements` CLI is a thin layer over it. */
export class AgreementsClient {
  private constructor(
    readonly client: Client,
    readonly taskQueue: string,
    private readonly address: string,
    private readonly workerWaitMs: number,
  ) {}

  static async connect(config: AppConfig): Promise<AgreementsClient> {
    try {
      const connection = await Connection.connect({ ...connectionOptions(config), connectTimeout: '5s' });
      const client = new Client({
        connection,
        namespace: config.namespace,
        ...(config.dataConverter ? { dataConverter: config.dataConverter } : {}),
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
        const failing = (await this.failingWorkflowTask(id)) ?? (refusedAsFailing ? {} : undefined);
        if (failing) throw workflowTaskFailing({ agreementId: id, command, failing });
        throw noWorker({ agreementId: id, taskQueue: this.taskQueue, waitedMs: Date.now() - started, command });
      }
      throw explain(error, { agreementId: id, address: this.address });
    }
  }

  /**
   * Whether the agreement's workflow task keeps failing, so that "no worker" is not said of a worker that is there but
   * cannot run it. Undefined when it is not failing (a task that timed out: no worker took it, or one died holding it),
   * or when asking takes too long or fails.
   */
  private async failingWorkflowTask(id: string): Promise<FailingWorkflowTask | undefined> {
    const execution = { workflowId: workflowIdFor(id) };
    const { namespace } = this.client.options;
    try {
      return await this.client.withDeadline(Date.now() + DIAGNOSIS_MS, async () => {
        const described = await this.client.workflowService.describeWorkflowExecution({ namespace, execution });
        const attempt = described.pendingWorkflowTask?.attempt ?? 0;
        if (attempt < 2) return undefined;
        // Attempts after the first are not written to history: the newest outcome of a workflow task tells why.
        const { history } = await this.client.workflowService.getWorkflowExecutionHistoryReverse({
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
        const cause = failed.cause ? temporal.api.enums.v1.WorkflowTaskFailedCause[failed.cause] : undefined;
        const message = failed.failure?.message;
        return {
          attempt,
          ...(cause ? { cause } : {}),
          ...(message && message !== ENCRYPTED_FAILURE_MESSAGE ? { message } : {}),
        };
      });
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.client.connection.close();
  }

  /** Validates and starts one agreement; fails clearly if its id is taken. */
  async start(document: unknown, options: StartOptions = {}): Promise<StartedAgreement> {
    const parsed = parseAgreement(document);
    if (!parsed.ok) throw new AgreementError('invalid', parsed.errors.join('\n'));
    const how = parseStartOptions(options);
    if (!how.ok) throw new AgreementError('invalid', how.errors.join('\n'));
    return this.launch(document, parsed.value, how.value);
  }

  /** Starts the workflow of an agreement already validated (`document` is what the workflow validates again). */
  private async launch(document: unknown, agreement: Agreement, how: StartOptions): Promise<StartedAgreement> {
    const workflowId = workflowIdFor(agreement.id);
    try {
      const handle = await this.client.workflow.start(WORKFLOW_TYPE, {
        workflowId,
        taskQueue: this.taskQueue,
        // The second argument only when there is something to say: the wire contract's one argument stays enough.
        args: how.actor === undefined ? [document] : [document, { actor: how.actor }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        staticSummary: agreement.title,
        memo: { title: agreement.title },
        staticDetails: staticDetails(agreement),
        typedSearchAttributes: [
          { key: AgreementStage, value: 'draft' },
          { key: AgreementKind, value: agreement.kind },
          { key: AgreementParties, value: agreement.parties.map((party) => party.id) },
          ...(agreement.ceremony ? [{ key: CeremonyAt, value: new Date(agreement.ceremony.at) }] : []),
        ],
      });
      return { id: agreement.id, workflowId, runId: handle.firstExecutionRunId };
    } catch (error) {
      throw explain(error, { agreementId: agreement.id, address: this.address });
    }
  }

  /** Validates every agreement in a file's content first: none starts unless all are valid. */
  startAll(content: unknown, options: StartOptions = {}): Promise<StartedAgreement[]> {
    return this.startBatch([{ content }], options);
  }

  /**
   * Starts the agreements of several files (each one agreement or a list) as one batch: every document is validated,
   * and their ids checked to be distinct, before any starts. Errors name the file (`label`) and the list position.
   * A failure part-way (an id already in use, Temporal gone) names the agreements that were started before it.
   */
  async startBatch(
    sources: readonly { label?: string; content: unknown }[],
    options: StartOptions = {},
  ): Promise<StartedAgreement[]> {
    const problems: string[] = [];
    const valid: { document: unknown; agreement: Agreement }[] = [];
    const firstWithId = new Map<string, string>();
    for (const { label, content } of sources) {
      const listed = agreementDocuments(content);
      if (!listed.ok) {
        problems.push(...listed.errors.map((error) => (label ? `${label}: ${error}` : error)));
        continue;
      }
      listed.value.forEach((document, index) => {
        const place = [label, listed.value.length > 1 ? `agreements[${index}]` : ''].filter(Boolean).join(': ');
        const where = place ? `${place}${listed.value.length > 1 ? '.' : ': '}` : '';
        const parsed = parseAgreement(document);
        if (!parsed.ok) {
          problems.push(...parsed.errors.map((error) => `${where}${error}`));
          return;
        }
        const earlier = firstWithId.get(parsed.value.id);
        if (earlier !== undefined)
          problems.push(`${where}id: "${parsed.value.id}" appears twice in this batch (also ${earlier || 'above'})`);
        else firstWithId.set(parsed.value.id, place);
        valid.push({ document, agreement: parsed.value });
      });
    }
    const how = parseStartOptions(options);
    if (!how.ok) problems.push(...how.errors);
    if (!how.ok || problems.length > 0) throw new AgreementError('invalid', problems.join('\n'));
    const started: StartedAgreement[] = [];
    for (const { document, agreement } of valid) {
      try {
        started.push(await this.launch(document, agreement, how.value));
      } catch (error) {
        if (!(error instanceof AgreementError) || started.length === 0) throw error;
        const names = started.map((agreement) => agreement.id).join(', ');
        throw new AgreementError(error.kind, `${error.message} (already started in this batch: ${names})`, {
          cause: error,
        });
      }
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
    const handle = this.client.workflow.getHandle(workflowIdFor(id));
    const update = updates[name];
    return this.withWorker(id, true, () =>
      handle.executeUpdate(update as (typeof updates)['submit'], {
        args: [args as CommandArgs<'submit'>],
        updateId: options.requestId ?? randomUUID(),
      }),
    );
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
    const clauses = [`WorkflowType = "${WORKFLOW_TYPE}"`];
    if (filter.stage) clauses.push(`AgreementStage = "${filter.stage}"`);
    if (filter.remindersDueBefore) clauses.push(`NextReminderAt <= "${filter.remindersDueBefore.toISOString()}"`);
    if (filter.query) clauses.push(`(${filter.query})`);
    const listed: ListedAgreement[] = [];
    const query = clauses.join(' AND ');
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
    id: execution.workflowId.replace(/^agreement-/, ''),
    workflowId: execution.workflowId,
    status: execution.status.name,
    stage: (attributes.get(AgreementStage) as Stage | undefined) ?? null,
    kind: attributes.get(AgreementKind) ?? null,
    parties: attributes.get(AgreementParties) ?? [],
    ceremonyAt: iso(attributes.get(CeremonyAt)),
    nextReminderAt: iso(attributes.get(NextReminderAt)),
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
  if (agreement.ceremony) lines.push(`**Ceremony:** ${agreement.ceremony.at}, ${agreement.ceremony.venue}`);
  if (agreement.funding) {
    const total = agreement.funding.commitments.reduce((sum, c) => sum + c.amount, 0);
    lines.push(
      `**Funding:** ${formatMinor(total, agreement.funding.currency)} in ${agreement.funding.commitments.length} commitment(s)`,
    );
  }
  if (agreement.cohort)
    lines.push(
      `**Cohort:** ${agreement.cohort.minimum}–${agreement.cohort.capacity} candidates at ${agreement.cohort.sites.join(', ')}`,
    );
  const list = lines.map((line) => `- ${line}`).join('\n');
  return agreement.summary ? `${list}\n\n${agreement.summary}` : list;
}
