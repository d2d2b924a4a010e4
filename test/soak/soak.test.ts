import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SoakReport } from '../../soak/run-soak.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the soak exactly as `npm run soak` does, in its own process (it starts its own dev server and worker). */
function runSoak(args: string[], timeoutMs: number): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['soak/main.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // The soak bounds itself (--timeout); this is only a backstop, and SIGTERM lets it kill its worker and server.
    const backstop = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(backstop);
      resolve({ code, stdout, stderr });
    });
  });
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

// The smaller run of the soak, in the suite. Its kills aim at the riskiest moment: just after the SMTP server has
// accepted a mail, before the worker has recorded it; the resend that follows carries the same Message-ID and counts
// under uncertain_resends, never under duplicate_emails.
describe('soak', () => {
  it('drives 3 agreements through the whole lifecycle while the worker is SIGKILLed twice after deliveries and SMTP lines break: no mail lost or doubled, no audit gaps', async () => {
    const run = await runSoak(
      ['--agreements', '3', '--kills', '2', '--kill-mode', 'after-delivery', '--smtp-faults', '--timeout', '170'],
      190_000,
    );
    // Everything the soak printed, so a failure shows its evidence (duplicate keys, kill times, missing mail).
    const output = `${run.stdout}\n${run.stderr}`;
    let report: SoakReport;
    try {
      report = JSON.parse(lastLine(run.stdout)) as SoakReport;
    } catch {
      throw new Error(`the soak's last line is not its JSON report (exit code ${run.code}):\n${output}`);
    }
    expect(report, output).toMatchObject({
      agreements: 3,
      completed: 3,
      worker_kills: 2,
      duplicate_emails: 0,
      missing_emails: 0,
      audit_gaps: 0,
      audit_duplicates: 0,
      commands_applied_twice: 0,
      commands_lost: 0,
      unexpected_emails: 0,
      timed_out: false,
    });
    expect(report.emails_sent, output).toBeGreaterThanOrEqual(report.expected_emails);
    // At least the mail every event causes: started 1, invitation 3, signature-recorded 2, funding-request 2,
    // funding-confirmed 6, enrolled 3, welcome 3, launched 3, completed 3 — per agreement.
    expect(report.expected_emails, output).toBeGreaterThanOrEqual(3 * 26);
    expect(run.code, output).toBe(0);
  }, 200_000);
});
