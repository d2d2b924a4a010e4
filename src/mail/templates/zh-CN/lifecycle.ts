import { CHINESE_KIND_NAMES } from '../../kind-names.ts';
import type { Template } from '../content.ts';
import {
  agreementFacts,
  ceremonyFacts,
  fundingTotalFact,
  leadTime,
  readerDate,
  signatureCount,
  summaryFacts,
  when,
} from '../facts.ts';

export const started: Template = (input) => ({
  subject: `协议已创建：${input.facts.title}`,
  paragraphs: [`“${input.facts.title}”已创建，目前处于草案阶段。`],
  facts: summaryFacts(input),
  action: `请审阅草案，随后提交${input.facts.approvals.length > 0 ? '内部审批' : '签署'}：agreements submit ${input.agreementId}`,
});

export const renewalNotice: Template = (input) => {
  const lead = leadTime(input);
  const endsAt = input.facts.term?.endsAt;
  return {
    subject: `续约提醒：协议期限将于${endsAt ? readerDate(input, endsAt) : '近期'}届满${lead ? `（${lead}后）` : ''}`,
    paragraphs: [
      `“${input.facts.title}”协议期限将于${endsAt ? when(input, endsAt) : '近期'}届满${lead ? `，距今${lead}` : ''}。如不续约，协议届时即告完成。`,
    ],
    facts: [...agreementFacts(input), ...(endsAt ? [{ label: '协议期满', value: when(input, endsAt) }] : [])],
    action: `如需延长期限：agreements renew ${input.agreementId} --until <含时区的日期时间>`,
  };
};

export const completed: Template = (input) => ({
  subject: `协议已完成：${input.facts.title}`,
  paragraphs: [`“${input.facts.title}”已圆满完成，谨向各合作方致以谢意。`],
  facts: [
    ...agreementFacts(input),
    { label: '签署进度', value: signatureCount(input) },
    ...fundingTotalFact(input),
    ...(input.facts.cohort ? [{ label: '学员', value: `${input.facts.cohort.enrolledCount}人` }] : []),
  ],
});

export const cancelled: Template = (input) => {
  const reason = input.notification.about.reason ?? input.facts.cancelReason ?? '未说明原因';
  return {
    subject: `协议已取消：${input.facts.title}`,
    paragraphs: [`“${input.facts.title}”已取消。`, input.facts.ceremony ? '原定的签约仪式将不再举行。' : ''].filter(
      (paragraph) => paragraph !== '',
    ),
    facts: [{ label: '原因', value: reason }, ...agreementFacts(input), ...ceremonyFacts(input)],
  };
};

export const deliveryFailed: Template = (input) => {
  const undelivered = input.notification.about.undelivered;
  const kind = undelivered ? CHINESE_KIND_NAMES[undelivered.kind] : '通知';
  return {
    subject: `邮件无法投递：${undelivered?.recipient ?? '收件人'}`,
    paragraphs: [
      `一封关于“${input.facts.title}”的${kind}邮件无法投递，且不再重试。`,
      `原因：${input.notification.about.reason ?? '未说明'}`,
    ],
    facts: [...agreementFacts(input), { label: '收件人', value: undelivered?.recipient ?? '不详' }],
    action: '请核对协议中的邮箱地址，并通过其他方式联系收件人。',
  };
};
