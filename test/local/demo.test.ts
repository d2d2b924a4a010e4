import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freePort } from '../web/support.ts';

const run = promisify(execFile);

describe('npm run demo', () => {
  it('drives the UoB–JITRI programme through every stage and exits 0 with the UI address, outbox and register', async () => {
    const home = await mkdtemp(join(tmpdir(), 'agreements-demo-'));
    const webPort = await freePort();
    try {
      // On the suite's dev server, so this checks the "reuse a running server" path.
      const { stdout } = await run('node', ['src/local/demo/main.ts'], {
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: inject('temporalAddress'),
          AGREEMENTS_HOME: home,
          TEMPORAL_TASK_QUEUE: 'demo-test',
          WEB_PORT: String(webPort),
        },
        timeout: 180_000,
      });
      expect(stdout).toContain(`Using the Temporal server at ${inject('temporalAddress')}`);
      for (const stage of [
        'draft',
        'draft → approval',
        'approval → signing',
        'signing → funding',
        'funding → cohort',
        'cohort → active',
        'active → completed',
      ]) {
        expect(stdout).toContain(`stage ${stage}`);
      }
      for (const kind of [
        'ceremony-notice',
        'signature-chase',
        'signature-escalation',
        'funding-overdue',
        'launch-notice',
        'approval-request',
        'welcome',
        'obligation-notice',
        'obligation-overdue',
        'obligation-fulfilled',
        'renewal-notice',
      ]) {
        expect(stdout).toContain(`✉ ${kind}`);
      }
      expect(stdout).toMatch(/Final stage: completed after \d+ events/);
      expect(stdout).toMatch(
        /Temporal UI: http:\/\/\S+\/namespaces\/default\/workflows\/agreement-uob-jitri-phd-demo-\d+/,
      );
      const outbox = await readdir(join(home, 'outbox'));
      expect(outbox).toHaveLength(1);
      expect((await readdir(join(home, 'outbox', outbox[0] ?? ''))).length).toBeGreaterThan(40);
      expect(stdout).toMatch(/uob-jitri-phd-demo-\d+\s+completed\s+phd-programme/);
      // One approval and one tranche are done by the person on the page their mail links to (SPEC 16).
      expect(stdout).toContain('Legal Services approves on the page their mail links to');
      expect(stdout).toContain('JITRI confirms a first tranche of £675,000 (PO-1) on the page their mail links to');
      expect(stdout).toContain(`Web pages for mail links: http://localhost:${webPort}/a/`);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 200_000);
});
