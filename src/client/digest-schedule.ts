import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { isKnownTimeZone } from '../domain/fields.ts';
import { DIGEST_WORKFLOW_TYPE } from '../wire/contract.ts';
import { AgreementError } from './agreement-error.ts';

import { DEFAULT_DIGEST_CRON } from './digest-defaults.ts';

/** One digest schedule per task queue: the agreements a worker pool serves get one digest, however often enabled. */
export const digestScheduleId = (taskQueue: string): string => `agreements-digest-${taskQueue}`;

export interface DigestScheduleSpec {
  cron: string;
  timezone: string;
}

export interface DigestScheduleInfo extends DigestScheduleSpec {
  scheduleId: string;
  paused: boolean;
  nextRuns: string[];
  recentRuns: { scheduledAt: string; workflowId: string }[];
}

/** The digest's Temporal Schedule: created, updated, run now, shown and deleted from the CLI or a script. */
export class DigestSchedule {
  readonly scheduleId: string;
  private readonly client: Client;
  private readonly taskQueue: string;

  constructor(client: Client, taskQueue: string) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.scheduleId = digestScheduleId(taskQueue);
  }

  private action(timezone: string): ScheduleOptionsStartWorkflowAction<Workflow> {
    return {
      type: 'startWorkflow',
      workflowType: DIGEST_WORKFLOW_TYPE,
      workflowId: `digest-${this.taskQueue}`,
      taskQueue: this.taskQueue,
      // The run's date, in the digest's key, is the date where the schedule runs, not in UTC.
      args: [{ scheduleId: this.scheduleId, timezone }],
      staticSummary: 'weekly digest for coordinators',
    };
  }

  /** Creates the schedule, or updates the one there: enabling twice never makes a second. */
  async enable(spec: DigestScheduleSpec): Promise<'created' | 'updated'> {
    checkSpec(spec);
    const scheduleSpec = { cronExpressions: [spec.cron], timezone: spec.timezone };
    try {
      await this.client.schedule.create({
        scheduleId: this.scheduleId,
        spec: scheduleSpec,
        action: this.action(spec.timezone),
        // A digest that comes late is still worth reading; two at once are not.
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
        state: { note: cronNote(spec.cron) },
      });
      return 'created';
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
    await this.client.schedule.getHandle(this.scheduleId).update((previous) => ({
      ...previous,
      spec: scheduleSpec,
      action: this.action(spec.timezone),
      state: { ...previous.state, note: cronNote(spec.cron) },
    }));
    return 'updated';
  }

  /** Deletes the schedule; says whether there was one. Digests already sent stay in the sent-mail log. */
  async disable(): Promise<boolean> {
    try {
      await this.client.schedule.getHandle(this.scheduleId).delete();
      return true;
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return false;
      throw error;
    }
  }

  /** Runs the digest now, as the schedule would (its key is today's date: a second run today sends nothing new). */
  async trigger(): Promise<void> {
    await this.notFoundIsClear(() =>
      this.client.schedule.getHandle(this.scheduleId).trigger(ScheduleOverlapPolicy.ALLOW_ALL),
    );
  }

  async show(): Promise<DigestScheduleInfo> {
    const described = await this.notFoundIsClear(() => this.client.schedule.getHandle(this.scheduleId).describe());
    return {
      scheduleId: this.scheduleId,
      cron: cronOf(described.state.note),
      timezone: described.spec.timezone ?? 'UTC',
      paused: described.state.paused,
      nextRuns: described.info.nextActionTimes.map((at) => at.toISOString()),
      recentRuns: described.info.recentActions.map((action) => ({
        scheduledAt: action.scheduledAt.toISOString(),
        workflowId: action.action.workflow.workflowId,
      })),
    };
  }

  private async notFoundIsClear<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ScheduleNotFoundError)
        throw new AgreementError('not-found', 'no digest schedule: run agreements digest --enable first');
      throw error;
    }
  }
}

// The server keeps a cron expression only as calendars; the schedule's note keeps it as it was written.
const CRON_NOTE = 'cron: ';
const cronNote = (cron: string) => `${CRON_NOTE}${cron}`;
const cronOf = (note: string | undefined) => (note?.startsWith(CRON_NOTE) ? note.slice(CRON_NOTE.length) : 'unknown');

/** Refuses an unknown timezone or a cron without five fields in one line, before anything is asked of Temporal. */
export function checkSpec(spec: DigestScheduleSpec): void {
  if (!isKnownTimeZone(spec.timezone))
    throw new AgreementError('invalid', `--timezone: unknown timezone "${spec.timezone.slice(0, 64)}"`);
  // Five fields (minute hour day month weekday); the server checks the values and says which one is wrong.
  if (spec.cron.trim().split(/\s+/).length !== 5)
    throw new AgreementError(
      'invalid',
      `--cron: must have five fields like "${DEFAULT_DIGEST_CRON}", got "${spec.cron}"`,
    );
}
