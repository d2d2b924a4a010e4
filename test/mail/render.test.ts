import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS } from '../../src/domain/notifications.ts';
import { InvalidNotificationError, renderNotification } from '../../src/mail/render.ts';
import { coordinators, signatoryRecipients } from '../../src/domain/notifications.ts';
import {
  AGREEMENT_ID,
  CHANGES_REASON,
  FROM,
  inputFor,
  referenceDocument,
  reviewedDocument,
  sampleOfEveryKind,
  stateAfter,
  STATES,
} from './support/reference-agreement.ts';

const samples = sampleOfEveryKind();

describe('renderNotification', () => {
  it.each(NOTIFICATION_KINDS)('renders %s with subject, both bodies, headers and a key-derived Message-ID', (kind) => {
    const input = samples[kind];
    const mail = renderNotification(input, { from: FROM });
    const digest = createHash('sha256').update(input.notification.key).digest('hex').slice(0, 32);

    expect(mail.subject.startsWith(`[${AGREEMENT_ID}] `)).toBe(true);
    expect(mail.subject.length).toBeGreaterThan(AGREEMENT_ID.length + 10);
    expect(mail.text).toContain(`Dear ${input.notification.recipient.name},`);
    expect(mail.html).toContain('<!DOCTYPE html>');
    expect(mail.headers).toEqual({ 'X-Agreement-Id': AGREEMENT_ID, 'X-Notification-Key': input.notification.key });
    expect(mail.messageId).toBe(`<${digest}.${AGREEMENT_ID}@agreements.local>`);
    expect(mail.to).toEqual({ name: input.notification.recipient.name, address: input.notification.recipient.email });
    expect(renderNotification(input, { from: FROM })).toEqual(mail);
  });

  it('reads naturally for the reference invitation', () => {
    const mail = renderNotification(samples.invitation, { from: FROM });
    expect(mail.subject).toBe('[uob-jitri-phd-programme] Invitation: signing ceremony in Nanjing, 15 Jan 2027');
  });

  it('lists the documents an invitation asks to sign, with the SHA-256 of each version, in both languages', () => {
    const text = { id: 'agreement-text', title: 'Joint PhD programme agreement', sha256: 'a1'.repeat(32) };
    const annex = { id: 'annex-zh', title: '联合培养协议（中文本）', sha256: 'c3'.repeat(32), language: 'zh-CN' };
    const state = stateAfter(
      [
        {
          type: 'stage-changed',
          at: '2026-12-01T09:00:00Z',
          actor: 'coordinator',
          from: 'draft',
          to: 'signing',
          reason: 'submitted',
        },
      ],
      { ...referenceDocument(), documents: [text, annex] },
    );
    const to = (id: string) => signatoryRecipients(state, [id])[0];
    const english = renderNotification(inputFor(state, 'invitation', '1', to('vc-uob')), { from: FROM });
    expect(english.text).toMatch(
      new RegExp(`Joint PhD programme agreement:\\s+SHA-256 ${text.sha256} \\(the version to sign\\)`),
    );
    expect(english.text).toMatch(new RegExp(`联合培养协议（中文本）:\\s+SHA-256 ${annex.sha256}`));
    const chinese = renderNotification(
      inputFor(state, 'invitation', '1', { ...to('president-jitri')!, locale: 'zh-CN' }),
      { from: FROM },
    );
    expect(chinese.text).toContain(`SHA-256 ${text.sha256}（待签署版本）`);
    expect(chinese.html).toContain(annex.sha256);
  });

  it('gives each key its own Message-ID', () => {
    const ids = NOTIFICATION_KINDS.map((kind) => renderNotification(samples[kind], { from: FROM }).messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows the ceremony in the recipient’s timezone and the ceremony’s', () => {
    const london = renderNotification(samples.invitation, { from: FROM });
    expect(london.text).toContain('Fri 15 Jan 2027, 02:00 (Europe/London) — 10:00 in Nanjing (Asia/Shanghai)');
    expect(london.html).toContain('Fri 15 Jan 2027, 02:00 (Europe/London) — 10:00 in Nanjing (Asia/Shanghai)');

    const nanjing = renderNotification(samples['ceremony-notice'], { from: FROM });
    expect(nanjing.text).toContain('Fri 15 Jan 2027, 10:00 in Nanjing (Asia/Shanghai)');
    expect(nanjing.subject).toBe(
      '[uob-jitri-phd-programme] Reminder: signing ceremony in Nanjing, 15 Jan 2027 (in 7 days)',
    );
  });

  it('shows the other date when the two timezones fall on different days', () => {
    const document = {
      ...referenceDocument(),
      ceremony: { at: '2027-01-15T06:00:00+08:00', venue: 'Nanjing', timezone: 'Asia/Shanghai' },
    };
    const state = stateAfter(
      [
        {
          at: '2026-11-02T09:00:00Z',
          actor: 'c',
          type: 'stage-changed',
          from: 'draft',
          to: 'signing',
          reason: 'submitted',
        },
      ],
      document,
    );
    const mail = renderNotification(
      inputFor(state, 'invitation', '1', {
        name: 'Partnerships Office',
        email: 'partnerships@uob.example',
        timezone: 'Europe/London',
        role: 'coordinator',
        label: 'coordinator 1',
      }),
      { from: FROM },
    );
    expect(mail.text).toContain(
      'Thu 14 Jan 2027, 22:00 (Europe/London) — Fri 15 Jan 2027, 06:00 in Nanjing (Asia/Shanghai)',
    );
  });

  it('includes the facts each recipient needs', () => {
    const text = (kind: keyof typeof samples) => renderNotification(samples[kind], { from: FROM }).text;
    expect(text('funding-request')).toContain('GBP 1,350,000.00');
    expect(text('funding-request')).toMatch(/Due: +Wed 31 Mar 2027, 08:00 \(Asia\/Shanghai\)/);
    expect(text('funding-confirmed')).toMatch(/Tranche: +1/);
    expect(text('funding-confirmed')).toContain('GBP 500,000.00');
    expect(text('funding-confirmed')).toContain('GBP 500,000.00 of GBP 1,350,000.00');
    expect(text('funding-chase')).toMatch(/Reminder: +number 2/);
    expect(text('funding-chase')).toMatch(/Outstanding: +GBP 850,000.00/);
    expect(renderNotification(samples['funding-chase'], { from: FROM }).subject).toBe(
      '[uob-jitri-phd-programme] Reminder 2: funding commitment jitri-phd awaits confirmation (GBP 850,000.00 outstanding)',
    );
    expect(text('funding-overdue')).toContain('Wed 31 Mar 2027, 01:00 (Europe/London) — 08:00 (Asia/Shanghai)');
    expect(text('signature-chase')).toMatch(/Reminder: +number 2/);
    expect(text('signature-escalation')).toMatch(
      /Missing signatories: +Professor Qing Liu \(Jiangsu Industry Technology Research Institute\)/,
    );
    expect(text('signature-recorded')).toMatch(/Signatures: +1 of 2/);
    expect(text('launch-notice')).toContain('3 of 12 places (minimum 4 to launch)');
    expect(renderNotification(samples['launch-notice'], { from: FROM }).subject).toBe(
      '[uob-jitri-phd-programme] Cohort launch in 30 days: 3 of 12 enrolled',
    );
    expect(text('launch-escalation')).toContain('3 of 12 places (minimum 4 to launch)');
    expect(text('renewal-notice')).toContain(
      'Sun 19 Sept 2032, 01:00 (Europe/London) — 08:00 (Asia/Shanghai), in 90 days',
    );
    expect(text('cancelled')).toMatch(/Reason: +JITRI board postponed the programme/);
    expect(text('temporal-cancel-refused')).toContain('so the agreement was not cancelled and carries on');
    expect(text('temporal-cancel-refused')).toContain(`agreements cancel ${AGREEMENT_ID} --reason`);
    expect(text('rescheduled')).toContain('Fri 22 Jan 2027, 06:30 (Europe/London) — 14:30 in Nanjing (Asia/Shanghai)');
  });

  it('asks an approver to approve or request changes, naming the approver', () => {
    const request = renderNotification(samples['approval-request'], { from: FROM });
    expect(request.subject).toBe(`[${AGREEMENT_ID}] Approval requested: UoB–JITRI joint PhD researcher programme`);
    expect(request.text).toContain(`agreements approve ${AGREEMENT_ID} --approver legal`);
    expect(request.text).toContain(`agreements request-changes ${AGREEMENT_ID} --approver legal --reason "`);
    expect(request.text).toMatch(/Approvals: +0 of 2/);
    expect(request.text).toMatch(/Awaiting approval: +Legal Services, Research Finance/);
    expect(request.text).toContain('You receive this email as an approver of this agreement.');

    const chase = renderNotification(samples['approval-chase'], { from: FROM });
    expect(chase.subject).toBe(
      `[${AGREEMENT_ID}] Reminder 2: your approval of “UoB–JITRI joint PhD researcher programme” is still needed`,
    );
    expect(chase.text).toContain(`agreements approve ${AGREEMENT_ID} --approver finance`);
    expect(chase.text).toMatch(/Awaiting approval: +Research Finance\n/);

    const escalation = renderNotification(samples['approval-escalation'], { from: FROM });
    expect(escalation.subject).toBe(`[${AGREEMENT_ID}] Escalation: approval by Research Finance still missing`);
    expect(escalation.text).toContain(
      `Follow up with Research Finance, then record the approval with: agreements approve ${AGREEMENT_ID} --approver finance`,
    );
  });

  it('tells the coordinators who asked for changes and why, the reason escaped in HTML', () => {
    const input = samples['changes-requested'];
    const mail = renderNotification(input, { from: FROM });
    expect(mail.subject).toBe(
      `[${AGREEMENT_ID}] Changes requested by Research Finance: UoB–JITRI joint PhD researcher programme`,
    );
    expect(mail.text).toContain(`Research Finance has asked for changes`);
    expect(mail.text).toContain(`“${CHANGES_REASON}”`);
    expect(mail.text).toContain(`agreements submit ${AGREEMENT_ID}`);

    const reason = 'Clause <7.2> & the "IP" split';
    const hostile = renderNotification(
      { ...input, notification: { ...input.notification, about: { ...input.notification.about, reason } } },
      { from: FROM },
    );
    expect(hostile.html).toContain('Clause &lt;7.2&gt; &amp; the &quot;IP&quot; split');
    expect(hostile.html).not.toContain(reason);
    expect(hostile.text).toContain(`“${reason}”`);
  });

  it('shows an obligation’s due time in its reader’s timezone, and how to mark it fulfilled', () => {
    const owner = renderNotification(samples['obligation-overdue'], { from: FROM });
    expect(owner.subject).toBe(
      `[${AGREEMENT_ID}] Overdue: Annual progress report 2027 was due 2 Dec 2027 (reminder 2)`,
    );
    expect(owner.text).toMatch(/Due: +Thu 2 Dec 2027, 01:00 \(Asia\/Shanghai\)\n/);
    expect(owner.text).toContain(`agreements fulfil ${AGREEMENT_ID} --obligation report-2027 [--reference`);
    // The owner, at the partner here, tells the office; the coordinators record it.
    expect(owner.text).toContain('When it is delivered, let the partnerships office know, quoting any reference');

    const sample = samples['obligation-overdue'];
    const state = STATES.obligationsActive();
    const coordinator = renderNotification(
      inputFor(state, 'obligation-overdue', 'report-2027-2', coordinators(state)[0], sample.notification.about),
      { from: FROM },
    );
    expect(coordinator.subject).toBe(
      `[${AGREEMENT_ID}] Overdue: Annual progress report 2027 was due 1 Dec 2027 (reminder 2)`,
    );
    const inLondon = 'Wed 1 Dec 2027, 17:00 (Europe/London) — Thu 2 Dec 2027, 01:00 (Asia/Shanghai)';
    expect(coordinator.text).toContain(`was due ${inLondon} and has not been marked fulfilled`);
    expect(coordinator.text).toContain(`Due:         ${inLondon}\n`);
    expect(coordinator.text).toContain('Follow up with JITRI Programme Office, then mark it fulfilled with:');

    const notice = renderNotification(samples['obligation-notice'], { from: FROM });
    expect(notice.subject).toBe(`[${AGREEMENT_ID}] Due 2 Dec 2027: Annual progress report 2027 (in 30 days)`);
    expect(notice.text).toMatch(/Obligation: +Annual progress report 2027 \(report-2027\)/);
    expect(notice.text).toContain(`agreements fulfil ${AGREEMENT_ID} --obligation report-2027`);

    const fulfilled = renderNotification(samples['obligation-fulfilled'], { from: FROM });
    expect(fulfilled.subject).toBe(`[${AGREEMENT_ID}] Fulfilled: Annual progress report 2027`);
    expect(fulfilled.text).toMatch(/Reference: +JITRI-PR-2027-01/);
    expect(fulfilled.text).toMatch(/Fulfilled: +Sun 28 Nov 2027, 09:00 \(Europe\/London\)/);
    expect(fulfilled.text).toMatch(/Obligations still open: +0 of 1/);
  });

  it('asks for a draft with approvers to be submitted for approval, not for signature', () => {
    const state = stateAfter([], reviewedDocument());
    const mail = renderNotification(inputFor(state, 'started', AGREEMENT_ID, coordinators(state)[0]), { from: FROM });
    expect(mail.text).toContain(`submit it for internal approval with: agreements submit ${AGREEMENT_ID}`);
    expect(renderNotification(samples.started, { from: FROM }).text).toContain('submit it for signature with:');
  });

  it('escapes every piece of user text in the HTML body', () => {
    const hostile = 'Director <Shanghai> & Co';
    const document = referenceDocument();
    const signatories = (document.signatories as Record<string, unknown>[]).map((s) =>
      s.id === 'vc-uob' ? { ...s, name: hostile } : s,
    );
    const state = stateAfter(
      [
        {
          at: '2026-11-02T09:00:00Z',
          actor: 'c',
          type: 'stage-changed',
          from: 'draft',
          to: 'signing',
          reason: 'submitted',
        },
      ],
      { ...document, title: 'Tom\'s "joint" <b>programme</b>', signatories },
    );
    const recipient = {
      name: hostile,
      email: 'vc@uob.example',
      timezone: 'Europe/London',
      role: 'signatory' as const,
      label: 'vc-uob',
    };
    const mail = renderNotification(inputFor(state, 'invitation', '1', recipient), { from: FROM });

    expect(mail.html).toContain('Director &lt;Shanghai&gt; &amp; Co');
    expect(mail.html).not.toContain(hostile);
    expect(mail.html).toContain('Tom&#39;s &quot;joint&quot; &lt;b&gt;programme&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>');
    expect(mail.text).toContain(hostile);
  });

  it('escapes a hostile cancellation reason in the HTML body', () => {
    const input = samples.cancelled;
    const reason = '<script>alert("x")</script>';
    const mail = renderNotification(
      { ...input, notification: { ...input.notification, about: { reason } } },
      { from: FROM },
    );
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>');
  });

  it.each([
    ['a recipient name', { name: 'Evil\r\nBcc: victim@example.com' }],
    ['a recipient address', { email: 'vc@uob.example\nBcc: victim@example.com' }],
  ])('refuses CR/LF in %s with InvalidNotificationError', (_label, change) => {
    const input = samples.started;
    const notification = { ...input.notification, recipient: { ...input.notification.recipient, ...change } };
    const render = () => renderNotification({ ...input, notification }, { from: FROM });
    expect(render).toThrow(InvalidNotificationError);
    expect(render).toThrow(/line breaks/);
    try {
      render();
    } catch (error) {
      expect((error as Error).name).toBe('InvalidNotification');
    }
  });

  it('refuses CR/LF in the sender and in the subject', () => {
    expect(() => renderNotification(samples.started, { from: 'Office <a@b.example>\r\nBcc: x@y.example' })).toThrow(
      InvalidNotificationError,
    );
    const facts = { ...samples.started.facts, title: 'Programme\nBcc: victim@example.com' };
    expect(() => renderNotification({ ...samples.started, facts }, { from: FROM })).toThrow(InvalidNotificationError);
  });

  it('attaches a calendar invite only to invitations and reschedules', () => {
    for (const kind of NOTIFICATION_KINDS) {
      const mail = renderNotification(samples[kind], { from: FROM });
      const expected = kind === 'invitation' || kind === 'rescheduled';
      expect(mail.icalEvent !== undefined, kind).toBe(expected);
      expect(
        (mail.attachments ?? []).map((a) => a.filename),
        kind,
      ).toEqual(expected ? ['invite.ics'] : []);
    }
  });
});
