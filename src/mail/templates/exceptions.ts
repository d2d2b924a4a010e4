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

  'person-replaced': mailKind({
    chineseName: '人员更换通知',
    words: {
      en: {
        role: { signatory: 'signatory', approver: 'approver' },
        subject: (role: string, previous: string, current: string) =>
          `${role[0]?.toUpperCase()}${role.slice(1)} replaced: ${current} for ${previous}`,
        toCoordinator: (role: string, previous: string, current: string, title: string) =>
          `${current} now acts as ${role} of “${title}” in place of ${previous}, and is sent what ${previous} had been sent.`,
        toPrevious: (role: string, current: string, title: string) =>
          `You are no longer a ${role} of “${title}”: ${current} acts in your place. The links and commands of earlier mail no longer work for you.`,
        kept: 'What others have already done stands.',
        reason: 'Reason',
        previous: 'Replaced',
        current: 'Replacement',
      },
      'zh-CN': {
        role: { signatory: '签署人', approver: '审批人' },
        subject: (role, previous, current) => `${role}更换：${current}接替${previous}`,
        toCoordinator: (role, previous, current, title) =>
          `“${title}”的${role}已由${previous}改为${current}；此前发给${previous}的邮件已转发${current}。`,
        toPrevious: (role, current, title) =>
          `您已不再担任“${title}”的${role}，改由${current}接替。此前邮件中的链接和命令对您已不再有效。`,
        kept: '其他人已办理的事项依然有效。',
        reason: '原因',
        previous: '原任',
        current: '接任',
      },
    },
    write: (input, words) => {
      const { about } = input.notification;
      const role = words.role[about.approver === undefined ? 'signatory' : 'approver'];
      const previous = about.replacement?.previous ?? '';
      const current = about.replacement?.current ?? '';
      const title = input.facts.title;
      return {
        subject: words.subject(role, previous, current),
        paragraphs: [
          isCoordinator(input)
            ? words.toCoordinator(role, previous, current, title)
            : words.toPrevious(role, current, title),
          words.kept,
        ],
        facts: [
          { label: words.previous, value: previous },
          { label: words.current, value: current },
          ...(about.reason === undefined ? [] : [{ label: words.reason, value: about.reason }]),
          ...agreementFacts(input),
        ],
      };
    },
  }),
} satisfies Partial<Record<NotificationKind, MailKindText>>;
