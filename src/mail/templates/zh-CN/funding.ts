import type { Template } from '../content.ts';
import {
  chaseNumber,
  commitment,
  commitmentFacts,
  commitmentId,
  committedAmount,
  fundingTotalFact,
  majorAmount,
  minorAmount,
  outstanding,
  readerDate,
  when,
} from '../facts.ts';

const confirmCommand = (agreementId: string, commitment: string) =>
  `请与出资方跟进，随后记录确认：agreements confirm-funding ${agreementId} --commitment ${commitment} --amount <金额>`;

export const fundingRequest: Template = (input) => ({
  subject: `资金确认请求：${commitmentId(input)}，${committedAmount(input)}`,
  paragraphs: [`“${input.facts.title}”已经各方签署，现待确认资金承诺${commitmentId(input)}项下的资金。`],
  facts: commitmentFacts(input),
  action: '敬请向合作办公室确认该笔资金（可一次或分批确认），并注明贵方参考编号。',
});

export const fundingChase: Template = (input) => {
  const chase = chaseNumber(input);
  return {
    subject: `第${chase}次提醒：资金承诺${commitmentId(input)}尚待确认（待确认${outstanding(input)}）`,
    paragraphs: [`“${input.facts.title}”资金承诺${commitmentId(input)}项下的资金尚未全部确认。`],
    facts: [...commitmentFacts(input), { label: '提醒', value: `第${chase}次` }],
    action: '敬请向合作办公室确认该笔资金；如有任何问题，请回复此邮件。',
  };
};

export const fundingEscalation: Template = (input) => ({
  subject: `升级提醒：资金承诺${commitmentId(input)}仍未确认（待确认${outstanding(input)}）`,
  paragraphs: [`有关确认“${input.facts.title}”资金承诺${commitmentId(input)}的提醒均未获回复。`],
  facts: [...commitmentFacts(input), ...fundingTotalFact(input)],
  action: confirmCommand(input.agreementId, commitmentId(input)),
});

export const fundingOverdue: Template = (input) => {
  const dueAt = commitment(input)?.dueAt;
  return {
    subject: `逾期：资金承诺${commitmentId(input)}${dueAt ? `已于${readerDate(input, dueAt)}到期` : '已到期'}（待确认${outstanding(input)}）`,
    paragraphs: [
      `“${input.facts.title}”资金承诺${commitmentId(input)}${dueAt ? `应于${when(input, dueAt)}前确认` : '已到期'}，目前尚未全部确认。`,
    ],
    facts: [...commitmentFacts(input), ...fundingTotalFact(input)],
    action: confirmCommand(input.agreementId, commitmentId(input)),
  };
};

export const fundingConfirmed: Template = (input) => {
  const { about } = input.notification;
  const found = commitment(input);
  const tranche = about.tranche !== undefined ? `第${about.tranche}笔` : '';
  const amount = about.amount !== undefined ? minorAmount(input, about.amount) : '一笔款项';
  return {
    subject: `资金已确认：${commitmentId(input)}${tranche}，${amount}`,
    paragraphs: [`“${input.facts.title}”资金承诺${commitmentId(input)}已确认${amount}。`],
    facts: [
      { label: '资金承诺', value: commitmentId(input) },
      ...(about.tranche !== undefined ? [{ label: '批次', value: tranche }] : []),
      { label: '本笔金额', value: amount },
      ...(about.reference !== undefined ? [{ label: '参考编号', value: about.reference }] : []),
      ...(found
        ? [
            {
              label: '该承诺已确认',
              value: `${majorAmount(input, found.confirmed)}，共${majorAmount(input, found.amount)}`,
            },
          ]
        : []),
      ...fundingTotalFact(input),
    ],
  };
};
