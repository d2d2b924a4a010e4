import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { outboxFileName } from '../../mail/delivery/index.ts';
import type { RecordsStore } from '../../ports/records-store.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The link a mail in the outbox carries (its text part, quoted-printable lines joined again). */
async function linkInOutbox(home: string, agreementId: string, key: string, publicUrl: string): Promise<string> {
  const raw = await readFile(join(home, 'outbox', agreementId, outboxFileName(key)), 'utf8');
  const text = raw.replace(/=\r?\n/g, '');
  const found = new RegExp(`${publicUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/a/[A-Za-z0-9_.-]+`).exec(text)?.[0];
  if (!found) throw new Error(`no link in the mail ${key}`);
  return found;
}

/**
 * Does what a person does with the mail the demo sent them: opens the link in it (GET, which changes nothing) and
 * sends the page's form (POST from the page's origin). The mail is found by its kind and recipient in the sent-mail
 * log and read from the outbox.
 */
export async function actFromPage(options: {
  home: string;
  agreementId: string;
  records: RecordsStore;
  publicUrl: string;
  kind: string;
  recipient: string;
  form: Record<string, string>;
}): Promise<void> {
  const { agreementId, records, kind, recipient } = options;
  let key: string | undefined;
  for (let waited = 0; key === undefined && waited < 10_000; waited += 200) {
    key = (await records.sentMail(agreementId)).find(
      (row) => row.kind === kind && row.recipient === recipient && row.status === 'sent',
    )?.key;
    if (key === undefined) await sleep(200);
  }
  if (key === undefined) throw new Error(`no ${kind} mail to ${recipient}`);
  const link = await linkInOutbox(options.home, agreementId, key, options.publicUrl);
  const page = await fetch(link);
  if (page.status !== 200) throw new Error(`the ${kind} page answered ${page.status}`);
  const sent = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(options.publicUrl).origin },
    body: new URLSearchParams(options.form).toString(),
  });
  if (sent.status !== 200) throw new Error(`the ${kind} page refused the form (${sent.status})`);
}
