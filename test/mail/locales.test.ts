import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/domain/locale.ts';
import { NOTIFICATION_KINDS } from '../../src/domain/notifications.ts';
import type { AgreementMailInput } from '../../src/domain/index.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { agreementFacts, decide, evolve, notificationsForEvent, parseCommand } from '../../src/domain/index.ts';
import { coordinators } from '../../src/domain/notifications.ts';
import {
  AGREEMENT_ID,
  CHANGES_REASON,
  FROM,
  inputFor,
  sampleOfEveryKind,
  STATES,
} from './support/reference-agreement.ts';

const samples = sampleOfEveryKind();

function inLocale(input: AgreementMailInput, locale: Locale): AgreementMailInput {
  return { ...input, notification: { ...input.notification, recipient: { ...input.notification.recipient, locale } } };
}

/** Every piece of the agreement's own text a mail may quote: names and user text are never translated. */
function userText(input: AgreementMailInput): string[] {
  const { facts, notification } = input;
  return [
    facts.title,
    ...facts.parties.map((party) => party.name),
    ...facts.signatures.flatMap((s) => [s.name, s.signatory]),
    ...(facts.ceremony ? [facts.ceremony.venue] : []),
    ...(facts.cohort?.sites ?? []),
    ...(facts.funding?.commitments.map((c) => c.id) ?? []),
    ...facts.approvals.flatMap((a) => [a.name, a.approver, a.note ?? '']),
    ...facts.obligations.flatMap((o) => [o.title, o.id, o.owner, o.reference ?? '']),
    ...[...facts.documents, ...facts.variations.flatMap((v) => v.documents)].flatMap((d) => [d.title, d.id, d.sha256]),
    ...facts.variations.flatMap((v) => [...v.sets.commitments.map((c) => c.id), ...v.signatures.map((s) => s.name)]),
    notification.recipient.name,
    notification.recipient.email,
    notification.key,
    notification.about.reason ?? '',
    notification.about.variation?.reason ?? '',
    notification.about.reference ?? '',
    notification.about.approver ?? '',
    notification.about.obligation?.title ?? '',
    notification.about.obligation?.id ?? '',
    notification.about.undelivered?.recipient ?? '',
    ...Object.values(notification.about.replacement ?? {}),
    AGREEMENT_ID,
  ].filter((text) => text !== '');
}

/** What is left of a Chinese mail once the quoted user text and the CLI commands it suggests are taken out. */
function templateText(text: string, input: AgreementMailInput): string {
  const quoted = userText(input).sort((a, b) => b.length - a.length);
  let rest = quoted.reduce((left, value) => left.split(value).join(' '), text);
  // A command to type stays a command: `agreements sign <id> --signatory <签署人编号>`.
  rest = rest.replace(/agreements [a-z-]+( --[a-z-]+)*/g, ' ').replace(/--[a-z-]+/g, ' ');
  // So does Temporal's own (`temporal workflow cancel`), and a product's name is not translated.
  rest = rest.replace(/temporal workflow [a-z-]+/g, ' ').replace(/\bTemporal\b/g, ' ');
  return rest;
}

const ENGLISH_WORD = /[A-Za-z]{2,}/g;
const CHINESE = /[\u4e00-\u9fff]/;

describe('mail in both languages', () => {
  it.each(NOTIFICATION_KINDS)('writes %s in Chinese with no English template text', (kind) => {
    const input = inLocale(samples[kind], 'zh-CN');
    const mail = renderNotification(input, { from: FROM });
    expect(mail.subject.startsWith(`[${AGREEMENT_ID}] `)).toBe(true);
    const summary = mail.icalEvent?.content.match(/^SUMMARY:(.*)$/m)?.[1] ?? '';
    for (const part of [mail.subject, mail.text, summary]) {
      expect(templateText(part, input).match(ENGLISH_WORD) ?? [], part).toEqual([]);
    }
    expect(mail.subject).toMatch(CHINESE);
    expect(mail.text).toContain(`尊敬的${input.notification.recipient.name}：`);
    expect(mail.html).toContain('<html lang="zh-CN">');
    // The HTML carries the same words, escaped: strip the markup and the style attributes before looking.
    const visible = mail.html.replace(/<[^>]*>/g, ' ').replace(/&[a-z#0-9]+;/g, ' ');
    expect(templateText(visible, input).match(ENGLISH_WORD) ?? []).toEqual([]);
  });

  it.each(NOTIFICATION_KINDS)('writes %s in English with no Chinese', (kind) => {
    const mail = renderNotification(inLocale(samples[kind], 'en'), { from: FROM });
    expect(mail).toEqual(renderNotification(samples[kind], { from: FROM }));
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(CHINESE);
  });

  it('formats dates, money and the ceremony for a Chinese reader', () => {
    const invitation = renderNotification(inLocale(samples.invitation, 'zh-CN'), { from: FROM });
    expect(invitation.subject).toBe(`[${AGREEMENT_ID}] 邀请函：签约仪式（Nanjing，2027年1月15日）`);
    expect(invitation.text).toContain('2027年1月15日（周五）02:00 (英国时间)，即Nanjing当地时间 10:00 (北京时间)');
    expect(invitation.icalEvent?.content).toContain('SUMMARY:签约仪式：UoB–JITRI joint PhD researcher programme');

    const request = renderNotification(inLocale(samples['funding-request'], 'zh-CN'), { from: FROM });
    expect(request.subject).toBe(`[${AGREEMENT_ID}] 资金确认请求：jitri-phd，1,350,000.00英镑`);
    expect(request.text).toContain('2027年3月31日（周三）08:00 (北京时间)');

    const notice = renderNotification(inLocale(samples['ceremony-notice'], 'zh-CN'), { from: FROM });
    expect(notice.subject).toBe(`[${AGREEMENT_ID}] 提醒：签约仪式（Nanjing，2027年1月15日）（7天后举行）`);
  });

  it('writes approval and obligation mail for a Chinese reader', () => {
    const request = renderNotification(inLocale(samples['approval-request'], 'zh-CN'), { from: FROM });
    expect(request.subject).toBe(`[${AGREEMENT_ID}] 审批请求：UoB–JITRI joint PhD researcher programme`);
    expect(request.text).toContain(`agreements approve ${AGREEMENT_ID} --approver legal`);
    expect(request.text).toContain(`agreements request-changes ${AGREEMENT_ID} --approver legal --reason`);
    expect(request.text).toContain('您作为本协议审批人收到此邮件。');

    const changes = renderNotification(inLocale(samples['changes-requested'], 'zh-CN'), { from: FROM });
    expect(changes.subject).toBe(
      `[${AGREEMENT_ID}] 修改意见：UoB–JITRI joint PhD researcher programme（Research Finance）`,
    );
    expect(changes.text).toContain(`意见如下：“${CHANGES_REASON}”`);

    const overdue = renderNotification(inLocale(samples['obligation-overdue'], 'zh-CN'), { from: FROM });
    expect(overdue.subject).toBe(
      `[${AGREEMENT_ID}] 逾期：Annual progress report 2027已于2027年12月2日到期（第2次提醒）`,
    );
    expect(overdue.text).toContain('应于2027年12月2日（周四）01:00 (北京时间)前完成');
    expect(overdue.text).toContain(`agreements fulfil ${AGREEMENT_ID} --obligation report-2027`);
    expect(overdue.text).toContain('履行完毕后，请告知合作办公室并注明相关编号');

    const state = STATES.obligationsActive();
    const london = { ...coordinators(state)[0]!, locale: 'zh-CN' as const };
    const about = samples['obligation-overdue'].notification.about;
    const coordinator = renderNotification(inputFor(state, 'obligation-overdue', 'report-2027-2', london, about), {
      from: FROM,
    });
    expect(coordinator.subject).toContain('已于2027年12月1日到期');
    const inLondon = '2027年12月1日（周三）17:00 (英国时间)，即北京时间2027年12月2日 01:00';
    expect(coordinator.text).toContain(`应于${inLondon}前完成`);
    const dueLine = coordinator.text.split('\n').find((line) => line.trim().startsWith('到期时间：'));
    expect(dueLine?.replace('到期时间：', '').trim()).toBe(inLondon);
    expect(coordinator.text).toContain('请与JITRI Programme Office跟进，随后登记履行');
  });

  it('escapes a hostile reason for changes in the Chinese HTML', () => {
    const input = inLocale(samples['changes-requested'], 'zh-CN');
    const reason = '第7.2条 <b>知识产权</b> & "分配"';
    const about = { ...input.notification.about, reason };
    const mail = renderNotification({ ...input, notification: { ...input.notification, about } }, { from: FROM });
    expect(mail.html).toContain('第7.2条 &lt;b&gt;知识产权&lt;/b&gt; &amp; &quot;分配&quot;');
    expect(mail.html).not.toContain('<b>');
  });

  it('escapes user text in the Chinese HTML too', () => {
    const input = inLocale(samples.cancelled, 'zh-CN');
    const hostile = {
      ...input,
      notification: { ...input.notification, about: { reason: '<script>alert("x")</script> & 董事会' } },
    };
    const mail = renderNotification(hostile, { from: FROM });
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 董事会');
    expect(mail.html).not.toContain('<script>');
  });

  it('writes to a candidate enrolled with locale zh-CN in Chinese, and rejects a locale it does not know', () => {
    const cohort = STATES.cohort();
    const at = Date.parse('2027-04-05T10:00:00Z');
    const args = { name: 'Zhou Min', email: 'zhou.min@jitri.example', party: 'jitri', locale: 'zh-CN' };
    const parsed = parseCommand('enrol', args);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const decision = decide(cohort, parsed.value, at);
    if (!decision.ok) throw new Error(decision.errors.join('; '));
    const state = evolve(cohort, decision.value);
    const [notification] = decision.value.flatMap((event) => notificationsForEvent(state, event));
    expect(notification?.recipient.locale).toBe('zh-CN');
    const mail = renderNotification(
      { agreementId: AGREEMENT_ID, notification: notification!, facts: agreementFacts(state) },
      { from: FROM },
    );
    expect(mail.subject).toBe(`[${AGREEMENT_ID}] 录取通知：UoB–JITRI joint PhD researcher programme`);

    const refused = parseCommand('enrol', { ...args, locale: 'zh-TW' });
    expect(refused.ok ? [] : refused.errors).toEqual(['locale: must be one of en, zh-CN']);
  });
});
