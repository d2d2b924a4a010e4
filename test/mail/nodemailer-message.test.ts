import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { toNodemailerMessage } from '../../src/mail/delivery/nodemailer-message.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { FROM, sampleOfEveryKind } from './support/reference-agreement.ts';

const samples = sampleOfEveryKind();

const boundariesOf = (raw: string) => [...raw.matchAll(/boundary="?([^";\r\n]+)"?/g)].map((match) => match[1] ?? '');

describe('toNodemailerMessage', () => {
  it('gives every message multipart boundaries of its own, and each still parses into its parts', async () => {
    const invitation = renderNotification(samples.invitation, { from: FROM });
    const raws = await Promise.all(
      [invitation, invitation, renderNotification(samples.welcome, { from: FROM })].map(async (mail) =>
        (await new MailComposer(toNodemailerMessage(mail)).compile().build()).toString('utf8'),
      ),
    );
    const perMessage = raws.map(boundariesOf);
    for (const boundaries of perMessage) expect(boundaries.length).toBeGreaterThan(0);
    const all = perMessage.flat();
    expect(new Set(all).size).toBe(all.length);

    const parsed = await simpleParser(raws[0] ?? '');
    expect(parsed.text?.trim()).toBe(invitation.text.trim());
    expect(parsed.attachments.map((attachment) => attachment.contentType)).toContain('application/ics');
  });
});
