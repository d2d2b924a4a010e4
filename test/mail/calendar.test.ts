import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailTransport } from '../../src/ports/mail-transport.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { smtpTransport } from '../../src/mail/delivery/index.ts';
import { icsProperty } from './support/ics.ts';
import { CEREMONY_AT, FROM, RESCHEDULED_AT, sampleOfEveryKind } from './support/reference-agreement.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const samples = sampleOfEveryKind();
const icsTime = (iso: string) => new Date(iso).toISOString().replace(/[-:]|\.\d+/g, '');

describe('ceremony calendar invites over SMTP', () => {
  let sink: SmtpSink;
  let transport: MailTransport;

  beforeAll(async () => {
    sink = await startSmtpSink();
    transport = smtpTransport(sink.url);
    await transport.send(renderNotification(samples.invitation, { from: FROM }));
    await transport.send(renderNotification(samples.rescheduled, { from: FROM }));
  });

  afterAll(async () => {
    await transport.close();
    await sink.close();
  });

  async function calendars() {
    const [invitation, rescheduled] = await sink.parsed();
    const calendarOf = (mail: typeof invitation) => {
      const parts = (mail?.attachments ?? []).filter(
        (a) => a.contentType === 'text/calendar' || a.filename === 'invite.ics',
      );
      const alternative = parts.find((a) => a.contentType === 'text/calendar');
      const file = parts.find((a) => a.filename === 'invite.ics');
      return { parts, alternative: alternative?.content.toString('utf8'), file: file?.content.toString('utf8') };
    };
    return { invitation: calendarOf(invitation), rescheduled: calendarOf(rescheduled) };
  }

  it('carries a text/calendar REQUEST and an invite.ics attachment', async () => {
    const { invitation } = await calendars();
    expect(invitation.parts).toHaveLength(2);
    expect(invitation.alternative).toBeDefined();
    expect(invitation.file).toBe(invitation.alternative);
    expect(icsProperty(invitation.alternative ?? '', 'METHOD')).toBe('REQUEST');
    expect(icsProperty(invitation.alternative ?? '', 'LOCATION')).toBe('Nanjing');
    expect(icsProperty(invitation.alternative ?? '', 'ATTENDEE')).toBe('mailto:vc@uob.example');
    expect(icsProperty(invitation.alternative ?? '', 'ORGANIZER')).toBe('MAILTO:agreements@uob.example');
    expect(icsProperty(invitation.alternative ?? '', 'DURATION')).toBe('PT2H');
  });

  it('keeps the UID, raises the SEQUENCE and moves DTSTART on a reschedule', async () => {
    const { invitation, rescheduled } = await calendars();
    const first = invitation.alternative ?? '';
    const second = rescheduled.alternative ?? '';
    expect(icsProperty(first, 'UID')).toBe('ceremony-uob-jitri-phd-programme@agreements.local');
    expect(icsProperty(second, 'UID')).toBe(icsProperty(first, 'UID'));
    expect(Number(icsProperty(second, 'SEQUENCE'))).toBeGreaterThan(Number(icsProperty(first, 'SEQUENCE')));
    expect(icsProperty(first, 'DTSTART')).toBe(icsTime(CEREMONY_AT));
    expect(icsProperty(first, 'DTSTART')).toBe('20270115T020000Z');
    expect(icsProperty(second, 'DTSTART')).toBe(icsTime(RESCHEDULED_AT));
  });
});
