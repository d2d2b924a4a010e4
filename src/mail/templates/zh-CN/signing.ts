import type { Template } from '../content.ts';
import {
  agreementFacts,
  ceremonyFacts,
  ceremonyHeadline,
  ceremonyWhen,
  chaseNumber,
  leadTime,
  missingSignatories,
  signatoryName,
  signatureCount,
  when,
} from '../facts.ts';

// The register of a Chinese institute writing to a partner university: 敬请/谨 for requests, no pleasantries.

export const invitation: Template = (input) => ({
  subject: `邀请函：${ceremonyHeadline(input)}`,
  paragraphs: [
    `谨诚邀您出席“${input.facts.title}”签约仪式。`,
    `仪式定于${ceremonyWhen(input)}举行，日历邀请随函附上。`,
  ],
  facts: [
    ...ceremonyFacts(input),
    { label: '签署人', value: input.facts.signatures.map((s) => signatoryName(input, s.signatory)).join('；') },
    ...agreementFacts(input),
  ],
  action: '敬请接受日历邀请，以确认出席。',
});

export const ceremonyNotice: Template = (input) => {
  const lead = leadTime(input);
  const missing = missingSignatories(input);
  return {
    subject: `提醒：${ceremonyHeadline(input)}${lead ? `（${lead}后举行）` : ''}`,
    paragraphs: [
      `“${input.facts.title}”签约仪式将于${lead ? `${lead}后` : '近期'}举行，时间为${ceremonyWhen(input)}。`,
    ],
    facts: [
      ...ceremonyFacts(input),
      { label: '签署进度', value: signatureCount(input) },
      ...(missing.length > 0 ? [{ label: '尚未签署', value: missing.join('；') }] : []),
      ...(lead ? [{ label: '提醒', value: `仪式前${lead}` }] : []),
    ],
  };
};

export const rescheduled: Template = (input) => ({
  subject: `改期通知：${ceremonyHeadline(input)}`,
  paragraphs: [`“${input.facts.title}”签约仪式已改至${ceremonyWhen(input)}举行。`, '随函所附日历邀请取代此前的邀请。'],
  facts: [
    ...ceremonyFacts(input),
    ...(input.facts.ceremony ? [{ label: '邀请版本', value: `第${input.facts.ceremony.sequence}版` }] : []),
    ...agreementFacts(input),
  ],
  action: '敬请接受更新后的日历邀请。',
});

export const signatureRecorded: Template = (input) => {
  const signatory = input.notification.about.signatory;
  const signature = input.facts.signatures.find((s) => s.signatory === signatory);
  const missing = missingSignatories(input);
  return {
    subject: `签署已记录：${signature?.name ?? signatory ?? '签署人'}（${signatureCount(input)}）`,
    paragraphs: [`${signatoryName(input, signatory)}已签署“${input.facts.title}”。`],
    facts: [
      ...(signature?.signedAt ? [{ label: '签署时间', value: when(input, signature.signedAt) }] : []),
      ...(signature?.documentSha256 ? [{ label: '文件校验值', value: signature.documentSha256 }] : []),
      { label: '签署进度', value: signatureCount(input) },
      { label: '尚未签署', value: missing.length > 0 ? missing.join('；') : '无，全部签署均已记录' },
    ],
  };
};

export const signatureChase: Template = (input) => {
  const chase = chaseNumber(input);
  return {
    subject: `第${chase}次提醒：“${input.facts.title}”尚待您签署`,
    paragraphs: [`签约仪式已于${ceremonyWhen(input)}举行，但尚未收到您对“${input.facts.title}”的签署。`],
    facts: [
      ...ceremonyFacts(input),
      { label: '签署进度', value: signatureCount(input) },
      { label: '提醒', value: `第${chase}次` },
    ],
    action: '敬请签署本协议并告知合作办公室；如有任何问题，请回复此邮件。',
  };
};

export const signatureEscalation: Template = (input) => {
  const missing = missingSignatories(input);
  const named = input.notification.about.signatory;
  return {
    subject: `升级提醒：${named ? signatoryName(input, named) : missing.join('；')}尚未签署`,
    paragraphs: [`有关签署“${input.facts.title}”的提醒均未获回复。全部签署完成之前，协议无法进入下一阶段。`],
    facts: [
      { label: '尚未签署', value: missing.join('；') || '无' },
      { label: '签署进度', value: signatureCount(input) },
      ...ceremonyFacts(input),
    ],
    action: `请与签署人跟进，随后记录签署：agreements sign ${input.agreementId} --signatory <签署人编号>`,
  };
};
