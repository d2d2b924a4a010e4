import type { NotificationKind } from '../../domain/notifications.ts';
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
  wordsFor,
} from './facts.ts';
import { mailKind, type MailKindText } from './mail-kind.ts';
import { variationFact } from './variation-facts.ts';

const confirmCommand = {
  en: (agreementId: string, commitment: string) =>
    `Follow up with the funder, then record the confirmation with: agreements confirm-funding ${agreementId} --commitment ${commitment} --amount <amount>`,
  'zh-CN': (agreementId: string, commitment: string) =>
    `请与出资方跟进，随后记录确认：agreements confirm-funding ${agreementId} --commitment ${commitment} --amount <金额>`,
};

/** The mail of the funding stage: a request to each commitment's contact, its reminders and each confirmation. */
export const FUNDING_MAIL = {
  'funding-request': mailKind({
    chineseName: '资金确认请求',
    words: {
      en: {
        subject: (commitment: string, amount: string) => `Funding request: ${commitment}, ${amount}`,
        paragraph: (title: string, commitment: string) =>
          `“${title}” has been signed by every party. It now awaits confirmation of the funding committed under ${commitment}.`,
        varied: (title: string, commitment: string, variation: string) =>
          `Variation ${variation} of “${title}” has been signed by every party, and adds or raises the funding committed under ${commitment}. It now awaits confirmation.`,
        action:
          'Please confirm the funding (in full or in tranches) with the partnerships office, quoting your reference.',
      },
      'zh-CN': {
        subject: (commitment, amount) => `资金确认请求：${commitment}，${amount}`,
        paragraph: (title, commitment) => `“${title}”已经各方签署，现待确认资金承诺${commitment}项下的资金。`,
        varied: (title, commitment, variation) =>
          `“${title}”变更${variation}已经各方签署，新增或增加了资金承诺${commitment}项下的资金，现待确认。`,
        action: '敬请向合作办公室确认该笔资金（可一次或分批确认），并注明贵方参考编号。',
      },
    },
    write: (input, words) => {
      // A commitment a variation added or raised (SPEC 18) is asked for when the variation applies.
      const variation = input.notification.about.variation;
      const { title } = input.facts;
      return {
        subject: words.subject(commitmentId(input), committedAmount(input)),
        paragraphs: [
          variation
            ? words.varied(title, commitmentId(input), variation.id)
            : words.paragraph(title, commitmentId(input)),
        ],
        facts: [...commitmentFacts(input), ...(variation ? [variationFact(input, variation)] : [])],
        action: words.action,
      };
    },
  }),

  'funding-chase': mailKind({
    chineseName: '资金确认提醒',
    words: {
      en: {
        subject: (chase: number, commitment: string, outstanding: string) =>
          `Reminder ${chase}: funding commitment ${commitment} awaits confirmation (${outstanding} outstanding)`,
        paragraph: (commitment: string, title: string) =>
          `The funding committed under ${commitment} for “${title}” has not been fully confirmed yet.`,
        action: 'Please confirm the funding with the partnerships office, or reply if something is holding it up.',
      },
      'zh-CN': {
        subject: (chase, commitment, outstanding) =>
          `第${chase}次提醒：资金承诺${commitment}尚待确认（待确认${outstanding}）`,
        paragraph: (commitment, title) => `“${title}”资金承诺${commitment}项下的资金尚未全部确认。`,
        action: '敬请向合作办公室确认该笔资金；如有任何问题，请回复此邮件。',
      },
    },
    write: (input, words) => {
      const chase = chaseNumber(input);
      const shared = wordsFor(input);
      return {
        subject: words.subject(chase, commitmentId(input), outstanding(input)),
        paragraphs: [words.paragraph(commitmentId(input), input.facts.title)],
        facts: [...commitmentFacts(input), { label: shared.reminder, value: shared.reminderNumber(chase) }],
        action: words.action,
      };
    },
  }),

  'funding-escalation': mailKind({
    chineseName: '资金升级提醒',
    words: {
      en: {
        subject: (commitment: string, outstanding: string) =>
          `Escalation: funding commitment ${commitment} still unconfirmed (${outstanding} outstanding)`,
        paragraph: (commitment: string, title: string) =>
          `Reminders to confirm funding commitment ${commitment} of “${title}” went unanswered.`,
        action: confirmCommand.en,
      },
      'zh-CN': {
        subject: (commitment, outstanding) => `升级提醒：资金承诺${commitment}仍未确认（待确认${outstanding}）`,
        paragraph: (commitment, title) => `有关确认“${title}”资金承诺${commitment}的提醒均未获回复。`,
        action: confirmCommand['zh-CN'],
      },
    },
    write: (input, words) => ({
      subject: words.subject(commitmentId(input), outstanding(input)),
      paragraphs: [words.paragraph(commitmentId(input), input.facts.title)],
      facts: [...commitmentFacts(input), ...fundingTotalFact(input)],
      action: words.action(input.agreementId, commitmentId(input)),
    }),
  }),

  'funding-overdue': mailKind({
    chineseName: '资金逾期通知',
    words: {
      en: {
        subject: (commitment: string, dueDate: string | undefined, outstanding: string) =>
          `Overdue: funding commitment ${commitment}${dueDate ? ` was due ${dueDate}` : ''} (${outstanding} outstanding)`,
        paragraph: (commitment: string, title: string, due: string | undefined) =>
          `Funding commitment ${commitment} of “${title}” was due ${due ?? 'by now'} and is not fully confirmed.`,
        action: confirmCommand.en,
        contactAction:
          'Please confirm the funding with the partnerships office, or reply if something is holding it up.',
      },
      'zh-CN': {
        subject: (commitment, dueDate, outstanding) =>
          `逾期：资金承诺${commitment}${dueDate ? `已于${dueDate}到期` : '已到期'}（待确认${outstanding}）`,
        paragraph: (commitment, title, due) =>
          `“${title}”资金承诺${commitment}${due ? `应于${due}前确认` : '已到期'}，目前尚未全部确认。`,
        action: confirmCommand['zh-CN'],
        contactAction: '敬请向合作办公室确认该笔资金，如有延误原因，请回复告知。',
      },
    },
    write: (input, words) => {
      const dueAt = commitment(input)?.dueAt;
      const toContact = input.notification.recipient.role === 'funding-contact';
      return {
        subject: words.subject(commitmentId(input), dueAt ? readerDate(input, dueAt) : undefined, outstanding(input)),
        paragraphs: [words.paragraph(commitmentId(input), input.facts.title, dueAt ? when(input, dueAt) : undefined)],
        facts: [...commitmentFacts(input), ...fundingTotalFact(input)],
        action: toContact ? words.contactAction : words.action(input.agreementId, commitmentId(input)),
      };
    },
  }),

  'funding-confirmed': mailKind({
    chineseName: '资金确认通知',
    words: {
      en: {
        tranche: (tranche: number) => ` tranche ${tranche}`,
        trancheFact: (tranche: number) => String(tranche),
        anAmount: 'an amount',
        subject: (commitment: string, tranche: string, amount: string) =>
          `Funding confirmed: ${commitment}${tranche}, ${amount}`,
        paragraph: (amount: string, commitment: string, title: string) =>
          `${amount} has been confirmed for commitment ${commitment} of “${title}”.`,
        trancheLabel: 'Tranche',
        thisTranche: 'Amount of this tranche',
        commitmentConfirmed: 'Commitment confirmed',
        confirmedOf: (confirmed: string, amount: string) => `${confirmed} of ${amount}`,
      },
      'zh-CN': {
        tranche: (tranche) => `第${tranche}笔`,
        trancheFact: (tranche) => `第${tranche}笔`,
        anAmount: '一笔款项',
        subject: (commitment, tranche, amount) => `资金已确认：${commitment}${tranche}，${amount}`,
        paragraph: (amount, commitment, title) => `“${title}”资金承诺${commitment}已确认${amount}。`,
        trancheLabel: '批次',
        thisTranche: '本笔金额',
        commitmentConfirmed: '该承诺已确认',
        confirmedOf: (confirmed, amount) => `${confirmed}，共${amount}`,
      },
    },
    write: (input, words) => {
      const { about } = input.notification;
      const found = commitment(input);
      const shared = wordsFor(input);
      const tranche = about.tranche !== undefined ? words.tranche(about.tranche) : '';
      const amount = about.amount !== undefined ? minorAmount(input, about.amount) : words.anAmount;
      return {
        subject: words.subject(commitmentId(input), tranche, amount),
        paragraphs: [words.paragraph(amount, commitmentId(input), input.facts.title)],
        facts: [
          { label: shared.commitment, value: commitmentId(input) },
          ...(about.tranche !== undefined
            ? [{ label: words.trancheLabel, value: words.trancheFact(about.tranche) }]
            : []),
          { label: words.thisTranche, value: amount },
          ...(about.reference !== undefined ? [{ label: shared.reference, value: about.reference }] : []),
          ...(found
            ? [
                {
                  label: words.commitmentConfirmed,
                  value: words.confirmedOf(majorAmount(input, found.confirmed), majorAmount(input, found.amount)),
                },
              ]
            : []),
          ...fundingTotalFact(input),
        ],
      };
    },
  }),
} satisfies Partial<Record<NotificationKind, MailKindText>>;
