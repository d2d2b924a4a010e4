import type { NotificationKind } from '../../domain/notifications.ts';
import type { TemplateInput } from './content.ts';
import {
  agreementFacts,
  approvalFacts,
  approverId,
  approverName,
  ceremonyFacts,
  chaseNumber,
  sentBackToDraft,
  summaryFacts,
  termFacts,
  wordsFor,
  type SentBackWords,
} from './facts.ts';
import { mailKind, type MailKindText } from './mail-kind.ts';

/** What an approver types to approve, or to send the agreement back. */
const APPROVER_COMMANDS = {
  en: (input: TemplateInput): string => {
    const id = input.agreementId;
    const approver = approverId(input) ?? '<your approver id>';
    return (
      `approve with: agreements approve ${id} --approver ${approver} [--note "<note>"] — ` +
      `or send it back with: agreements request-changes ${id} --approver ${approver} --reason "<what must change>"`
    );
  },
  'zh-CN': (input: TemplateInput): string => {
    const id = input.agreementId;
    const approver = approverId(input) ?? '<审批人编号>';
    return (
      `批准：agreements approve ${id} --approver ${approver} [--note "<备注>"]；` +
      `如需修改：agreements request-changes ${id} --approver ${approver} --reason "<修改意见>"`
    );
  },
};

/** The mail of internal approval, before an agreement goes to signature. */
export const APPROVAL_MAIL = {
  'approval-request': mailKind({
    chineseName: '审批请求',
    words: {
      en: {
        subject: (title: string) => `Approval requested: ${title}`,
        paragraphs: (title: string) => [
          `“${title}” has been submitted for internal approval, and your approval is requested before it goes to signature.`,
          'It goes to signature once every approver has approved it; a request for changes sends it back to draft.',
        ],
        action: (input: TemplateInput) => `Please review the agreement, then ${APPROVER_COMMANDS.en(input)}`,
      },
      'zh-CN': {
        subject: (title) => `审批请求：${title}`,
        paragraphs: (title) => [
          `“${title}”已提交内部审批，送交签署前须经您审批。`,
          '全部审批人批准后，协议即送交签署；如提出修改意见，协议将退回草案阶段。',
        ],
        action: (input) => `敬请审阅协议后办理。${APPROVER_COMMANDS['zh-CN'](input)}`,
      },
    },
    write: (input, words) => ({
      subject: words.subject(input.facts.title),
      paragraphs: words.paragraphs(input.facts.title),
      facts: [...summaryFacts(input), ...termFacts(input), ...approvalFacts(input)],
      action: words.action(input),
    }),
  }),

  'approval-chase': mailKind({
    chineseName: '审批提醒',
    words: {
      en: {
        subject: (chase: number, title: string) => `Reminder ${chase}: your approval of “${title}” is still needed`,
        paragraph: (title: string) =>
          `“${title}” is still awaiting your approval. It cannot go to signature until every approver has approved it.`,
        action: (input: TemplateInput) => `Please ${APPROVER_COMMANDS.en(input)}`,
      },
      'zh-CN': {
        subject: (chase, title) => `第${chase}次提醒：“${title}”尚待您审批`,
        paragraph: (title) => `“${title}”尚待您审批。全部审批人批准之前，协议无法送交签署。`,
        action: (input) => `敬请尽快办理。${APPROVER_COMMANDS['zh-CN'](input)}`,
      },
    },
    write: (input, words) => {
      const chase = chaseNumber(input);
      const shared = wordsFor(input);
      return {
        subject: words.subject(chase, input.facts.title),
        paragraphs: [words.paragraph(input.facts.title)],
        facts: [
          ...approvalFacts(input),
          ...ceremonyFacts(input),
          { label: shared.reminder, value: shared.reminderNumber(chase) },
        ],
        action: words.action(input),
      };
    },
  }),

  'approval-escalation': mailKind({
    chineseName: '审批升级提醒',
    words: {
      en: {
        subject: (name: string) => `Escalation: approval by ${name} still missing`,
        paragraph: (name: string, title: string) =>
          `Reminders to ${name} to approve “${title}” went unanswered. The agreement cannot go to signature until every approver has approved it.`,
        action: (name: string, id: string, approver: string | undefined) =>
          `Follow up with ${name}, then record the approval with: agreements approve ${id} --approver ${approver ?? '<approver id>'}`,
      },
      'zh-CN': {
        subject: (name) => `升级提醒：${name}尚未审批`,
        paragraph: (name, title) =>
          `有关请${name}审批“${title}”的提醒均未获回复。全部审批人批准之前，协议无法送交签署。`,
        action: (name, id, approver) =>
          `请与${name}跟进，随后记录审批：agreements approve ${id} --approver ${approver ?? '<审批人编号>'}`,
      },
    },
    write: (input, words) => {
      const name = approverName(input);
      return {
        subject: words.subject(name),
        paragraphs: [words.paragraph(name, input.facts.title)],
        facts: [...approvalFacts(input), ...ceremonyFacts(input), ...agreementFacts(input)],
        action: words.action(name, input.agreementId, approverId(input)),
      };
    },
  }),

  'changes-requested': mailKind({
    chineseName: '修改意见通知',
    words: {
      en: {
        noReason: 'no reason given',
        subject: (name: string, title: string) => `Changes requested by ${name}: ${title}`,
        paragraphs: (name: string, title: string, reason: string) => [
          `${name} has asked for changes to “${title}” before approving it: “${reason}”`,
          'The agreement is back in draft, and the approvals given so far have been cleared: every approver is asked again once it is resubmitted.',
        ],
        by: 'Requested by',
        reason: 'Reason',
        action: (id: string) =>
          `Amend the draft (agreements amend ${id} --file <patch>), then submit it for approval again with: agreements submit ${id}`,
      },
      'zh-CN': {
        noReason: '未说明原因',
        subject: (name, title) => `修改意见：${title}（${name}）`,
        paragraphs: (name, title, reason) => [
          `${name}对“${title}”提出修改意见，暂不予批准。意见如下：“${reason}”`,
          '协议已退回草案阶段，此前的审批均已撤销；重新提交后将再次送各审批人审批。',
        ],
        by: '提出人',
        reason: '修改意见',
        action: (id) =>
          `请修改草案（agreements amend ${id} --file <修改文件>），随后重新提交审批：agreements submit ${id}`,
      },
    },
    write: (input, words: SentBackWords) => sentBackToDraft(input, words, approverName(input), []),
  }),
} satisfies Partial<Record<NotificationKind, MailKindText>>;
