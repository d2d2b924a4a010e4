import type { NotificationKind } from '../../domain/notifications.ts';
import type { TemplateInput } from './content.ts';
import {
  chaseNumber,
  leadTime,
  obligation,
  obligationFacts,
  openObligationsFact,
  readerDate,
  readerLocale,
  when,
  wordsFor,
} from './facts.ts';
import { mailKind, type MailKindText } from './mail-kind.ts';

/** What is asked of the reader once an obligation is delivered, per language. */
const FULFIL_WORDS = {
  en: {
    reference: '<reference>',
    owner: 'the owner',
    tellTheOffice: (command: string) =>
      `When it is delivered, let the partnerships office know, quoting any reference, so that they can mark it fulfilled (${command}).`,
    followUp: (owner: string, command: string) => `Follow up with ${owner}, then mark it fulfilled with: ${command}`,
  },
  'zh-CN': {
    reference: '<参考编号>',
    owner: '负责方',
    tellTheOffice: (command: string) => `履行完毕后，请告知合作办公室并注明相关编号，以便其登记履行（${command}）。`,
    followUp: (owner: string, command: string) => `请与${owner}跟进，随后登记履行：${command}`,
  },
};

/**
 * The coordinators mark an obligation fulfilled; an owner, often at the partner and without the CLI, tells them. A
 * coordinator chases the owner first.
 */
function fulfilAction(input: TemplateInput): string {
  const words = FULFIL_WORDS[readerLocale(input)];
  const found = obligation(input);
  const command = `agreements fulfil ${input.agreementId} --obligation ${found.id} [--reference ${words.reference}]`;
  if (input.notification.recipient.role === 'obligation-owner') return words.tellTheOffice(command);
  return words.followUp(found.owner ?? words.owner, command);
}

/** The mail of the obligations an agreement owes while it runs. */
export const OBLIGATION_MAIL = {
  'obligation-notice': mailKind({
    chineseName: '义务到期提醒',
    words: {
      en: {
        subject: (title: string, dueDate: string | undefined, lead: string | undefined) =>
          `Due ${dueDate ?? 'soon'}: ${title}${lead ? ` (in ${lead})` : ''}`,
        paragraph: (title: string, agreement: string, due: string | undefined, lead: string | undefined) =>
          `“${title}”, owed under “${agreement}”, is due ${due ?? 'soon'}${lead ? `, in ${lead}` : ''}.`,
        notice: 'Notice',
        beforeDue: (lead: string) => `${lead} before it is due`,
      },
      'zh-CN': {
        subject: (title, dueDate, lead) =>
          `到期提醒：${title}将于${dueDate ?? '近期'}到期${lead ? `（${lead}后）` : ''}`,
        paragraph: (title, agreement, due, lead) =>
          `“${agreement}”项下义务事项“${title}”将于${due ?? '近期'}到期${lead ? `，距今${lead}` : ''}。`,
        notice: '提醒',
        beforeDue: (lead) => `到期前${lead}`,
      },
    },
    write: (input, words) => {
      const { title, due } = obligation(input);
      const lead = leadTime(input);
      return {
        subject: words.subject(title, due ? readerDate(input, due) : undefined, lead),
        paragraphs: [words.paragraph(title, input.facts.title, due ? when(input, due) : undefined, lead)],
        facts: [...obligationFacts(input), ...(lead ? [{ label: words.notice, value: words.beforeDue(lead) }] : [])],
        action: fulfilAction(input),
      };
    },
  }),

  'obligation-overdue': mailKind({
    chineseName: '义务逾期通知',
    words: {
      en: {
        subject: (title: string, dueDate: string | undefined, chase: number) =>
          `Overdue: ${title}${dueDate ? ` was due ${dueDate}` : ''}${chase > 1 ? ` (reminder ${chase})` : ''}`,
        paragraph: (title: string, agreement: string, due: string | undefined) =>
          `“${title}”, owed under “${agreement}”, was due ${due ?? 'by now'} and has not been marked fulfilled.`,
      },
      'zh-CN': {
        subject: (title, dueDate, chase) =>
          `逾期：${title}${dueDate ? `已于${dueDate}到期` : '已到期'}${chase > 1 ? `（第${chase}次提醒）` : ''}`,
        paragraph: (title, agreement, due) =>
          `“${agreement}”项下义务事项“${title}”${due ? `应于${due}前完成` : '已到期'}，目前尚未登记履行。`,
      },
    },
    write: (input, words) => {
      const { title, due } = obligation(input);
      const chase = chaseNumber(input);
      const shared = wordsFor(input);
      return {
        subject: words.subject(title, due ? readerDate(input, due) : undefined, chase),
        paragraphs: [words.paragraph(title, input.facts.title, due ? when(input, due) : undefined)],
        facts: [...obligationFacts(input), { label: shared.reminder, value: shared.reminderNumber(chase) }],
        action: fulfilAction(input),
      };
    },
  }),

  'obligation-fulfilled': mailKind({
    chineseName: '义务履行通知',
    words: {
      en: {
        subject: (title: string) => `Fulfilled: ${title}`,
        paragraph: (title: string, agreement: string) =>
          `“${title}”, owed under “${agreement}”, has been marked fulfilled.`,
        fulfilled: 'Fulfilled',
      },
      'zh-CN': {
        subject: (title) => `义务已履行：${title}`,
        paragraph: (title, agreement) => `“${agreement}”项下义务事项“${title}”已登记履行。`,
        fulfilled: '履行时间',
      },
    },
    write: (input, words) => {
      const found = obligation(input);
      const { reference } = input.notification.about;
      return {
        subject: words.subject(found.title),
        paragraphs: [words.paragraph(found.title, input.facts.title)],
        facts: [
          ...obligationFacts(input),
          ...(found.fulfilledAt ? [{ label: words.fulfilled, value: when(input, found.fulfilledAt) }] : []),
          ...(reference !== undefined ? [{ label: wordsFor(input).reference, value: reference }] : []),
          ...openObligationsFact(input),
        ],
      };
    },
  }),
} satisfies Partial<Record<NotificationKind, MailKindText>>;
