import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementFacts, notificationsForEvent, type AgreementEvent } from '../../src/domain/index.ts';
import { smtpTransport } from '../../src/mail/delivery/index.ts';
import { renderNotification } from '../../src/mail/render.ts';
import type { MailTransport } from '../../src/ports/mail-transport.ts';
import { icsProperty } from './support/ics.ts';
import { FROM, referenceDocument, stateAfter } from './support/reference-agreement.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

/** The reference agreement with JITRI's president reading Chinese, as the agreement file says. */
function jitriReadsChinese(): Record<string, unknown> {
  const document = referenceDocument();
  const signatories = document.signatories as Record<string, unknown>[];
  return {
    ...document,
    signatories: signatories.map((s) => (s.id === 'president-jitri' ? { ...s, locale: 'zh-CN' } : s)),
  };
}

const submitted: AgreementEvent = {
  at: '2026-11-02T09:00:00Z',
  actor: 'coordinator',
  type: 'stage-changed',
  from: 'draft',
  to: 'signing',
  reason: 'submitted',
};

describe('a zh-CN signatory’s invitation over SMTP', () => {
  let sink: SmtpSink;
  let transport: MailTransport;

  beforeAll(async () => {
    sink = await startSmtpSink();
    transport = smtpTransport(sink.url);
    const state = stateAfter([submitted], jitriReadsChinese());
    for (const notification of notificationsForEvent(state, submitted)) {
      const mail = renderNotification(
        { agreementId: state.agreement.id, notification, facts: agreementFacts(state) },
        { from: FROM },
      );
      await transport.send(mail);
    }
  });

  afterAll(async () => {
    await transport.close();
    await sink.close();
  });

  it('arrives in Chinese, with a Chinese calendar summary, while the others read English', async () => {
    const received = await sink.parsed();
    const to = (address: string) =>
      received.find((mail) => !Array.isArray(mail.to) && mail.to?.value[0]?.address === address);

    const chinese = to('president@jitri.example');
    expect(chinese?.subject).toBe('[uob-jitri-phd-programme] 邀请函：签约仪式（Nanjing，2027年1月15日）');
    expect(chinese?.text).toContain('尊敬的Professor Qing Liu：');
    expect(chinese?.text).toContain('仪式定于2027年1月15日（周五）10:00 (Nanjing，北京时间)举行');
    const calendar = chinese?.attachments.find((a) => a.filename === 'invite.ics')?.content.toString('utf8') ?? '';
    expect(icsProperty(calendar, 'SUMMARY')).toBe('签约仪式：UoB–JITRI joint PhD researcher programme');

    const english = to('vc@uob.example');
    expect(english?.subject).toBe('[uob-jitri-phd-programme] Invitation: signing ceremony in Nanjing, 15 Jan 2027');
    const englishCalendar = english?.attachments.find((a) => a.filename === 'invite.ics')?.content.toString('utf8');
    expect(icsProperty(englishCalendar ?? '', 'SUMMARY')).toBe(
      'Signing ceremony: UoB–JITRI joint PhD researcher programme',
    );
  });
});
