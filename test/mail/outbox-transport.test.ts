import { statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outboxFileName, outboxTransport, transportFromConfig } from '../../src/mail/delivery/index.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { FROM, sampleOfEveryKind } from './support/reference-agreement.ts';

const samples = sampleOfEveryKind();
const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('outboxTransport', () => {
  let home: string;

  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'agreements-outbox-'));
  });

  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('writes one .eml per notification key, and a resend replaces it', async () => {
    const outbox = path.join(home, 'outbox');
    const transport = outboxTransport(outbox);
    const invitation = renderNotification(samples.invitation, { from: FROM });
    const started = renderNotification(samples.started, { from: FROM });

    await transport.send(invitation);
    await transport.send(started);
    await transport.send(invitation);
    await transport.close();

    expect(await readdir(outbox)).toEqual(['uob-jitri-phd-programme']);
    const folder = path.join(outbox, 'uob-jitri-phd-programme');
    const files = (await readdir(folder)).sort();
    expect(files).toEqual([
      expect.stringMatching(/^invitation_1_vc_uob\.example-[0-9a-f]{10}\.eml$/),
      expect.stringMatching(/^started_uob-jitri-phd-programme_partnerships_uob\.example-[0-9a-f]{10}\.eml$/),
    ]);
    const parsed = await simpleParser(
      await readFile(path.join(folder, outboxFileName(samples.invitation.notification.key))),
    );
    expect(parsed.messageId).toBe(invitation.messageId);
    expect(parsed.subject).toBe(invitation.subject);
    expect(parsed.headers.get('x-notification-key')).toBe('invitation:1:vc@uob.example');
    expect(parsed.attachments.some((a) => a.contentType === 'text/calendar')).toBe(true);
  });

  it("writes files 0600 in folders 0700, the owner's alone whatever the umask", async () => {
    const previous = process.umask(0);
    try {
      const outbox = path.join(home, 'new', 'outbox');
      const transport = outboxTransport(outbox);
      const invitation = renderNotification(samples.invitation, { from: FROM });
      await transport.send(invitation);
      await transport.send(invitation);
      await transport.close();
      const folder = path.join(outbox, 'uob-jitri-phd-programme');
      for (const made of [path.join(home, 'new'), outbox, folder]) expect(modeOf(made), made).toBe(0o700);
      const file = path.join(folder, outboxFileName(samples.invitation.notification.key));
      expect(modeOf(file)).toBe(0o600);
      expect(await readdir(folder)).toEqual([path.basename(file)]);
    } finally {
      process.umask(previous);
    }
  });

  it('is the transport when no SMTP URL is configured', async () => {
    const transport = transportFromConfig({ home });
    await transport.send(renderNotification(samples.started, { from: FROM }));
    await transport.close();
    expect(await readdir(path.join(home, 'outbox', 'uob-jitri-phd-programme'))).toHaveLength(1);
  });

  it('keeps file names safe and unique for long keys', () => {
    const long = `renewal-notice:${'x'.repeat(300)}:a@b.example`;
    const name = outboxFileName(long);
    expect(name.length).toBeLessThanOrEqual(200);
    expect(name).toMatch(/^[A-Za-z0-9._-]+\.eml$/);
    expect(outboxFileName(`${long}x`)).not.toBe(name);
  });

  it('writes one file per key even where keys read alike once made safe for a file name', async () => {
    const transport = outboxTransport(path.join(home, 'alike'));
    const emails = ['a+b@x.example', 'a_b@x.example', "a'b@x.example"];
    for (const email of emails) {
      const { notification } = samples.enrolled;
      const key = `enrolled:${email}:${email}`;
      const input = {
        ...samples.enrolled,
        notification: { ...notification, key, recipient: { ...notification.recipient, email } },
      };
      await transport.send(renderNotification(input, { from: FROM }));
    }
    await transport.close();
    const folder = path.join(home, 'alike', samples.enrolled.agreementId);
    const keys = await Promise.all(
      (await readdir(folder)).map(async (file) =>
        (await simpleParser(await readFile(path.join(folder, file)))).headers.get('x-notification-key'),
      ),
    );
    expect(keys.sort()).toEqual(emails.map((email) => `enrolled:${email}:${email}`).sort());
  });
});
