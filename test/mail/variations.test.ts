import { describe, expect, it } from 'vitest';
import type { AgreementMailInput } from '../../src/domain/index.ts';
import { agreementFacts, factsForMail } from '../../src/domain/index.ts';
import type { Locale } from '../../src/domain/locale.ts';
import {
  contactRecipient,
  signatoryRecipients,
  variationSubject,
  type NotificationSubject,
} from '../../src/domain/notifications.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { ANNEX, TEXT_V1, TEXT_V2 } from '../support/documents.ts';
import {
  AGREEMENT_ID,
  FROM,
  inputFor,
  sampleOfEveryKind,
  STATES,
  VARIATION_REASON,
} from './support/reference-agreement.ts';

const samples = sampleOfEveryKind();
const TITLE = 'UoB–JITRI joint PhD researcher programme';

function render(input: AgreementMailInput, locale: Locale = 'en', about: NotificationSubject = {}) {
  const notification = {
    ...input.notification,
    recipient: { ...input.notification.recipient, locale },
    about: { ...input.notification.about, ...about },
  };
  return renderNotification({ ...input, notification }, { from: FROM });
}

describe('the mail of a variation (SPEC 18)', () => {
  it('asks an approver to approve the variation by id, saying why and what it changes', () => {
    const mail = render(samples['variation-request']);
    expect(mail.subject).toBe(`[${AGREEMENT_ID}] Variation v1 for approval: ${TITLE}`);
    expect(mail.text).toContain(`has been proposed (v1): “${VARIATION_REASON}”`);
    expect(mail.text).toContain('It changes the end of the term, the funding commitments, the documents.');
    expect(mail.text).toMatch(/Funding added or raised: +uob-bridge \(University of Birmingham\): GBP 250,000\.00/);
    expect(mail.text).toMatch(/Approvals of the variation: +1 of 2\n +Awaiting approval: +Research Finance\n/);
    expect(mail.text).toContain(
      `agreements approve ${AGREEMENT_ID} --approver finance --variation v1 [--note "<note>"]`,
    );

    const chase = render(samples['variation-request'], 'en', { approver: 'finance', chase: 2 });
    expect(chase.subject).toBe(`[${AGREEMENT_ID}] Reminder 2: variation v1 of “${TITLE}” awaits your approval`);
    expect(chase.text).toMatch(/Reminder: +number 2/);
    expect(chase.text).toContain(`--approver finance --variation v1`);
  });

  it('invites a signatory to sign the variation against the documents as it makes them', () => {
    const mail = render(samples['variation-invitation']);
    expect(mail.subject).toBe(`[${AGREEMENT_ID}] Variation v1 to sign: ${TITLE}`);
    expect(mail.text).toContain(
      `agreements sign ${AGREEMENT_ID} --signatory president-jitri --variation v1 --document-sha256 ${TEXT_V2} --document-sha256 ${ANNEX}`,
    );
    expect(mail.text).not.toContain(TEXT_V1);
    expect(mail.text).toMatch(/Signatures of the variation: +1 of 2\n +Still to sign: +Professor Qing Liu\n/);

    const chinese = render(samples['variation-invitation'], 'zh-CN', { signatory: 'president-jitri', chase: 3 });
    expect(chinese.subject).toBe(`[${AGREEMENT_ID}] 第3次提醒：“${TITLE}”变更v1尚待您签署`);
    expect(chinese.text).toMatch(/变更内容： +协议期满时间、资金承诺、协议文件/);
    expect(chinese.text).toContain(`--variation v1 --document-sha256 ${TEXT_V2}`);
    expect(chinese.text).toMatch(/提醒： +第3次/);
  });

  it('tells coordinators and signatories it applies, and the coordinators how to record the new funding', () => {
    const coordinator = render(samples['variation-applied']);
    expect(coordinator.subject).toBe(`[${AGREEMENT_ID}] Variation v1 applied: ${TITLE}`);
    expect(coordinator.text).toContain('Each funding commitment it added or raised is now requested of its funder');
    expect(coordinator.text).toMatch(/Signed by: +Professor Adam Tickell \(.*\); Professor Qing Liu \(/);
    expect(coordinator.text).toMatch(/Agreement funding: +GBP 2,700,000\.00 of GBP 2,950,000\.00 confirmed/);
    expect(coordinator.text).toContain(`agreements confirm-funding ${AGREEMENT_ID} --commitment`);

    const state = STATES.variationApplied();
    const about = { variation: variationSubject(state, 'v1') };
    const [signatory] = signatoryRecipients(state, ['president-jitri']);
    const toSignatory = render(inputFor(state, 'variation-applied', 'v1', signatory, about), 'zh-CN');
    expect(toSignatory.subject).toBe(`[${AGREEMENT_ID}] 变更生效通知：${TITLE}（变更v1）`);
    expect(toSignatory.text).not.toContain('agreements confirm-funding');
  });

  it('names the variation in the funding request and the certificate it brings', () => {
    const state = STATES.variationApplied();
    const about = { variation: variationSubject(state, 'v1') };
    const [contact] = contactRecipient(state, 'uob-bridge');
    const request = render(
      inputFor(state, 'funding-request', 'v1-uob-bridge', contact, {
        ...about,
        commitment: 'uob-bridge',
        amount: 25_000_000,
      }),
    );
    expect(request.subject).toBe(`[${AGREEMENT_ID}] Funding request: uob-bridge, GBP 250,000.00`);
    expect(request.text).toContain(`Variation v1 of “${TITLE}” has been signed by every party`);
    expect(request.text).toMatch(/Variation: +v1 \(UoB bridge funding/);
    const chinese = render(
      inputFor(state, 'funding-request', 'v1-uob-bridge', contact, { ...about, commitment: 'uob-bridge' }),
      'zh-CN',
    );
    expect(chinese.text).toContain(`“${TITLE}”变更v1已经各方签署，新增或增加了资金承诺uob-bridge项下的资金`);

    const certificate = render(samples['completion-certificate'], 'en', about);
    expect(certificate.subject).toBe(`[${AGREEMENT_ID}] Certificate of completion: ${TITLE}, variation v1`);
    expect(certificate.text).toContain('Every signature of variation v1');
    expect(render(samples['completion-certificate']).text).not.toContain('variation');
  });

  it('carries the variation in the facts of its own mail only', () => {
    const facts = agreementFacts(STATES.variationSigning());
    expect(factsForMail('variation-invitation', facts).variations.map((v) => v.id)).toEqual(['v1']);
    expect(factsForMail('funding-request', facts).variations).toEqual([]);
  });
});
