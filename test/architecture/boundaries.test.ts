import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

/** The boundary messages eslint reports for `code` as if it were the file at `filePath`. */
async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries (eslint)', () => {
  it('keeps Temporal and I/O out of the domain', async () => {
    const code =
      "import { log } from '@temporalio/workflow';\nimport { readFileSync } from 'node:fs';\nexport const x = [log, readFileSync];\n";
    const found = await violations('src/domain/probe.ts', code);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/pure core/);
  });

  it('lets workflows import the domain, the wire contract and the ports, and nothing that does I/O', async () => {
    const allowed =
      "import { stateQuery } from '../wire/contract.ts';\nimport type { AgreementActivities } from '../ports/activities.ts';\nimport { plan } from '../domain/index.ts';\nexport const x = [stateQuery, plan];\nexport type A = AgreementActivities;\n";
    expect(await violations('src/workflows/probe.ts', allowed)).toEqual([]);
    const forbidden =
      "import { createActivities } from '../activities/create-activities.ts';\nexport const x = createActivities;\n";
    expect(await violations('src/workflows/probe.ts', forbidden)).toHaveLength(1);
  });

  it('keeps the client off records internals and the worker', async () => {
    const code =
      "import { openRecordsStore } from '../records/open-records-store.ts';\nimport { startWorker } from '../worker/run-worker.ts';\nimport { SQLITE_FILE_NAME } from '../records/index.ts';\nexport const x = [openRecordsStore, startWorker, SQLITE_FILE_NAME];\n";
    expect(await violations('src/client/probe.ts', code)).toHaveLength(2);
  });

  it('keeps activities, mail and records below the workflows', async () => {
    const code =
      "import { updates } from '../wire/contract.ts';\nimport type { MailBatch } from '../workflows/outbox.ts';\nexport const x = updates;\nexport type O = MailBatch;\n";
    for (const room of ['activities', 'mail', 'records']) {
      const found = await violations(`src/${room}/probe.ts`, code);
      expect(found, room).toHaveLength(1);
      expect(found[0]).toMatch(/never the workflows/);
    }
  });

  it('keeps the wire contract and the ports free of the shell', async () => {
    const code =
      "import { AgreementsClient } from '../client/agreements-client.ts';\nimport { loadConfig } from '../shared/config.ts';\nexport const x = [AgreementsClient, loadConfig];\n";
    expect(await violations('src/wire/probe.ts', code)).toHaveLength(2);
    expect(await violations('src/ports/probe.ts', code)).toHaveLength(2);
  });

  it('keeps the local-run code out of everything it composes', async () => {
    const code =
      "import { startDevServer } from '../local/devserver/dev-server.ts';\nexport const x = startDevServer;\n";
    for (const room of ['client', 'workflows', 'activities', 'shared', 'actors', 'codec']) {
      expect(await violations(`src/${room}/probe.ts`, code), room).toHaveLength(1);
    }
  });

  it('keeps the web server a client, and the links below the worker and the web server alike', async () => {
    const code =
      "import { createActivities } from '../activities/create-activities.ts';\nimport { openRecordsStore } from '../records/open-records-store.ts';\nexport const x = [createActivities, openRecordsStore];\n";
    expect(await violations('src/web/probe.ts', code)).toHaveLength(2);
    const allowed =
      "import { AgreementsClient } from '../client/agreements-client.ts';\nimport { verifyLinkToken } from '../links/link-token.ts';\nexport const x = [AgreementsClient, verifyLinkToken];\n";
    expect(await violations('src/web/probe.ts', allowed)).toEqual([]);
    const upward = "import { createWebServer } from '../web/server.ts';\nexport const x = createWebServer;\n";
    expect(await violations('src/links/probe.ts', upward)).toHaveLength(1);
    expect(await violations('src/activities/probe.ts', upward)).toHaveLength(1);
  });
  it('keeps the visibility reader below the digest activity and the web server that share it', async () => {
    const allowed =
      "import type { Client } from '@temporalio/client';\nimport { digestQuery } from '../wire/contract.ts';\nexport const x = digestQuery;\nexport type C = Client;\n";
    expect(await violations('src/visibility/probe.ts', allowed)).toEqual([]);
    const upward =
      "import { AgreementsClient } from '../client/agreements-client.ts';\nimport { deliver } from '../mail/delivery/index.ts';\nexport const x = [AgreementsClient, deliver];\n";
    expect(await violations('src/visibility/probe.ts', upward)).toHaveLength(2);
    const shared =
      "import { agreementSnapshots } from '../visibility/agreement-snapshots.ts';\nexport const x = agreementSnapshots;\n";
    expect(await violations('src/activities/probe.ts', shared)).toEqual([]);
    expect(await violations('src/web/probe.ts', shared)).toEqual([]);
  });
});
