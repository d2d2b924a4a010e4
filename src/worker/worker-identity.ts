import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import proto from '@temporalio/proto';
import type { NativeConnection } from '@temporalio/worker';
import type { Keyring } from '../keys/keyring.ts';
import { ACTOR_KEY_VARIABLES, ConfigError } from '../shared/config.ts';

/** `actor-keys=off`, or `actor-keys=` and 8 hex digits of a hash of the key ids (not the keys): short, no secret. */
const MARK = /(?:^| )actor-keys=(off|[0-9a-f]{8})(?: |$)/;

/** A poller last seen longer ago than this has stopped: a live one polls again at least every ~70 s (long poll). */
const LIVE_POLLER_MS = 90_000;

export function actorKeysMark(keys: Keyring | undefined): string {
  if (keys === undefined) return 'actor-keys=off';
  const ids = [...keys.keys.keys()].sort().join(',');
  return `actor-keys=${createHash('sha256').update(ids).digest('hex').slice(0, 8)}`;
}

/** The worker's Temporal identity: the SDK's default (`pid@host`) and whether it checks actor proofs. */
export function workerIdentity(keys: Keyring | undefined): string {
  return `${process.pid}@${hostname()} ${actorKeysMark(keys)}`;
}

/** Whether a poller's identity is the worker process `pid` on this host (with or without its actor-keys mark). */
export function isWorkerProcess(identity: string | null | undefined, pid: number): boolean {
  const prefix = `${pid}@${hostname()}`;
  return identity === prefix || (identity ?? '').startsWith(`${prefix} `);
}

/**
 * Refuses to join a task queue whose live workers disagree with this one about actor keys: a worker without them
 * takes any claimed actor, so with one among workers that check proofs, whoever reaches it acts as anyone. Key rings
 * that differ but are both on are allowed (a rotation rolls out worker by worker). Best effort: it sees the workers
 * that polled before it looked, not one starting at the same moment; workers of builds that announce nothing are
 * not judged.
 */
export async function checkActorKeyAgreement(
  connection: NativeConnection,
  target: { namespace: string; taskQueue: string },
  keys: Keyring | undefined,
  now = Date.now(),
): Promise<void> {
  const response = await connection.workflowService.describeTaskQueue({
    namespace: target.namespace,
    taskQueue: { name: target.taskQueue, kind: proto.temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  for (const poller of response.pollers ?? []) {
    const identity = poller.identity ?? '';
    const mark = MARK.exec(identity)?.[1];
    const seenAt = Number(String(poller.lastAccessTime?.seconds ?? 0)) * 1000;
    if (mark === undefined || now - seenAt > LIVE_POLLER_MS) continue;
    const theirsOn = mark !== 'off';
    if (theirsOn === (keys !== undefined)) continue;
    throw new ConfigError(
      theirsOn
        ? `task queue "${target.taskQueue}" has workers checking actor proofs (${identity}) and this one has no ${ACTOR_KEY_VARIABLES.keys}: it would accept any claimed actor`
        : `task queue "${target.taskQueue}" has a worker without ${ACTOR_KEY_VARIABLES.keys} (${identity}), which accepts any claimed actor: stop it before starting workers with keys`,
    );
  }
}
