import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgreementsClient } from '../../client/agreements-client.ts';
import { AgreementError } from '../../client/agreement-error.ts';
import { startDevServer } from '../devserver/dev-server.ts';
import type { AgreementView } from '../../domain/index.ts';
import { formatRegister } from '../../client/records-format.ts';
import { ConfigError, loadConfig } from '../../shared/config.ts';
import { createLogger } from '../../shared/logger.ts';
import { startWorker } from '../../worker/run-worker.ts';
import { startLocalWeb, withLocalLinkKeys } from '../local-web.ts';
import { actFromPage } from './from-pages.ts';
import { compressedPhdProgramme, DEMO_SCHEDULE } from './compressed-agreement.ts';
import { Timeline } from './timeline.ts';

const out = (line = '') => process.stdout.write(`${line}\n`);

/**
 * `npm run demo`: a dev server (started or reused), a worker, and the UoB–JITRI PhD programme driven through every
 * stage in about a minute, with a live timeline. Ends with the UI address, the outbox and the register.
 */
async function main(): Promise<number> {
  const { config } = await withLocalLinkKeys(loadConfig({ LOG_LEVEL: 'warn', ...process.env }));
  const logger = createLogger({ level: config.logLevel, pretty: true, name: 'demo' });
  const [host, port] = config.temporalAddress.split(':');
  out('Agreement lifecycle demo — UoB–JITRI joint PhD researcher programme (time compressed to about a minute)');
  const server = await startDevServer({
    ip: host === 'localhost' ? '127.0.0.1' : host,
    port: Number(port),
    dbFile: join(config.home, 'temporal.db'),
    logFile: join(config.home, 'temporal-server.log'),
    keepRunning: true,
    onProgress: (line) => out(line),
  });
  out(
    server.reused
      ? `Using the Temporal server at ${server.address}`
      : `Started a Temporal dev server at ${server.address} (it keeps running for the UI; stop it with: kill ${server.pid ?? '<its pid>'})`,
  );

  const worker = await startWorker({ ...config, temporalAddress: server.address }, logger);
  const client = await AgreementsClient.connect({ ...config, temporalAddress: server.address });
  const web = await startLocalWeb({ ...config, temporalAddress: server.address }, logger);
  const start = Date.now();
  const id = `uob-jitri-phd-demo-${new Date(start).toISOString().replace(/\D/g, '').slice(2, 14)}`;
  const timeline = new Timeline(start);
  const records = worker.dependencies.records;

  let latest: AgreementView | undefined;
  let watching = true;
  const watch = (async () => {
    while (watching) {
      latest = await client.show(id).catch(() => latest);
      if (latest) timeline.observe(await records.history(id), await records.sentMail(id));
      await sleep(250);
    }
  })();
  const until = async (seconds: number) => sleep(Math.max(0, start + seconds * 1000 - Date.now()));
  const act = async (text: string, command: () => Promise<unknown>) => {
    timeline.action(text);
    await command();
  };
  /** With the web server up and mail in the outbox, a person does it on the page their mail links to. */
  const onPage = web !== undefined && config.smtpUrl === undefined;
  const fromPage = (kind: string, recipient: string, form: Record<string, string>, command: () => Promise<unknown>) =>
    onPage
      ? actFromPage({ home: config.home, agreementId: id, records, publicUrl: web.url, kind, recipient, form })
      : command();
  const onTheirPage = onPage ? ' on the page their mail links to' : '';

  try {
    await act(`start ${id} (ceremony in Nanjing in ${DEMO_SCHEDULE.ceremony}s)`, async () =>
      client.start(await compressedPhdProgramme(start, id)),
    );
    timeline.began('draft');
    await act('submit for internal approval', () => client.command(id, 'submit', {}));
    await sleep(1000);
    await act(`Legal Services approves${onTheirPage}`, () =>
      fromPage('approval-request', 'contracts@uob.example', { action: 'approve', note: 'Clauses on IP agreed' }, () =>
        client.command(id, 'approve', { approver: 'legal', note: 'Clauses on IP agreed' }),
      ),
    );
    await act('Research Finance approves: off to signature', () =>
      client.command(id, 'approve', { approver: 'finance' }),
    );
    await until(DEMO_SCHEDULE.ceremony + 1);
    await act('Professor Adam Tickell signs at the ceremony', () =>
      client.command(id, 'sign', { signatory: 'vc-uob' }),
    );
    await until(DEMO_SCHEDULE.ceremony + 7);
    await act('Professor Qing Liu signs', () => client.command(id, 'sign', { signatory: 'president-jitri' }));
    await sleep(1000);
    await act(`JITRI confirms a first tranche of £675,000 (PO-1)${onTheirPage}`, () =>
      fromPage(
        'funding-request',
        'finance@jitri.example',
        { action: 'confirmFunding', amount: '675000', reference: 'PO-1' },
        () => client.command(id, 'confirmFunding', { commitment: 'jitri-phd', amount: 675000, reference: 'PO-1' }),
      ),
    );
    await until(DEMO_SCHEDULE.jitriFundingDue + 2);
    await act('JITRI confirms the second tranche', () =>
      client.command(id, 'confirmFunding', { commitment: 'jitri-phd', amount: 675000, reference: 'PO-2' }),
    );
    await act('UoB confirms £1,350,000', () =>
      client.command(id, 'confirmFunding', { commitment: 'uob-phd', amount: 1350000 }),
    );
    await act('enrol four candidates (two in Birmingham, two in Nanjing)', () =>
      client.command(id, 'enrol', {
        candidates: [
          { name: 'Li Wei', email: 'li.wei@jitri.example', party: 'jitri' },
          { name: 'Zhang Min', email: 'zhang.min@jitri.example', party: 'jitri' },
          { name: 'Amy Jones', email: 'amy.jones@uob.example', party: 'uob' },
          { name: 'Tom Clarke', email: 'tom.clarke@uob.example', party: 'uob' },
        ],
      }),
    );
    timeline.action(
      `waiting for the automatic launch at +${DEMO_SCHEDULE.launch}s and the cohort review due at +${DEMO_SCHEDULE.obligationDue}s`,
    );
    await until(DEMO_SCHEDULE.obligationDue + 2);
    await act('JITRI files the annual cohort review', () =>
      client.command(id, 'fulfil', { obligation: 'cohort-review-2028', reference: 'REVIEW-2028' }),
    );
    timeline.action(`waiting for the end of term at +${DEMO_SCHEDULE.termEnd}s`);
    const final = await client.result(id);
    await sleep(1500);
    watching = false;
    await watch;
    timeline.observe(await records.history(id), await records.sentMail(id));

    const sent = await records.sentMail(id);
    const byKind = new Map<string, number>();
    for (const mail of sent) byKind.set(mail.kind, (byKind.get(mail.kind) ?? 0) + 1);
    out();
    out(`Final stage: ${final.stage} after ${final.events} events, ${((Date.now() - start) / 1000).toFixed(0)}s`);
    out(`Mail sent: ${sent.length} — ${[...byKind].map(([kind, n]) => `${kind} ×${n}`).join(', ')}`);
    out(
      config.smtpUrl
        ? `Mail delivered over SMTP (${config.smtpUrl.replace(/\/\/[^@]*@/, '//')})`
        : `Outbox: ${join(config.home, 'outbox', id)}`,
    );
    out();
    out('Register:');
    out(formatRegister(await records.register(), 'table'));
    out();
    out(`Temporal UI: ${server.uiUrl}/namespaces/${config.namespace}/workflows/agreement-${id}`);
    if (web) out(`Web pages for mail links: ${web.url}/a/… (each link is in the mail that asks)`);
    return 0;
  } finally {
    watching = false;
    await watch.catch(() => undefined);
    await client.close();
    await web?.close();
    await worker.shutdown();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof AgreementError || error instanceof ConfigError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    process.stderr.write(`demo failed: ${message}\n`);
    process.exit(error instanceof AgreementError ? error.exitCode : 1);
  },
);
