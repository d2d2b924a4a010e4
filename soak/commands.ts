import { setTimeout as sleep } from 'node:timers/promises';
import type { AgreementsClient } from '../src/client/agreements-client.ts';
import { AgreementError } from '../src/client/agreement-error.ts';
import type { AgreementView, CommandArgs, CommandName, Stage } from '../src/domain/index.ts';
import { AgreementStage } from '../src/wire/search-attributes.ts';
import { workflowIdFor } from '../src/wire/contract.ts';

/**
 * One attempt at a command. While the worker is dead an Update blocks; the attempt is abandoned after this long and
 * sent again with the same request id (the server attaches it to the first, or answers with the first's outcome).
 */
const ATTEMPT_MS = 3_000;
/** A command rejected this many times (with the effect still absent) is a real rejection, not a side effect of a kill. */
const MAX_REJECTIONS = 3;

export class SoakAborted extends Error {
  override name = 'SoakAborted';
}

export interface CommandCounters {
  sent: number;
  attempts: number;
  /** Attempts that timed out or failed and were sent again with the same request id. */
  retries: number;
  /** Commands rejected because an automatic action (launch at launchAt, end of term) got there first. */
  overtaken: number;
}

export interface RetryOptions {
  /** Called after a rejection: true when the command's purpose is already achieved (e.g. launched automatically). */
  alreadyDone?: () => Promise<boolean>;
  /** Called after a rejection: a replacement command to send instead (e.g. reschedule first), or undefined. */
  onRejected?: (message: string) => Promise<boolean>;
}

/** Rejections are decided by the workflow; timeouts and lost connections are the network's. */
function isTransient(error: unknown, attemptTimedOut: boolean): boolean {
  if (attemptTimedOut) return true;
  if (!(error instanceof AgreementError)) return true;
  if (error.kind === 'unreachable') return true;
  return error.kind === 'rejected' && /timeout|timed out|cancel|deadline|unavailable|aborted/i.test(error.message);
}

/**
 * Lifecycle commands that survive worker kills: each is retried with the SAME request id (the Update id) until it
 * succeeds, so an attempt that was applied before its answer was lost is answered from the first outcome, never
 * applied twice.
 */
export class RetryingCommands {
  readonly counters: CommandCounters = { sent: 0, attempts: 0, retries: 0, overtaken: 0 };

  private readonly agreements: AgreementsClient;
  private readonly signal: AbortSignal;
  private readonly log: (line: string) => void;

  constructor(agreements: AgreementsClient, signal: AbortSignal, log: (line: string) => void) {
    this.agreements = agreements;
    this.signal = signal;
    this.log = log;
  }

  async send<N extends CommandName>(
    id: string,
    name: N,
    args: CommandArgs<N>,
    requestId: string,
    options: RetryOptions = {},
  ): Promise<AgreementView | undefined> {
    this.counters.sent++;
    let rejections = 0;
    for (let attempt = 1; ; attempt++) {
      this.checkAborted();
      this.counters.attempts++;
      const attemptSignal = AbortSignal.any([this.signal, AbortSignal.timeout(ATTEMPT_MS)]);
      try {
        return await this.agreements.client.withAbortSignal(attemptSignal, () =>
          this.agreements.command(id, name, args, { requestId }),
        );
      } catch (error) {
        this.checkAborted();
        const message = error instanceof Error ? error.message : String(error);
        if (!isTransient(error, attemptSignal.aborted)) {
          if (options.alreadyDone && (await options.alreadyDone())) {
            this.counters.overtaken++;
            return undefined;
          }
          if (options.onRejected && (await options.onRejected(message))) return undefined;
          rejections++;
          if (rejections >= MAX_REJECTIONS) throw new Error(`${id}: ${name} rejected: ${message}`, { cause: error });
        }
        this.counters.retries++;
        if (attempt === 1 || attempt % 5 === 0) {
          this.log(
            `${id}: ${name} (request ${requestId}) attempt ${attempt} failed (${message.split('\n')[0]}); retrying with the same request id`,
          );
        }
        await this.pause(Math.min(500 * attempt, 3000));
      }
    }
  }

  /** The stage as the workflow last published it (a search attribute: answered by the server, no worker needed). */
  async stage(id: string): Promise<{ stage: Stage | undefined; running: boolean } | undefined> {
    try {
      const description = await this.agreements.client.withAbortSignal(
        AbortSignal.any([this.signal, AbortSignal.timeout(15_000)]),
        () => this.agreements.client.workflow.getHandle(workflowIdFor(id)).describe(),
      );
      return {
        stage: description.typedSearchAttributes.get(AgreementStage) as Stage | undefined,
        running: description.status.name === 'RUNNING',
      };
    } catch {
      return undefined;
    }
  }

  /** Waits for the workflow's result (bounded per attempt; retried until the run is aborted). */
  async result(id: string): Promise<AgreementView> {
    for (;;) {
      this.checkAborted();
      const attemptSignal = AbortSignal.any([this.signal, AbortSignal.timeout(30_000)]);
      try {
        return await this.agreements.client.withAbortSignal(attemptSignal, () => this.agreements.result(id));
      } catch (error) {
        this.checkAborted();
        if (!isTransient(error, attemptSignal.aborted)) throw error;
        await this.pause(500);
      }
    }
  }

  async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.signal }).catch(() => undefined);
    this.checkAborted();
  }

  private checkAborted(): void {
    if (this.signal.aborted) throw new SoakAborted('the soak ran out of time');
  }
}
