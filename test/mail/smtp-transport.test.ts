import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportFailure, type MailTransport } from '../../src/ports/mail-transport.ts';
import { NOTIFICATION_KINDS } from '../../src/domain/notifications.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { smtpTransport } from '../../src/mail/delivery/index.ts';
import { freePort } from '../support/global-setup.ts';
import { FROM, sampleOfEveryKind } from './support/reference-agreement.ts';
import { startSmtpSink, startUnavailableSmtpServer, type SmtpSink } from './support/smtp-sink.ts';

const samples = sampleOfEveryKind();

describe('smtpTransport against a real SMTP server', () => {
  let sink: SmtpSink;
  let transport: MailTransport;

  beforeAll(async () => {
    sink = await startSmtpSink();
    transport = smtpTransport(sink.url);
  });

  afterAll(async () => {
    await transport.close();
    await sink.close();
  });

  it('delivers every kind with its subject, both bodies, headers and Message-ID', async () => {
    const mails = NOTIFICATION_KINDS.map((kind) => renderNotification(samples[kind], { from: FROM }));
    for (const mail of mails) {
      expect(await transport.send(mail)).toEqual({ messageId: mail.messageId });
    }
    const received = await sink.parsed();
    expect(received).toHaveLength(mails.length);
    for (const [index, mail] of mails.entries()) {
      const parsed = received[index];
      expect(parsed?.messageId).toBe(mail.messageId);
      expect(parsed?.subject).toBe(mail.subject);
      expect(parsed?.headers.get('x-agreement-id')).toBe(mail.headers['X-Agreement-Id']);
      expect(parsed?.headers.get('x-notification-key')).toBe(mail.headers['X-Notification-Key']);
      expect(parsed?.text?.trim()).toBe(mail.text.trim());
      expect(parsed?.html).toContain('<!DOCTYPE html>');
      expect(parsed?.to && !Array.isArray(parsed.to) ? parsed.to.value[0] : undefined).toEqual({
        name: mail.to.name,
        address: mail.to.address,
      });
      expect(parsed?.from?.value[0]).toEqual({ name: 'Partnerships Office', address: 'agreements@uob.example' });
    }
  });

  it('keeps a name full of mail syntax inside its address header', async () => {
    const input = samples.started;
    const hostile = 'Director <Shanghai> & Co, "Board"';
    const email = 'director@sydii.example';
    const recipient = { ...input.notification.recipient, name: hostile, email };
    const notification = { ...input.notification, key: `started:${input.agreementId}:${email}`, recipient };
    const mail = renderNotification({ ...input, notification }, { from: FROM });
    await transport.send(mail);
    const parsed = (await sink.parsed()).find((received) => received.messageId === mail.messageId);
    const to = parsed?.to && !Array.isArray(parsed.to) ? parsed.to.value : [];
    expect(to).toEqual([{ name: hostile, address: email }]);
    expect(parsed?.html).toContain('Director &lt;Shanghai&gt; &amp; Co, &quot;Board&quot;');
  });

  it('reports a permanent refusal, at the reply, when the server answers 550', async () => {
    const input = samples.started;
    const notification = {
      ...input.notification,
      recipient: { ...input.notification.recipient, email: 'bounce@uob.example' },
    };
    const mail = renderNotification({ ...input, notification }, { from: FROM });
    const error: unknown = await transport.send(mail).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransportFailure);
    expect(error).toMatchObject({ progress: 'reply', permanent: true });
    expect((error as Error).message).toMatch(/550/);
  });

  it('fails retryably, at the reply, when the server answers 451', async () => {
    const input = samples.started;
    const notification = {
      ...input.notification,
      recipient: { ...input.notification.recipient, email: 'busy@uob.example' },
    };
    const error: unknown = await transport
      .send(renderNotification({ ...input, notification }, { from: FROM }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ progress: 'reply', permanent: false });
    expect((error as Error).message).toMatch(/451|temporarily/i);
  });

  it('fails retryably when the server answers 421 on connect', async () => {
    const unavailable = await startUnavailableSmtpServer();
    const refusing = smtpTransport(unavailable.url);
    try {
      const error: unknown = await refusing
        .send(renderNotification(samples.started, { from: FROM }))
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ progress: 'reply', permanent: false });
    } finally {
      await refusing.close();
      await unavailable.close();
    }
  });

  it('fails retryably when the connection is refused', async () => {
    const closed = smtpTransport(`smtp://127.0.0.1:${await freePort()}`);
    try {
      const error: unknown = await closed
        .send(renderNotification(samples.started, { from: FROM }))
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ progress: 'before-data', permanent: false });
      expect((error as Error).message).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await closed.close();
    }
  });

  it('gives up when its signal aborts, saying how far it got, and keeps sending afterwards', async () => {
    const mail = renderNotification(samples.launched, { from: FROM });
    const before = sink.messages.length;
    const error: unknown = await transport
      .send(mail, { signal: AbortSignal.abort() })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ progress: 'before-data', permanent: false });
    expect(sink.messages.length).toBe(before);
    await transport.send(mail);
    expect(sink.messages.length).toBe(before + 1);
  });

  it('sends many at once through a pool bounded by the URL: at most maxConnections sessions, maxMessages each', async () => {
    // This sink only counts, as the benchmark's does.
    const own = await startSmtpSink({ keep: false });
    const limited = smtpTransport(`${own.url}?maxConnections=2&maxMessages=3`);
    try {
      const mails = Array.from({ length: 12 }, (_, index) => {
        const input = samples.enrolled;
        const email = `candidate-${index}@uob.example`;
        const notification = {
          ...input.notification,
          key: `enrolled:${email}:${email}`,
          recipient: { ...input.notification.recipient, email },
        };
        return renderNotification({ ...input, notification }, { from: FROM });
      });
      const sent = await Promise.all(mails.map((mail) => limited.send(mail)));
      expect(own.received()).toBe(mails.length);
      expect(own.messages).toHaveLength(0);
      expect(sent.map((result) => result.messageId).sort()).toEqual(mails.map((mail) => mail.messageId).sort());
      expect(own.connections().peak).toBeLessThanOrEqual(2);
      expect(own.connections().opened).toBeGreaterThanOrEqual(mails.length / 3);
    } finally {
      await limited.close();
      await own.close();
    }
  });
});
