import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { DigestActivities } from '../ports/activities.ts';
import { calendarDate } from '../domain/index.ts';
import { mailActivityOptions } from './mail-retry.ts';
import { refusePlaintext } from './refuse-plaintext.ts';

/** Set by Temporal on every workflow a Schedule starts: the moment the run was due (a trigger: when it was asked). */
const TemporalScheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

const { collectDigests } = proxyActivities<DigestActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});
// As the agreements' own mail, given up after a day.
const { sendDigest } = proxyActivities<DigestActivities>({ ...mailActivityOptions, scheduleToCloseTimeout: '1 day' });

export interface DigestRunInput {
  scheduleId: string;
  /** The schedule's timezone: the run's date is taken there (UTC if absent). */
  timezone?: string;
}

export interface DigestRunResult {
  runDate: string;
  sent: { key: string; status: string }[];
}

/**
 * One run of the weekly digest (workflow type DIGEST_WORKFLOW_TYPE): reads every agreement (visibility, the `digest` Query, the audit trail) in one
 * activity, then mails each coordinator their digest once, under the key `digest:<run date>:<email>`.
 */
export async function agreementsDigest(input: DigestRunInput): Promise<DigestRunResult> {
  refusePlaintext(input);
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(TemporalScheduledStartTime) ?? info.runStartTime;
  const at = scheduled.toISOString();
  const runDate = calendarDate(scheduled, input.timezone ?? 'UTC');
  const mails = await collectDigests({ at, runDate, scheduleId: input.scheduleId });
  const sent = await Promise.all(
    mails.map(async (mail) => {
      const result = await sendDigest(mail);
      return { key: result.key, status: result.status };
    }),
  );
  return { runDate, sent };
}
