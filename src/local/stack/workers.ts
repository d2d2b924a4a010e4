import { hostname } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { deployFiles } from './deploy-files.ts';
import { startProcess, waitUntilReady, type ManagedProcess } from './process.ts';

/** What every worker of the stack is given: the workers' view, which stack.env hands to the CLI as well. */
export interface WorkerEnvironment {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_TASK_QUEUE: string;
  RECORDS_URL: string;
  SMTP_URL: string;
  MAIL_FROM: string;
  LOG_LEVEL: string;
  AGREEMENTS_CODEC_KEYS?: string;
  /** The keys mail links are signed with, and the address they start with (SPEC 16). */
  AGREEMENTS_LINK_KEYS?: string;
  WEB_PUBLIC_URL?: string;
}

/** The launcher's own environment minus the settings a worker takes from the stack (a stray profile must not win). */
function inheritedEnv(): NodeJS.ProcessEnv {
  const owned = /^(TEMPORAL_|AGREEMENTS_|RECORDS_URL$|SMTP_URL$|MAIL_FROM$|LOG_LEVEL$)/;
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !owned.test(key)));
}

const TASK_QUEUE_TYPE_WORKFLOW = 1;

/** True once a worker with this pid polls the task queue (the SDK's default identity is `pid@host`). */
async function isPolling(env: WorkerEnvironment, pid: number): Promise<boolean> {
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS, connectTimeout: 2000 });
  try {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: { name: env.TEMPORAL_TASK_QUEUE },
      taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
    });
    return (pollers ?? []).some((poller) => poller.identity === `${pid}@${hostname()}`);
  } finally {
    await connection.close();
  }
}

/** Another worker program than `npm run worker` (the benchmark's, which serves its baseline too), and its settings. */
export interface WorkerProgram {
  entry: string;
  env: Record<string, string>;
}

/** `npm run worker` as a process of its own (so one can be killed alone), waited for until it polls. */
export async function startWorkerProcess(
  index: number,
  env: WorkerEnvironment,
  home: string,
  logDir: string,
  program: WorkerProgram = { entry: deployFiles.workerMain, env: {} },
): Promise<ManagedProcess> {
  const worker = startProcess({
    name: `worker ${index}`,
    command: process.execPath,
    args: [program.entry],
    cwd: deployFiles.repositoryRoot,
    env: { ...inheritedEnv(), ...env, ...program.env, AGREEMENTS_HOME: join(home, `worker-${index}`) },
    logFile: join(logDir, `worker-${index}.log`),
  });
  try {
    // Bundling the workflow code takes a while on a busy machine.
    await waitUntilReady(worker, () => isPolling(env, worker.pid), `worker ${index} to poll`, 180_000);
  } catch (error) {
    await worker.stop();
    throw error;
  }
  return worker;
}

/** `npm run web` as a process of its own on 127.0.0.1:`port`, waited for until it answers. */
export async function startWebProcess(
  env: WorkerEnvironment,
  port: number,
  home: string,
  logDir: string,
): Promise<ManagedProcess> {
  const web = startProcess({
    name: 'web server',
    command: process.execPath,
    args: [deployFiles.webMain],
    cwd: deployFiles.repositoryRoot,
    env: {
      ...inheritedEnv(),
      ...env,
      WEB_HOST: '127.0.0.1',
      WEB_PORT: String(port),
      AGREEMENTS_HOME: join(home, 'web'),
    },
    logFile: join(logDir, 'web.log'),
  });
  const answers = async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/a/-`)).status === 404;
    } catch {
      return false;
    }
  };
  try {
    await waitUntilReady(web, answers, 'the web server to answer', 60_000);
  } catch (error) {
    await web.stop();
    throw error;
  }
  return web;
}
