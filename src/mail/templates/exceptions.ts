import type { NotificationKind } from '../../domain/notifications.ts';
import type { TemplateInput } from './content.ts';
import {
  agreementFacts,
  approvalFacts,
  ceremonyFacts,
  leadTime,
  missingSignatories,
  signatureCount,
  when,
  wordsFor,
} from './facts.ts';
import { mailKind, type MailKindText } from './mail-kind.ts';

/** The deadline a mail is about (deadline-warning). */
function deadlineOf(input: TemplateInput) {
  const deadline = input.notification.about.deadline;
  if (!deadline) throw new Error('a deadline warning needs its deadline');
  return deadline;
}

/** Those still to act are asked to act; the coordinators are told who has not, and how to move the deadline. */
const isCoordinator = (input: TemplateInput) => input.notification.recipient.role === 'coordinator';

/** The mail of a signing or an approval that does not go to plan (SPEC §18). */
export const EXCEPTION_MAIL = {
  'deadline-warning': mailKind({
    chineseName: '期限提醒',
    words: {
      en: {
        stage: { approval: 'approval', signing: 'signing' },
        subject: (stage: string, lead: string, title: string) => `Deadline in ${lead}: ${stage} of “${title}”`,
        paragraphs: (stage: string, title: string, deadline: string) => [
          `The ${stage} of “${title}” must be complete by ${deadline}.`,
          'If it is not, the agreement is cancelled at that moment.',
        ],
        deadline: 'Deadline',
        act: {
          approval: (id: string, who: string) =>
            `Please approve with: agreements approve ${id} --approver ${who} — or send it back with: agreements request-changes ${id} --approver ${who} --reason "<what must change>"`,
          signing: () => 'Please sign the agreement before the deadline, or reply if something is holding it up.',
        },
        coordinate: (id: string) =>
          `Follow up with those still to act, or move the deadline with: agreements extend ${id} --until <iso>`,
      },
      'zh-CN': {
        stage: { approval: '审批', signing: '签署' },
        subject: (stage, lead, title) => `期限提醒：“${title}”${stage}将于${lead}后截止`,
        paragraphs: (stage, title, deadline) => [
          `“${title}”须于${deadline}之前完成${stage}。`,
          '逾期未完成，协议将于届时自动取消。',
        ],
        deadline: '截止时间',
        act: {
          approval: (id, who) =>
            `批准：agreements approve ${id} --approver ${who}；如需修改：agreements request-changes ${id} --approver ${who} --reason "<修改意见>"`,
          signing: () => '敬请于截止时间之前签署本协议；如有任何问题，请回复此邮件。',
        },
        coordinate: (id) => `请与尚未办理者跟进，或延长期限：agreements extend ${id} --until <时间>`,
      },
    },
    write: (input, words) => {
      const deadline = deadlineOf(input);
      const stage = words.stage[deadline.stage];
      const lead = leadTime(input) ?? '';
      const shared = wordsFor(input);
      const missing = missingSignatories(input);
      const progress =
        deadline.stage === 'approval'
          ? approvalFacts(input)
          : [
              { label: shared.signatures, value: signatureCount(input) },
              { label: shared.stillToSign, value: missing.join(shared.listSeparator) || shared.none },
            ];
      return {
        subject: words.subject(stage, lead, input.facts.title),
        paragraphs: words.paragraphs(stage, input.facts.title, when(input, deadline.at)),
        facts: [
          { label: words.deadline, value: when(input, deadline.at) },
          ...progress,
          ...ceremonyFacts(input),
          ...agreementFacts(input),
        ],
        action: isCoordinator(input)
          ? words.coordinate(input.agreementId)
          : words.act[deadline.stage](input.agreementId, input.notification.recipient.label),
      };
    },
  }),
} satisfies Partial<Record<NotificationKind, MailKindText>>;
