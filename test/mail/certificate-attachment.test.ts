// The certificate of completion a completion-certificate mail attaches, read from a real SQLite records store; a
// certificate not readable now is retried, never given up as a bad notification.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { afterEach, describe, expect, it } from 'vitest';
import { certificateAttachments } from '../../src/mail/certificate-attachment.ts';
import { deliver, transportFromConfig } from '../../src/mail/delivery/index.ts';
import { MailPartUnavailableError } from '../../src/mail/errors.ts';
import { renderNotification } from '../../src/mail/render.ts';
import type { RecordsStore } from '../../src/ports/records-store.ts';
import { openRecordsStore } from '../../src/records/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { FROM, sampleOfEveryKind } from './support/reference-agreement.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function rig(): Promise<{ store: RecordsStore; home: string }> {
  const home = await mkdtemp(join(tmpdir(), 'certificate-attachment-'));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  const store = await openRecordsStore({ home });
  await store.migrate();
  cleanups.push(() => store.close());
  return { store, home };
}

const input = sampleOfEveryKind()['completion-certificate'];
const sequence = input.notification.about.certificate?.sequence ?? 0;

describe('the certificate a completion-certificate mail attaches', () => {
  it('is the recorded PDF, byte for byte, of the audit row the mail names', async () => {
    const { store } = await rig();
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff]);
    await store.saveCertificate({
      agreementId: input.agreementId,
      sequence,
      issuedAt: '2026-12-10T02:00:00.000Z',
      sha256: 'ab'.repeat(32),
      pdf,
    });
    const [attachment, ...more] = await certificateAttachments(store, input);
    expect(more).toEqual([]);
    expect(attachment).toEqual({
      filename: `${input.agreementId}-certificate-of-completion.pdf`,
      content: pdf,
      contentType: 'application/pdf',
    });
    expect(await certificateAttachments(store, sampleOfEveryKind().completed)).toEqual([]);
  });

  it('not recorded yet, is retried: the delivery fails retryably and claims nothing', async () => {
    const { store, home } = await rig();
    await expect(certificateAttachments(store, input)).rejects.toBeInstanceOf(MailPartUnavailableError);
    const transport = transportFromConfig({ home });
    cleanups.push(() => transport.close());
    const attempt = { id: 'attempt-1', deadline: Date.now() + 20_000, heartbeat: () => undefined };
    const delivery = deliver(
      {
        records: store,
        transport,
        render: async (mail) =>
          renderNotification(mail, { from: FROM, attachments: await certificateAttachments(store, mail) }),
        logger: createLogger({ level: 'silent' }),
      },
      input,
      attempt,
    );
    const failure = await delivery.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(false);
    expect((failure as ApplicationFailure).message).toContain('is not recorded');
    expect(await store.sentMail(input.agreementId)).toEqual([]);
  });
});
