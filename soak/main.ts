import { parseArgs } from 'node:util';
import { runSoak, soakPassed, type KillMode, type SoakOptions } from './run-soak.ts';

const USAGE = `usage: npm run soak -- [--agreements N] [--kills K] [--timeout SECONDS] [--kill-mode random|after-delivery] [--smtp-faults] [--keep]

Drives N agreements through the full lifecycle on a fresh dev server while SIGKILLing the worker process K times,
then counts from the SMTP sink and the records store. The last line of stdout is the JSON report; the exit code is 0
only if every agreement completed and duplicate_emails, missing_emails, audit_gaps and audit_duplicates are all 0.
--smtp-faults makes the sink break lines at random protocol points; same-Message-ID resends after a line broken
past the final dot count under uncertain_resends, never under duplicate_emails.`;

function positiveInteger(name: string, value: string | undefined, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < minimum)
    throw new Error(`--${name} must be an integer ≥ ${minimum} (got ${value})`);
  return number;
}

function parseOptions(argv: string[]): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      agreements: { type: 'string' },
      kills: { type: 'string' },
      timeout: { type: 'string' },
      'kill-mode': { type: 'string' },
      keep: { type: 'boolean' },
      'smtp-faults': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const killMode = values['kill-mode'] ?? 'random';
  if (killMode !== 'random' && killMode !== 'after-delivery')
    throw new Error(`--kill-mode must be random or after-delivery (got ${killMode})`);
  return {
    agreements: positiveInteger('agreements', values.agreements, 12, 1),
    kills: positiveInteger('kills', values.kills, 4, 0),
    timeoutMs: positiveInteger('timeout', values.timeout, 600, 30) * 1000,
    killMode: killMode satisfies KillMode,
    keep: values.keep ?? false,
    smtpFaults: values['smtp-faults'] ?? false,
  };
}

// Stopped from outside: exit through the 'exit' handlers, which kill the worker process and the dev server.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

async function main(): Promise<number> {
  let options: SoakOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const report = await runSoak(options, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify(report)}\n`);
  return soakPassed(report) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
