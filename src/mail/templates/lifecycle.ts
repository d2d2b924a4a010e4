import type { NotificationKind } from '../../domain/notifications.ts';
import {
  agreementFacts,
  ceremonyFacts,
  fundingTotalFact,
  leadTime,
  readerDate,
  signatureCount,
  summaryFacts,
  when,
  wordsFor,
} from './facts.ts';
import { mailKind, type MailKindText } from './mail-kind.ts';

/** The mail of an agreement's beginning and end, its term's renewal, and the report of mail that could not go. */
export const LIFECYCLE_MAIL = {
  started: mailKind({
    chineseName: '协议创建通知',
    words: {
      en: {
        subject: (title: string) => `Agreement started: ${title}`,
        paragraph: (title: string) => `“${title}” has been started and is in draft.`,
        action: (withApprovals: boolean, id: string) =>
          `Review the draft, then submit it for ${withApprovals ? 'internal approval' : 'signature'} with: agreements submit ${id}`,
      },
      'zh-CN': {
        subject: (title) => `协议已创建：${title}`,
        paragraph: (title) => `“${title}”已创建，目前处于草案阶段。`,
        action: (withApprovals, id) =>
          `请审阅草案，随后提交${withApprovals ? '内部审批' : '签署'}：agreements submit ${id}`,
      },
    },
    write: (input, words) => ({
      subject: words.subject(input.facts.title),
      paragraphs: [words.paragraph(input.facts.title)],
      facts: summaryFacts(input),
      action: words.action(input.facts.approvals.length > 0, input.agreementId),
    }),
  }),

  'renewal-notice': mailKind({
    chineseName: '续约提醒',
    words: {
      en: {
        subject: (endDate: string | undefined, lead: string | undefined) =>
          `Renewal due: term ends ${endDate ?? 'soon'}${lead ? ` (in ${lead})` : ''}`,
        paragraph: (title: string, ends: string | undefined, lead: string | undefined) =>
          `The term of “${title}” ends ${ends ?? 'soon'}${lead ? `, in ${lead}` : ''}. Without a renewal the agreement completes then.`,
        action: (id: string) => `To extend the term: agreements renew ${id} --until <ISO date-time>`,
      },
      'zh-CN': {
        subject: (endDate, lead) => `续约提醒：协议期限将于${endDate ?? '近期'}届满${lead ? `（${lead}后）` : ''}`,
        paragraph: (title, ends, lead) =>
          `“${title}”协议期限将于${ends ?? '近期'}届满${lead ? `，距今${lead}` : ''}。如不续约，协议届时即告完成。`,
        action: (id) => `如需延长期限：agreements renew ${id} --until <含时区的日期时间>`,
      },
    },
    write: (input, words) => {
      const lead = leadTime(input);
      const endsAt = input.facts.term?.endsAt;
      return {
        subject: words.subject(endsAt ? readerDate(input, endsAt) : undefined, lead),
        paragraphs: [words.paragraph(input.facts.title, endsAt ? when(input, endsAt) : undefined, lead)],
        facts: [
          ...agreementFacts(input),
          ...(endsAt ? [{ label: wordsFor(input).termEnds, value: when(input, endsAt) }] : []),
        ],
        action: words.action(input.agreementId),
      };
    },
  }),

  completed: mailKind({
    chineseName: '协议完成通知',
    words: {
      en: {
        subject: (title: string) => `Completed: ${title}`,
        paragraph: (title: string) => `“${title}” has completed. Thank you to every party involved.`,
      },
      'zh-CN': {
        subject: (title) => `协议已完成：${title}`,
        paragraph: (title) => `“${title}”已圆满完成，谨向各合作方致以谢意。`,
      },
    },
    write: (input, words) => {
      const shared = wordsFor(input);
      return {
        subject: words.subject(input.facts.title),
        paragraphs: [words.paragraph(input.facts.title)],
        facts: [
          ...agreementFacts(input),
          { label: shared.signatures, value: signatureCount(input) },
          ...fundingTotalFact(input),
          ...(input.facts.cohort
            ? [{ label: shared.cohort, value: shared.candidates(input.facts.cohort.enrolledCount) }]
            : []),
        ],
      };
    },
  }),

  cancelled: mailKind({
    chineseName: '协议取消通知',
    words: {
      en: {
        noReason: 'no reason given',
        subject: (title: string) => `Cancelled: ${title}`,
        cancelled: (title: string) => `“${title}” has been cancelled.`,
        noCeremony: 'Any planned signing ceremony for it will not take place.',
        reason: 'Reason',
      },
      'zh-CN': {
        noReason: '未说明原因',
        subject: (title) => `协议已取消：${title}`,
        cancelled: (title) => `“${title}”已取消。`,
        noCeremony: '原定的签约仪式将不再举行。',
        reason: '原因',
      },
    },
    write: (input, words) => ({
      subject: words.subject(input.facts.title),
      paragraphs: [words.cancelled(input.facts.title), ...(input.facts.ceremony ? [words.noCeremony] : [])],
      facts: [
        { label: words.reason, value: input.notification.about.reason ?? input.facts.cancelReason ?? words.noReason },
        ...agreementFacts(input),
        ...ceremonyFacts(input),
      ],
    }),
  }),

  'temporal-cancel-refused': mailKind({
    chineseName: '取消请求未执行通知',
    words: {
      en: {
        subject: (title: string) => `Cancel request in Temporal not applied: ${title}`,
        paragraphs: (title: string) => [
          `Someone with access to Temporal (its web UI, or “temporal workflow cancel”) asked to cancel “${title}”. Such a request names no one, so the agreement was not cancelled and carries on as before.`,
          'The request is in the audit trail. If you did not expect it, ask who administers Temporal.',
        ],
        refusal: 'Why not applied',
        action: (id: string) => `To cancel the agreement, run: agreements cancel ${id} --reason "<why>"`,
      },
      'zh-CN': {
        subject: (title) => `Temporal 中的取消请求未执行：${title}`,
        paragraphs: (title) => [
          `有人通过 Temporal（其网页界面或“temporal workflow cancel”）请求取消“${title}”。此类请求不表明请求人身份，因此协议未被取消，一切照常进行。`,
          '该请求已记入审计记录。如非预期，请联系 Temporal 的管理员。',
        ],
        refusal: '未执行原因',
        action: (id) => `如需取消协议，请运行：agreements cancel ${id} --reason "<原因>"`,
      },
    },
    write: (input, words) => ({
      subject: words.subject(input.facts.title),
      paragraphs: words.paragraphs(input.facts.title),
      facts: [
        ...(input.notification.about.reason === undefined
          ? []
          : [{ label: words.refusal, value: input.notification.about.reason }]),
        ...agreementFacts(input),
      ],
      action: words.action(input.agreementId),
    }),
  }),

  'delivery-failed': mailKind({
    chineseName: '投递失败通知',
    words: {
      en: {
        subject: (recipient: string | undefined) => `Mail could not be delivered to ${recipient ?? 'a recipient'}`,
        // Also sent when a message could not be built at all (an address or name no mail header can carry), so the
        // reason, not this sentence, says whether a mail server refused it.
        paragraphs: (kind: string | undefined, title: string, reason: string | undefined) => [
          `A “${kind ?? 'notification'}” message about “${title}” could not be delivered and will not be retried.`,
          `Reason given: ${reason ?? 'not stated'}`,
        ],
        recipient: 'Recipient',
        action: 'Check the address in the agreement and contact the recipient another way.',
      },
      'zh-CN': {
        subject: (recipient) => `邮件无法投递：${recipient ?? '收件人'}`,
        paragraphs: (kind, title, reason) => [
          `一封关于“${title}”的${kind ?? '通知'}邮件无法投递，且不再重试。`,
          `原因：${reason ?? '未说明'}`,
        ],
        recipient: '收件人',
        action: '请核对协议中的邮箱地址，并通过其他方式联系收件人。',
      },
    },
    write: (input, words, kindName) => {
      const { undelivered, reason } = input.notification.about;
      return {
        subject: words.subject(undelivered?.recipient),
        paragraphs: words.paragraphs(undelivered && kindName(undelivered.kind), input.facts.title, reason),
        facts: [
          ...agreementFacts(input),
          { label: words.recipient, value: undelivered?.recipient ?? wordsFor(input).unknown },
        ],
        action: words.action,
      };
    },
  }),
} satisfies Partial<Record<NotificationKind, MailKindText>>;
