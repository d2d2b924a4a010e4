import type { Client } from '@temporalio/client';
import { agreementIdFor, upgradeUpdate, WORKFLOW_TYPE } from '../wire/contract.ts';

/** What one running agreement answered the nudge, or why it did not. */
export interface UpgradeNudge {
  id: string;
  workflowId: string;
  /** The build the run is pinned to (absent on an unversioned worker). */
  buildId?: string;
  /** It will continue as new onto the current build at its next quiet point. */
  moving: boolean;
  error?: string;
}

/** How many agreements are nudged at once: each nudge is one short workflow task on the build it is pinned to. */
const AT_ONCE = 8;

/**
 * `agreements upgrade`: wakes every running agreement with the harmless `upgrade` Update, so that a pinned run learns
 * that another build is current and continues as new onto it at its next quiet point (spec §19). Temporal tells a run
 * only when it wakes, and an agreement may sleep until a reminder weeks away. Safe to repeat.
 */
export async function nudgeRunningAgreements(client: Client): Promise<UpgradeNudge[]> {
  return nudgeAgreements(client, await runningAgreements(client));
}

/** The workflow ids of the agreements still running. */
export async function runningAgreements(client: Client): Promise<string[]> {
  const query = `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;
  const workflowIds: string[] = [];
  for await (const execution of client.workflow.list({ query })) workflowIds.push(execution.workflowId);
  return workflowIds;
}

/** Nudges these agreements, a few at a time. */
export async function nudgeAgreements(client: Client, workflowIds: readonly string[]): Promise<UpgradeNudge[]> {
  const nudges: UpgradeNudge[] = [];
  for (let i = 0; i < workflowIds.length; i += AT_ONCE) {
    nudges.push(...(await Promise.all(workflowIds.slice(i, i + AT_ONCE).map((id) => nudge(client, id)))));
  }
  return nudges.sort((a, b) => a.id.localeCompare(b.id));
}

async function nudge(client: Client, workflowId: string): Promise<UpgradeNudge> {
  const id = agreementIdFor(workflowId);
  try {
    const answer = await client.workflow.getHandle(workflowId).executeUpdate(upgradeUpdate);
    return { id, workflowId, ...answer };
  } catch (error) {
    // One that ended meanwhile, or runs a build older than the Update: the rest are still nudged.
    return { id, workflowId, moving: false, error: error instanceof Error ? error.message : String(error) };
  }
}
