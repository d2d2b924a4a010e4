// Scale mode, `npm run bench -- --open N [--spread S]`: N agreements open at once in `signing`, their ceremony notices
// spread over S seconds; reports how late each reminder was sent against its planned moment, and the worker's memory.
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { AgreementsClient } from '../src/client/agreements-client.ts';
import type { RecordsStore } from '../src/ports/records-store.ts';
import { mou } from '../test/support/agreements.ts';
import { percentile, runConcurrently } from './stats.ts';

export interface ScaleResult {
  open: number;
  failed_to_open: number;
  reminders_planned: number;
  reminders_sent: number;
  reminder_lag_p50_ms: number;
  reminder_lag_p99_ms: number;
  reminder_lag_max_ms: number;
  setup_seconds: number;
  worker_rss_mb: number;
  max_cached_workflows: number;
  cached_workflows_per_gb: number;
}

const LEAD_SECONDS = 30;

/**
 * Agreements opened per second unless `--open-rate` says otherwise: a little under what one machine managed at 1,000
 * (~35) and 10,000 (~29). A slower machine needs less, or its early reminders fall due while it is still opening.
 */
export const DEFAULT_OPENINGS_PER_SECOND = 20;

export async function runScale(options: {
  client: AgreementsClient;
  records: RecordsStore;
  open: number;
  spreadSeconds: number;
  openingsPerSecond: number;
  maxCachedWorkflows: number;
  log: (line: string) => void;
}): Promise<ScaleResult> {
  const { client, records, open, spreadSeconds, log } = options;
  const run = randomBytes(3).toString('hex');
  const setupStarted = Date.now();
  // Notices start once every agreement is open (opening one sends its started and invitation mails), then spread out.
  const firstNoticeAt = setupStarted + Math.max(60, open / options.openingsPerSecond) * 1000;
  const planned = new Map<string, number>();
  let failedToOpen = 0;
  await runConcurrently(open, 32, async (index) => {
    const id = `scale-${run}-${index}`;
    const noticeAt = firstNoticeAt + Math.floor((index / open) * spreadSeconds * 1000);
    const document = {
      ...mou(Date.now(), id),
      signatories: [{ id: 'vc-uob', name: 'Professor Adam Tickell', party: 'uob', email: 'vc@uob.example' }],
      ceremony: {
        at: new Date(noticeAt + LEAD_SECONDS * 1000).toISOString(),
        venue: 'Nanjing',
        timezone: 'Asia/Shanghai',
      },
      reminders: { ceremonyNotice: [`PT${LEAD_SECONDS}S`] },
    };
    try {
      await client.start(document);
      await client.command(id, 'submit', {});
    } catch (error) {
      // One agreement that could not be opened is counted and shown, not the end of the run.
      failedToOpen++;
      if (failedToOpen <= 3) log(`could not open ${id}: ${inspect(error, { depth: 6 })}`);
      return;
    }
    planned.set(id, noticeAt);
    if ((index + 1) % 1000 === 0) log(`opened ${index + 1}/${open}`);
  });
  const setupSeconds = (Date.now() - setupStarted) / 1000;
  if (Date.now() > firstNoticeAt) {
    // A tenth under what this run managed: the next one then has some slack.
    const rate = Math.max(1, Math.floor((0.9 * open) / setupSeconds));
    log(
      `warning: setup took ${setupSeconds.toFixed(0)}s, longer than planned; early reminders will show setup lag (run again with --open-rate ${rate})`,
    );
  }
  const lastNotice = firstNoticeAt + spreadSeconds * 1000;
  log(`all ${open} open after ${setupSeconds.toFixed(0)}s; reminders due until ${new Date(lastNotice).toISOString()}`);
  let rss = process.memoryUsage().rss;
  while (Date.now() < lastNotice + 15_000) {
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    rss = Math.max(rss, process.memoryUsage().rss);
  }
  const sent = (await records.sentMail()).filter(
    (row) => row.kind === 'ceremony-notice' && planned.has(row.agreementId),
  );
  const lags = sent.map((row) => Date.parse(row.sentAt) - (planned.get(row.agreementId) ?? 0)).sort((a, b) => a - b);
  const rssMb = rss / 1024 / 1024;
  return {
    open,
    failed_to_open: failedToOpen,
    reminders_planned: planned.size * 2,
    reminders_sent: sent.length,
    reminder_lag_p50_ms: Math.round(percentile(lags, 50)),
    reminder_lag_p99_ms: Math.round(percentile(lags, 99)),
    reminder_lag_max_ms: Math.round(lags.at(-1) ?? Number.NaN),
    setup_seconds: Math.round(setupSeconds),
    worker_rss_mb: Math.round(rssMb),
    max_cached_workflows: options.maxCachedWorkflows,
    cached_workflows_per_gb: Math.round(Math.min(open, options.maxCachedWorkflows) / (rssMb / 1024)),
  };
}
