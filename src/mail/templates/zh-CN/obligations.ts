import type { Template, TemplateInput } from '../content.ts';
import { chaseNumber, leadTime, obligation, obligationFacts, openObligationsFact, readerDate, when } from '../facts.ts';

const fulfilCommand = (input: TemplateInput) =>
  `agreements fulfil ${input.agreementId} --obligation ${obligation(input).id} [--reference <参考编号>]`;

/** 由协调人登记履行：负责方多在合作方、未必使用命令行，故请其告知合作办公室；协调人先与负责方跟进。 */
function fulfilAction(input: TemplateInput): string {
  if (input.notification.recipient.role === 'obligation-owner') {
    return `履行完毕后，请告知合作办公室并注明相关编号，以便其登记履行（${fulfilCommand(input)}）。`;
  }
  return `请与${obligation(input).owner ?? '负责方'}跟进，随后登记履行：${fulfilCommand(input)}`;
}

export const obligationNotice: Template = (input) => {
  const { title, due } = obligation(input);
  const lead = leadTime(input);
  return {
    subject: `到期提醒：${title}将于${due ? readerDate(input, due) : '近期'}到期${lead ? `（${lead}后）` : ''}`,
    paragraphs: [
      `“${input.facts.title}”项下义务事项“${title}”将于${due ? when(input, due) : '近期'}到期${lead ? `，距今${lead}` : ''}。`,
    ],
    facts: [...obligationFacts(input), ...(lead ? [{ label: '提醒', value: `到期前${lead}` }] : [])],
    action: fulfilAction(input),
  };
};

export const obligationOverdue: Template = (input) => {
  const { title, due } = obligation(input);
  const chase = chaseNumber(input);
  return {
    subject: `逾期：${title}${due ? `已于${readerDate(input, due)}到期` : '已到期'}${chase > 1 ? `（第${chase}次提醒）` : ''}`,
    paragraphs: [
      `“${input.facts.title}”项下义务事项“${title}”${due ? `应于${when(input, due)}前完成` : '已到期'}，目前尚未登记履行。`,
    ],
    facts: [...obligationFacts(input), { label: '提醒', value: `第${chase}次` }],
    action: fulfilAction(input),
  };
};

export const obligationFulfilled: Template = (input) => {
  const found = obligation(input);
  const { reference } = input.notification.about;
  return {
    subject: `义务已履行：${found.title}`,
    paragraphs: [`“${input.facts.title}”项下义务事项“${found.title}”已登记履行。`],
    facts: [
      ...obligationFacts(input),
      ...(found.fulfilledAt ? [{ label: '履行时间', value: when(input, found.fulfilledAt) }] : []),
      ...(reference !== undefined ? [{ label: '参考编号', value: reference }] : []),
      ...openObligationsFact(input),
    ],
  };
};
