import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { nudgeAgreements, runningAgreements, type UpgradeNudge } from '../../client/upgrade.ts';
import { describeBuild, setCurrentBuild } from '../../client/worker-deployment.ts';
import type { Logger } from '../../shared/logger.ts';
import { WORKER_DEPLOYMENT_NAME, WORKFLOW_TYPE } from '../../wire/contract.ts';

/** What a rollout needs of the running stack: its Temporal client and its worker processes. */
export interface RolloutParts {
  client: Client;
  logger: Logger;
  /** Starts the new build's workers and waits until they poll. */
  startWorkers(buildId: string): Promise<void>;
  /** Stops the old build's workers (they finish the tasks they hold). */
  stopWorkers(buildId: string): Promise<void>;
}

export interface RolloutReport {
  from: string;
  to: string;
  /** Every nudge sent to a run still pinned to the old build, first pass and repeats. */
  nudges: UpgradeNudge[];
  /** How long the old build took to drain once the new one was current. */
  drainedAfterMs: number;
}

export interface RolloutTiming {
  /** Gives up waiting for the old build to drain after this long (a run busy for hours holds it). */
  drainTimeoutMs?: number;
  /** How often the runs still on the old build are nudged again while it drains. */
  nudgeEveryMs?: number;
}

/** Temporal's own search attribute: the Worker Deployment version a run is on. */
const DEPLOYMENT_VERSION = defineSearchAttributeKey('TemporalWorkerDeploymentVersion', SearchAttributeType.KEYWORD);

/**
 * The agreements left pinned to builds whose workers this stack does not run: a stack stopped and started again on
 * another commit takes over as current, but runs pinned to the last one wait for workers of that build. Counted so the
 * stack can say so (the way that moves them is a rollout from the running older stack).
 */
export async function strandedAgreements(client: Client, running: string): Promise<Map<string, number>> {
  const query = `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND TemporalWorkerDeploymentVersion != '${WORKER_DEPLOYMENT_NAME}:${running}'`;
  const stranded = new Map<string, number>();
  for await (const execution of client.workflow.list({ query })) {
    // Visibility names the version `agreements:<build id>` (its listing leaves versioningInfo empty).
    const version = execution.typedSearchAttributes.get(DEPLOYMENT_VERSION) ?? '';
    const build = version.slice(version.indexOf(':') + 1);
    if (build) stranded.set(build, (stranded.get(build) ?? 0) + 1);
  }
  return stranded;
}

/** Makes the build current once Temporal knows its version (its workers' first polls register it). */
export async function makeCurrentOnceKnown(client: Client, buildId: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await describeBuild(client, buildId))) {
    if (Date.now() > deadline) throw new Error(`Temporal has not registered build ${buildId} after 60 s of polling`);
    await sleep(500);
  }
  await setCurrentBuild(client, buildId);
}

/**
 * A rollout of spec §19 on a running stack: the new build's workers start beside the old one's, the new build becomes
 * current (new agreements start on it), every running agreement is nudged so that each pinned to the old build
 * continues as new onto the new one at its next quiet point, and once Temporal reports the old build drained (no run
 * pinned to it) its workers stop.
 */
export async function rollOut(
  parts: RolloutParts,
  from: string,
  to: string,
  timing: RolloutTiming = {},
): Promise<RolloutReport> {
  const { client, logger } = parts;
  await parts.startWorkers(to);
  logger.info({ build: to }, 'new build polling');
  await makeCurrentOnceKnown(client, to);
  logger.info({ from, to }, 'new build is current: new agreements start on it');
  const report = await drain(client, logger, from, to, Date.now(), timing);
  await parts.stopWorkers(from);
  logger.info({ build: from }, "old build's workers stopped");
  return report;
}

async function drain(
  client: Client,
  logger: Logger,
  from: string,
  to: string,
  current: number,
  timing: RolloutTiming,
): Promise<RolloutReport> {
  const deadline = current + (timing.drainTimeoutMs ?? 30 * 60_000);
  const nudges: UpgradeNudge[] = [];
  // Every running agreement first; then, again and again, those that answered from the old build without moving: a
  // run nudged a moment before Temporal told it of the new current build learns nothing from that nudge.
  let toNudge = await runningAgreements(client);
  let lastNudge = 0;
  for (;;) {
    if (toNudge.length > 0 && Date.now() - lastNudge >= (timing.nudgeEveryMs ?? 10_000)) {
      const sent = await nudgeAgreements(client, toNudge);
      nudges.push(...sent);
      lastNudge = Date.now();
      toNudge = sent.filter((nudge) => nudge.buildId === from && !nudge.moving).map((nudge) => nudge.workflowId);
      const moving = sent.filter((nudge) => nudge.moving).length;
      logger.info({ from, to, nudged: sent.length, moving, again: toNudge.length }, 'nudged running agreements');
    }
    const status = await describeBuild(client, from);
    if (status === undefined || status.drainage === 'drained') break;
    if (Date.now() > deadline) throw new Error(`build ${from} still has pinned agreements: not drained in time`);
    await sleep(1_000);
  }
  const drainedAfterMs = Date.now() - current;
  logger.info({ build: from, drainedAfterMs }, 'old build drained: no agreement is pinned to it');
  return { from, to, nudges, drainedAfterMs };
}
