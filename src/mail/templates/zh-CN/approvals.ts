import type { Template, TemplateInput } from '../content.ts';
import {
  agreementFacts,
  approvalFacts,
  approverId,
  approverName,
  ceremonyFacts,
  chaseNumber,
  summaryFacts,
  termFacts,
} from '../facts.ts';

/** 审批人批准或退回修改所用的命令。 */
function approverCommands(input: TemplateInput): string {
  const id = input.agreementId;
  const approver = approverId(input) ?? '<审批人编号>';
  return (
    `批准：agreements approve ${id} --approver ${approver} [--note "<备注>"]；` +
    `如需修改：agreements request-changes ${id} --approver ${approver} --reason "<修改意见>"`
  );
}

export const approvalRequest: Template = (input) => ({
  subject: `审批请求：${input.facts.title}`,
  paragraphs: [
    `“${input.facts.title}”已提交内部审批，送交签署前须经您审批。`,
    '全部审批人批准后，协议即送交签署；如提出修改意见，协议将退回草案阶段。',
  ],
  facts: [...summaryFacts(input), ...termFacts(input), ...approvalFacts(input)],
  action: `敬请审阅协议后办理。${approverCommands(input)}`,
});

export const approvalChase: Template = (input) => {
  const chase = chaseNumber(input);
  return {
    subject: `第${chase}次提醒：“${input.facts.title}”尚待您审批`,
    paragraphs: [`“${input.facts.title}”尚待您审批。全部审批人批准之前，协议无法送交签署。`],
    facts: [...approvalFacts(input), ...ceremonyFacts(input), { label: '提醒', value: `第${chase}次` }],
    action: `敬请尽快办理。${approverCommands(input)}`,
  };
};

export const approvalEscalation: Template = (input) => {
  const name = approverName(input);
  return {
    subject: `升级提醒：${name}尚未审批`,
    paragraphs: [`有关请${name}审批“${input.facts.title}”的提醒均未获回复。全部审批人批准之前，协议无法送交签署。`],
    facts: [...approvalFacts(input), ...ceremonyFacts(input), ...agreementFacts(input)],
    action: `请与${name}跟进，随后记录审批：agreements approve ${input.agreementId} --approver ${approverId(input) ?? '<审批人编号>'}`,
  };
};

export const changesRequested: Template = (input) => {
  const name = approverName(input);
  const reason = input.notification.about.reason ?? '未说明原因';
  return {
    subject: `修改意见：${input.facts.title}（${name}）`,
    paragraphs: [
      `${name}对“${input.facts.title}”提出修改意见，暂不予批准。意见如下：“${reason}”`,
      '协议已退回草案阶段，此前的审批均已撤销；重新提交后将再次送各审批人审批。',
    ],
    facts: [{ label: '提出人', value: name }, { label: '修改意见', value: reason }, ...agreementFacts(input)],
    action: `请修改草案（agreements amend ${input.agreementId} --file <修改文件>），随后重新提交审批：agreements submit ${input.agreementId}`,
  };
};
