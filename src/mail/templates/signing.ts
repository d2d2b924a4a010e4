import type { NotificationKind } from '../../domain/notifications.ts';
import {
  agreementFacts,
  ceremonyFacts,
  ceremonyHeadline,
  ceremonyWhen,
  documentFacts,
  chaseNumber,
  leadTime,
  missingSignatories,
  sentBackToDraft,
  signatoryName,
  signatureCount,
  when,
  wordsFor,
  type SentBackWords,
} from './facts.ts';
import { mailKind, type MailKindText } from './mail-kind.ts';

// The Chinese register is that of an institute writing to a partner university: 敬请/谨 for requests, no pleasantries.

/** The mail of the signing stage: the ceremony, its reminders and the signatures. */
export const SIGNING_MAIL = {
  invitation: mailKind({
    chineseName: '签约仪式邀请',
    words: {
      en: {
        subject: (headline: string) => `Invitation: ${headline}`,
        paragraphs: (title: string, when: string) => [
          `You are invited to the signing ceremony of “${title}”.`,
          `The ceremony takes place ${when}. A calendar invitation is attached.`,
        ],
        signatories: 'Signatories',
        action: 'Please accept the calendar invitation to confirm your attendance.',
      },
      'zh-CN': {
        subject: (headline) => `邀请函：${headline}`,
        paragraphs: (title, when) => [`谨诚邀您出席“${title}”签约仪式。`, `仪式定于${when}举行，日历邀请随函附上。`],
        signatories: '签署人',
        action: '敬请接受日历邀请，以确认出席。',
      },
    },
    write: (input, words) => ({
      subject: words.subject(ceremonyHeadline(input)),
      paragraphs: words.paragraphs(input.facts.title, ceremonyWhen(input)),
      facts: [
        ...ceremonyFacts(input),
        {
          label: words.signatories,
          value: input.facts.signatures
            .map((s) => signatoryName(input, s.signatory))
            .join(wordsFor(input).listSeparator),
        },
        ...agreementFacts(input),
        ...documentFacts(input),
      ],
      action: words.action,
    }),
  }),

  'ceremony-notice': mailKind({
    chineseName: '签约仪式提醒',
    words: {
      en: {
        subject: (headline: string, lead: string | undefined) => `Reminder: ${headline}${lead ? ` (in ${lead})` : ''}`,
        paragraph: (title: string, lead: string | undefined, when: string) =>
          `The signing ceremony of “${title}” is ${lead ? `${lead} away` : 'coming up'}: ${when}.`,
        notice: 'Notice',
        beforeCeremony: (lead: string) => `${lead} before the ceremony`,
      },
      'zh-CN': {
        subject: (headline, lead) => `提醒：${headline}${lead ? `（${lead}后举行）` : ''}`,
        paragraph: (title, lead, when) => `“${title}”签约仪式将于${lead ? `${lead}后` : '近期'}举行，时间为${when}。`,
        notice: '提醒',
        beforeCeremony: (lead) => `仪式前${lead}`,
      },
    },
    write: (input, words) => {
      const lead = leadTime(input);
      const missing = missingSignatories(input);
      const shared = wordsFor(input);
      return {
        subject: words.subject(ceremonyHeadline(input), lead),
        paragraphs: [words.paragraph(input.facts.title, lead, ceremonyWhen(input))],
        facts: [
          ...ceremonyFacts(input),
          { label: shared.signatures, value: signatureCount(input) },
          ...(missing.length > 0 ? [{ label: shared.stillToSign, value: missing.join(shared.listSeparator) }] : []),
          ...(lead ? [{ label: words.notice, value: words.beforeCeremony(lead) }] : []),
        ],
      };
    },
  }),

  rescheduled: mailKind({
    chineseName: '改期通知',
    words: {
      en: {
        subject: (headline: string) => `Rescheduled: ${headline}`,
        paragraphs: (title: string, when: string) => [
          `The signing ceremony of “${title}” has been moved to ${when}.`,
          'The attached calendar invitation replaces the earlier one.',
        ],
        update: 'Invitation update',
        revision: (sequence: number) => `revision ${sequence}`,
        action: 'Please accept the updated calendar invitation.',
      },
      'zh-CN': {
        subject: (headline) => `改期通知：${headline}`,
        paragraphs: (title, when) => [`“${title}”签约仪式已改至${when}举行。`, '随函所附日历邀请取代此前的邀请。'],
        update: '邀请版本',
        revision: (sequence) => `第${sequence}版`,
        action: '敬请接受更新后的日历邀请。',
      },
    },
    write: (input, words) => ({
      subject: words.subject(ceremonyHeadline(input)),
      paragraphs: words.paragraphs(input.facts.title, ceremonyWhen(input)),
      facts: [
        ...ceremonyFacts(input),
        ...(input.facts.ceremony
          ? [{ label: words.update, value: words.revision(input.facts.ceremony.sequence) }]
          : []),
        ...agreementFacts(input),
      ],
      action: words.action,
    }),
  }),

  'signature-recorded': mailKind({
    chineseName: '签署记录通知',
    words: {
      en: {
        subject: (name: string, count: string) => `Signature recorded: ${name} (${count})`,
        aSignatory: 'signatory',
        paragraph: (name: string, title: string) => `${name} has signed “${title}”.`,
        signed: 'Signed',
        documentHash: 'Document SHA-256',
        nobodyLeft: 'nobody — all signatures are recorded',
      },
      'zh-CN': {
        subject: (name, count) => `签署已记录：${name}（${count}）`,
        aSignatory: '签署人',
        paragraph: (name, title) => `${name}已签署“${title}”。`,
        signed: '签署时间',
        documentHash: '文件校验值',
        nobodyLeft: '无，全部签署均已记录',
      },
    },
    write: (input, words) => {
      const signatory = input.notification.about.signatory;
      const signature = input.facts.signatures.find((s) => s.signatory === signatory);
      const missing = missingSignatories(input);
      const shared = wordsFor(input);
      return {
        subject: words.subject(signature?.name ?? signatory ?? words.aSignatory, signatureCount(input)),
        paragraphs: [words.paragraph(signatoryName(input, signatory), input.facts.title)],
        facts: [
          ...(signature?.signedAt ? [{ label: words.signed, value: when(input, signature.signedAt) }] : []),
          ...(signature?.documentSha256 ? [{ label: words.documentHash, value: signature.documentSha256 }] : []),
          { label: shared.signatures, value: signatureCount(input) },
          {
            label: shared.stillToSign,
            value: missing.length > 0 ? missing.join(shared.listSeparator) : words.nobodyLeft,
          },
        ],
      };
    },
  }),

  'signature-chase': mailKind({
    chineseName: '签署提醒',
    words: {
      en: {
        subject: (chase: number, title: string) => `Reminder ${chase}: your signature on “${title}” is still needed`,
        paragraph: (when: string, title: string) =>
          `The signing ceremony was held ${when}, and your signature on “${title}” has not been recorded yet.`,
        action:
          'Please sign the agreement and let the partnerships office know, or reply if something is holding it up.',
      },
      'zh-CN': {
        subject: (chase, title) => `第${chase}次提醒：“${title}”尚待您签署`,
        paragraph: (when, title) => `签约仪式已于${when}举行，但尚未收到您对“${title}”的签署。`,
        action: '敬请签署本协议并告知合作办公室；如有任何问题，请回复此邮件。',
      },
    },
    write: (input, words) => {
      const chase = chaseNumber(input);
      const shared = wordsFor(input);
      return {
        subject: words.subject(chase, input.facts.title),
        paragraphs: [words.paragraph(ceremonyWhen(input), input.facts.title)],
        facts: [
          ...ceremonyFacts(input),
          { label: shared.signatures, value: signatureCount(input) },
          { label: shared.reminder, value: shared.reminderNumber(chase) },
        ],
        action: words.action,
      };
    },
  }),

  'signature-escalation': mailKind({
    chineseName: '签署升级提醒',
    words: {
      en: {
        subject: (who: string) => `Escalation: signature of ${who} still missing`,
        paragraph: (title: string) =>
          `Reminders to sign “${title}” went unanswered. The agreement cannot move on until every signature is recorded.`,
        missing: 'Missing signatories',
        action: (id: string) =>
          `Follow up with the signatory, then record the signature with: agreements sign ${id} --signatory <id>`,
      },
      'zh-CN': {
        subject: (who) => `升级提醒：${who}尚未签署`,
        paragraph: (title) => `有关签署“${title}”的提醒均未获回复。全部签署完成之前，协议无法进入下一阶段。`,
        missing: '尚未签署',
        action: (id) => `请与签署人跟进，随后记录签署：agreements sign ${id} --signatory <签署人编号>`,
      },
    },
    write: (input, words) => {
      const missing = missingSignatories(input);
      const named = input.notification.about.signatory;
      const shared = wordsFor(input);
      return {
        subject: words.subject(named ? signatoryName(input, named) : missing.join(shared.listSeparator)),
        paragraphs: [words.paragraph(input.facts.title)],
        facts: [
          { label: words.missing, value: missing.join(shared.listSeparator) || shared.none },
          { label: shared.signatures, value: signatureCount(input) },
          ...ceremonyFacts(input),
        ],
        action: words.action(input.agreementId),
      };
    },
  }),

  'signature-declined': mailKind({
    chineseName: '拒签通知',
    words: {
      en: {
        noReason: 'no reason given',
        aSignatory: 'a signatory',
        subject: (who: string, title: string) => `Signature declined by ${who}: ${title}`,
        paragraphs: (who: string, title: string, reason: string) => [
          `${who} has declined to sign “${title}”: “${reason}”`,
          'The agreement is back in draft, and the signatures recorded so far have been cleared: every signatory is invited again once it is resubmitted.',
        ],
        by: 'Declined by',
        reason: 'Reason',
        action: (id: string) =>
          `Amend the draft (agreements amend ${id} --file <patch>) or move the ceremony (agreements reschedule ${id} --at <iso>), then submit it again with: agreements submit ${id}`,
      },
      'zh-CN': {
        noReason: '未说明原因',
        aSignatory: '一位签署人',
        subject: (who, title) => `拒签通知：${title}（${who}）`,
        paragraphs: (who, title, reason) => [
          `${who}拒绝签署“${title}”，理由如下：“${reason}”`,
          '协议已退回草案阶段，此前记录的签署均已撤销；重新提交后将再次邀请全体签署人签署。',
        ],
        by: '拒签人',
        reason: '拒签理由',
        action: (id) =>
          `请修改草案（agreements amend ${id} --file <修改文件>）或改期仪式（agreements reschedule ${id} --at <时间>），随后重新提交：agreements submit ${id}`,
      },
    },
    write: (input, words: SentBackWords & { aSignatory: string }) => {
      const signatory = input.notification.about.signatory;
      const who = signatory ? signatoryName(input, signatory) : words.aSignatory;
      return sentBackToDraft(input, words, who, ceremonyFacts(input));
    },
  }),
} satisfies Partial<Record<NotificationKind, MailKindText>>;
