import type { NotificationKind } from '../../domain/notifications.ts';
import { agreementFacts, signatureCount, wordsFor } from './facts.ts';
import { mailKind, type MailKindText } from './mail-kind.ts';
import { variationFact } from './variation-facts.ts';

/** The certificate of completion, attached as a PDF once the last signature is in (SPEC §18). */
export const CERTIFICATE_MAIL = {
  'completion-certificate': mailKind({
    chineseName: '签署完成证明',
    words: {
      en: {
        subject: (title: string) => `Certificate of completion: ${title}`,
        variedSubject: (title: string, variation: string) =>
          `Certificate of completion: ${title}, variation ${variation}`,
        allSigned: (title: string) =>
          `Every signature of “${title}” is in. The certificate of completion is attached as a PDF.`,
        variationSigned: (title: string, variation: string) =>
          `Every signature of variation ${variation} of “${title}” is in, and it applies. Its certificate of completion is attached as a PDF.`,
        contents:
          'It names the parties, each document with its SHA-256, each signature (who, when, and how it was proven) and each approval, with their rows in the audit trail. Its own SHA-256 is kept in the register.',
        documents: 'Documents',
        hash: 'SHA-256',
        action: (id: string) => `Keep it with the agreement. A copy: agreements certificate ${id} --out FILE`,
      },
      'zh-CN': {
        subject: (title) => `签署完成证明：${title}`,
        variedSubject: (title, variation) => `签署完成证明：${title}（变更${variation}）`,
        allSigned: (title) => `“${title}”已由各方签署完毕，签署完成证明见附件。`,
        variationSigned: (title, variation) =>
          `“${title}”变更${variation}已由全体签署人签署完毕并已生效，签署完成证明见附件。`,
        contents:
          '证明列明各方、每份文件及其哈希值、每个签名（签署人、时间及身份核验方式）和每项审批，并注明其在审计记录中的序号；证明本身的哈希值已记入登记册。',
        documents: '文件',
        hash: '哈希值',
        action: (id) => `请与协议一并存档。如需副本：agreements certificate ${id} --out 文件名`,
      },
    },
    write: (input, words) => {
      const shared = wordsFor(input);
      const documents = input.facts.documents.map((document) => `${document.title} (${words.hash} ${document.sha256})`);
      // A variation's certificate (SPEC 18) names the variation; its signatures are the variation's.
      const variation = input.notification.about.variation;
      const { title } = input.facts;
      return {
        subject: variation ? words.variedSubject(title, variation.id) : words.subject(title),
        paragraphs: [variation ? words.variationSigned(title, variation.id) : words.allSigned(title), words.contents],
        facts: [
          ...(variation ? [variationFact(input, variation)] : []),
          ...agreementFacts(input),
          { label: shared.signatures, value: signatureCount(input) },
          ...(documents.length > 0 ? [{ label: words.documents, value: documents.join(shared.listSeparator) }] : []),
        ],
        action: words.action(input.agreementId),
      };
    },
  }),
} satisfies Partial<Record<NotificationKind, MailKindText>>;
