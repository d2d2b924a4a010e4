import { mkdtemp, rm, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { indexedValueTypes, startDevServer, type DevServer } from '../../src/local/devserver/dev-server.ts';
import { searchAttributeKeys } from '../../src/wire/search-attributes.ts';
import { freePort } from '../support/global-setup.ts';

function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('Temporal dev server', () => {
  it('the shared server has the six search attributes with their types', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      expect(searchAttributeKeys).toHaveLength(6);
      for (const key of searchAttributeKeys) {
        expect(customAttributes?.[key.name], key.name).toBe(indexedValueTypes[key.type]);
      }
    } finally {
      await connection.close();
    }
  });

  describe('a second, persisted server', () => {
    let dir: string | undefined;
    let first: DevServer | undefined;
    afterAll(async () => {
      await first?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('starts with a db file, is reused while running, then stops', async () => {
      dir = await mkdtemp(join(tmpdir(), 'agreements-devserver-'));
      const port = await freePort();
      const dbFile = join(dir, 'db', 'temporal.sqlite');
      const logFile = join(dir, 'server.log');
      first = await startDevServer({ port, uiPort: await freePort(), dbFile, logFile });
      expect(first).toMatchObject({ address: `127.0.0.1:${port}`, reused: false });
      expect((await stat(dbFile)).size).toBeGreaterThan(0);

      const connection = await Connection.connect({ address: first.address });
      try {
        const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: 'default' });
        expect(namespaceInfo?.name).toBe('default');
      } finally {
        await connection.close();
      }

      const again = await startDevServer({ port });
      expect(again).toMatchObject({ address: first.address, reused: true });
      await again.stop(); // a no-op: the first server keeps running
      expect(await portIsOpen(port)).toBe(true);

      await first.stop();
      first = undefined;
      expect(await portIsOpen(port)).toBe(false);
    });
  });
});
