import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type BreakPoint, type SmtpSink } from './support/smtp-sink.ts';

const ENVELOPE = { from: 'sender@example.org', to: ['someone@example.org'] };

/** A message of many TCP segments, so that a break during DATA lands before its end. */
function message(marker: string): string {
  const body = `${'x'.repeat(998)}\r\n`.repeat(256);
  return `From: sender@example.org\r\nTo: someone@example.org\r\nSubject: ${marker}\r\n\r\n${marker}\r\n${body}`;
}

type Outcome = { ok: true; response: string } | { ok: false; error: Error & { responseCode?: number } };

/**
 * Connects and sends one message on a fresh nodemailer SMTPConnection. A lost connection is reported as an 'error' or
 * an 'end' event rather than to the send callback, so the outcome is whichever comes first.
 */
function deliver(sink: SmtpSink, marker: string): Promise<Outcome> {
  const url = new URL(sink.url);
  const connection = new SMTPConnection({ host: url.hostname, port: Number(url.port), secure: false });
  return new Promise<Outcome>((resolve) => {
    let settled = false;
    const settle = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      if (outcome.ok) connection.quit();
      else connection.close();
      resolve(outcome);
    };
    connection.on('error', (error) => settle({ ok: false, error }));
    connection.on('end', () => settle({ ok: false, error: new Error('the connection ended with no reply') }));
    connection.connect((error) => {
      if (error) return settle({ ok: false, error });
      connection.send(ENVELOPE, message(marker), (sendError, info) => {
        settle(sendError ? { ok: false, error: sendError } : { ok: true, response: info.response });
      });
    });
  });
}

describe('smtp sink breakNext', () => {
  let sink: SmtpSink;

  beforeEach(async () => {
    sink = await startSmtpSink();
  });

  afterEach(async () => {
    await sink.close();
  });

  it('delivers with a 250 when nothing is armed', async () => {
    const outcome = await deliver(sink, 'plain');
    expect(outcome).toMatchObject({ ok: true, response: expect.stringMatching(/^250\b/) });
    expect(sink.received()).toBe(1);
    expect(sink.brokenLines()).toBe(0);
  });

  it.each<[BreakPoint, number]>([
    ['at-connect', 0],
    ['before-data', 0],
    ['during-data', 0],
    ['after-dot', 1],
  ])('breaks %s with no SMTP reply (%i received), then delivers the next message', async (point, received) => {
    sink.breakNext(point);

    const broken = await deliver(sink, 'broken');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error.responseCode).toBeUndefined();
    expect(sink.brokenLines()).toBe(1);
    expect(sink.received()).toBe(received);
    expect(sink.messages).toHaveLength(received);
    if (received) expect(sink.messages[0]?.toString()).toContain('Subject: broken');

    const next = await deliver(sink, 'next');
    expect(next).toMatchObject({ ok: true, response: expect.stringMatching(/^250\b/) });
    expect(sink.received()).toBe(received + 1);
    expect(sink.messages.at(-1)?.toString()).toContain('Subject: next');
    expect(sink.brokenLines()).toBe(1);
  });

  it('breaks the next `count` messages, each break used up as it fires', async () => {
    sink.breakNext('before-data', 2);
    expect((await deliver(sink, 'one')).ok).toBe(false);
    expect((await deliver(sink, 'two')).ok).toBe(false);
    expect((await deliver(sink, 'three')).ok).toBe(true);
    expect(sink.brokenLines()).toBe(2);
    expect(sink.received()).toBe(1);
  });
});
