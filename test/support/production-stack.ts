// The production topology of spec §13 for tests: `startStack` (what `npm run stack` runs) on free ports, with its own
// throwaway databases on the machine's PostgreSQL and a temp AGREEMENTS_HOME, torn down afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { AgreementsClient } from '../../src/client/agreements-client.ts';
import type { RecordsStore } from '../../src/ports/records-store.ts';
import { openRecordsStore } from '../../src/records/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { dataConverterFor } from '../../src/codec/data-converter.ts';
import type { Keyring } from '../../src/keys/keyring.ts';
import { ensureStackBinaries, type StackBinaries } from '../../src/local/stack/binaries.ts';
import { stackCodecKeys } from '../../src/local/stack/codec-keys.ts';
import { dropDatabases, stackDatabases } from '../../src/local/stack/postgres.ts';
import { portIsFree } from '../../src/local/stack/ports.ts';
import {
  MAX_TEMPORAL_PORT,
  stackSettingsFrom,
  temporalPortsAround,
  type StackPorts,
} from '../../src/local/stack/settings.ts';
import { generateKeyEntry } from '../../src/keys/keyring.ts';
import { startStack, type RunningStack } from '../../src/local/stack/stack.ts';
import { checkoutBuildId } from '../../src/local/stack/deploy-request.ts';
import { freePort } from './global-setup.ts';

export interface ProductionStack {
  stack: RunningStack;
  binaries: StackBinaries;
  /** The client as a coordinator's script would use it, on the wire contract's task queue. */
  agreements: AgreementsClient;
  /** The raw Temporal client beside it (with the stack's codec), for what a script does with Temporal directly. */
  temporal: Client;
  /** The stack's payload keys, to read what its workers encrypted. */
  keyring: Keyring;
  records: RecordsStore;
  stop(): Promise<void>;
}

/**
 * Ports nothing listens on: the server's laid out as `npm run stack` lays them around a frontend port below 32768
 * (Temporal stores membership ports as SMALLINT), the others wherever the OS puts them.
 */
export async function freePorts(): Promise<StackPorts> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const frontend = 20_000 + Math.floor(Math.random() * (MAX_TEMPORAL_PORT - 20_000 - 10));
    const temporal = temporalPortsAround(frontend);
    const free = await Promise.all(Object.values(temporal).map((port) => portIsFree(port)));
    if (free.every(Boolean)) {
      return {
        ...temporal,
        ui: await freePort(),
        smtp: await freePort(),
        mailpit: await freePort(),
        codec: await freePort(),
        web: await freePort(),
      };
    }
  }
  throw new Error('no free range of ports for the Temporal server below 32768');
}

/**
 * `workers` overrides the stack's two (the benchmark runs its own); `prefix` names its throwaway databases; `buildId`
 * the build its workers run as (by default this checkout's, as `npm run stack` names it).
 */
export async function startProductionStack(
  options: { workers?: number; prefix?: string; buildId?: string } = {},
): Promise<ProductionStack> {
  const home = await mkdtemp(join(tmpdir(), 'agreements-stack-'));
  const settings = stackSettingsFrom(process.env, {
    ports: await freePorts(),
    databasePrefix: `${options.prefix ?? 'agreements_test'}_${randomBytes(4).toString('hex')}`,
    home,
    logLevel: 'warn',
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  });
  const binaries = await ensureStackBinaries({ onProgress: (line) => process.stderr.write(`${line}\n`) });
  // A throwaway key, as `npm run stack` generates one on its first run.
  const codecKeys = await stackCodecKeys(join(home, 'stack-codec-keys'), {});
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn', name: 'test-stack' });
  let stack: RunningStack;
  try {
    const buildId = options.buildId ?? checkoutBuildId({});
    stack = await startStack(settings, binaries, codecKeys, logger, generateKeyEntry('stack-links'), buildId);
  } catch (error) {
    await dropDatabases(settings.postgresUrl, stackDatabases(settings.databasePrefix)).catch(() => undefined);
    await rm(home, { recursive: true, force: true });
    throw error;
  }
  const connection = await Connection.connect({ address: stack.env.TEMPORAL_ADDRESS });
  const temporal = new Client({
    connection,
    namespace: stack.env.TEMPORAL_NAMESPACE,
    dataConverter: dataConverterFor(codecKeys.keyring),
  });
  const agreements = AgreementsClient.fromClient(temporal, stack.env.TEMPORAL_TASK_QUEUE);
  const records = await openRecordsStore({ url: stack.env.RECORDS_URL, home });
  return {
    stack,
    binaries,
    agreements,
    temporal,
    keyring: codecKeys.keyring,
    records,
    async stop() {
      await records.close();
      await connection.close();
      await stack.stop();
      await dropDatabases(settings.postgresUrl, stack.databases);
      if (process.env.KEEP_STACK_LOGS === '1') process.stderr.write(`stack logs kept in ${home}/stack\n`);
      else await rm(home, { recursive: true, force: true });
    },
  };
}
