import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import proto from '@temporalio/proto';
import { ConfigError } from '../../src/shared/config.ts';
import type { Keyring } from '../../src/keys/keyring.ts';
import {
  actorKeysMark,
  checkActorKeyAgreement,
  isWorkerProcess,
  workerIdentity,
} from '../../src/worker/worker-identity.ts';
import { eventually, startTestStack, type TestStack } from '../support/worker.ts';

const keyEntry = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const ring = (...ids: string[]): Keyring => ({
  currentKeyId: ids.at(-1) ?? '',
  keys: new Map(ids.map((id) => [id, randomBytes(32)])),
});

let keyed: TestStack;
beforeAll(async () => {
  keyed = await startTestStack({ AGREEMENTS_ACTOR_KEYS: keyEntry('k1') });
  // Its pollers are listed once they have polled.
  await eventually(async () => {
    const response = await keyed.env.nativeConnection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: keyed.taskQueue, kind: proto.temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return response.pollers?.some((poller) => poller.identity?.endsWith(actorKeysMark(keyed.config.actorKeys)))
      ? true
      : undefined;
  });
});
afterAll(async () => {
  await keyed?.stop();
});

describe('workers of one task queue disagreeing about actor keys', () => {
  it('a worker started without actor keys beside one with them exits 1 with one line', async () => {
    const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        'node',
        ['src/worker/main.ts'],
        {
          env: {
            ...process.env,
            AGREEMENTS_HOME: keyed.home,
            TEMPORAL_ADDRESS: inject('temporalAddress'),
            TEMPORAL_TASK_QUEUE: keyed.taskQueue,
            AGREEMENTS_ACTOR_KEYS: '',
            AGREEMENTS_ROLES: '',
            LOG_LEVEL: 'error',
          },
          timeout: 60_000,
          killSignal: 'SIGKILL',
        },
        (error, _stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
      );
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      new RegExp(
        `^worker: task queue "${keyed.taskQueue}" has workers checking actor proofs \\(\\d+@\\S+ actor-keys=[0-9a-f]{8}\\) and this one has no AGREEMENTS_ACTOR_KEYS: it would accept any claimed actor\\n$`,
      ),
    );
  });

  it('another key ring is allowed (a rotation rolls out worker by worker); none is not', async () => {
    const target = { namespace: 'default', taskQueue: keyed.taskQueue };
    const connection = keyed.env.nativeConnection;
    await expect(checkActorKeyAgreement(connection, target, ring('k1', 'k2'))).resolves.toBeUndefined();
    await expect(checkActorKeyAgreement(connection, target, undefined)).rejects.toThrow(ConfigError);
    // A poller not seen for longer than a long poll has stopped: it is not judged.
    await expect(
      checkActorKeyAgreement(connection, target, undefined, Date.now() + 5 * 60_000),
    ).resolves.toBeUndefined();
  });

  it('a worker with actor keys is refused beside one without', async () => {
    const open = await startTestStack();
    try {
      const target = { namespace: 'default', taskQueue: open.taskQueue };
      await eventually(() =>
        checkActorKeyAgreement(open.env.nativeConnection, target, ring('k1')).then(
          () => undefined,
          (error: unknown) => error,
        ),
      ).then((error) =>
        expect(String(error)).toContain(`task queue "${open.taskQueue}" has a worker without AGREEMENTS_ACTOR_KEYS (`),
      );
    } finally {
      await open.stop();
    }
  });
});

describe("a worker's identity", () => {
  it('is pid@host and its actor-keys mark: a hash of the key ids, never a key', () => {
    const keys = ring('k1', 'k2');
    const identity = workerIdentity(keys);
    expect(identity).toMatch(/^\d+@\S+ actor-keys=[0-9a-f]{8}$/);
    expect(workerIdentity(undefined)).toMatch(/ actor-keys=off$/);
    expect(actorKeysMark(ring('k2', 'k1'))).toBe(actorKeysMark(keys));
    expect(isWorkerProcess(identity, process.pid)).toBe(true);
    expect(isWorkerProcess(identity.split(' ')[0], process.pid)).toBe(true);
    expect(isWorkerProcess(identity, process.pid + 1)).toBe(false);
  });
});
