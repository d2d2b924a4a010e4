import type { NotificationKind } from '../../domain/notifications.ts';
import type { TemplateInput } from './content.ts';
import { agreementFacts, approverId, chaseNumber, fundingTotalFact, termFacts, wordsFor } from './facts.ts';
import { mailKind, type MailKindText } from './mail-kind.ts';
import {
  changesText,
  proposedFacts,
  variationApprovalFacts,
  variationFacts,
  variationOf,
  variationSignatureFacts,
  variedDocuments,
} from './variation-facts.ts';

/** A reminder (a chase of the request or the invitation) carries its number; the first mail none. */
const chaseOf = (input: TemplateInput) =>
  input.notification.about.chase === undefined ? undefined : chaseNumber(input);

function reminderFact(input: TemplateInput) {
  const chase = chaseOf(input);
  const shared = wordsFor(input);
  return chase === undefined ? [] : [{ label: shared.reminder, value: shared.reminderNumber(chase) }];
}

/** The words of a variation's round (its request, its invitation): the first mail, and a reminder. */
interface RoundWords {
  subject: (id: string, title: string) => string;
  reminderSubject: (chase: number, id: string, title: string) => string;
  paragraphs: (id: string, title: string, reason: string, changes: string) => string[];
  reminder: (id: string, title: string, reason: string) => string;
}

/** A round's subject and opening: what the variation is and changes, or (a chase) that it still waits on the reader. */
function roundOpening(input: TemplateInput, words: RoundWords) {
  const variation = variationOf(input);
  const { title } = input.facts;
  const chase = chaseOf(input);
  if (chase !== undefined) {
    return {
      subject: words.reminderSubject(chase, variation.id, title),
      paragraphs: [words.reminder(variation.id, title, variation.reason)],
    };
  }
  return {
    subject: words.subject(variation.id, title),
    paragraphs: words.paragraphs(variation.id, title, variation.reason, changesText(input, variation)),
  };
}

/** What an approver types to approve the variation. */
function approveCommand(input: TemplateInput, placeholder: string, note: string): string {
  const approver = approverId(input) ?? placeholder;
  const variation = variationOf(input).id;
  return `agreements approve ${input.agreementId} --approver ${approver} --variation ${variation} [--note "<${note}>"]`;
}

/** What an approver types to send the variation back (it is withdrawn), or a signatory to decline it. */
function refuseCommand(input: TemplateInput, verb: 'request-changes' | 'decline', placeholder: string, reason: string) {
  const about = input.notification.about;
  const who =
    verb === 'request-changes'
      ? `--approver ${approverId(input) ?? placeholder}`
      : `--signatory ${about.signatory ?? input.notification.recipient.label}`;
  return `agreements ${verb} ${input.agreementId} ${who} --variation ${variationOf(input).id} --reason "<${reason}>"`;
}

/** What a signatory types to sign the variation, quoting each document at the version it makes. */
function signCommand(input: TemplateInput): string {
  const variation = variationOf(input);
  const signatory = input.notification.about.signatory ?? input.notification.recipient.label;
  const hashes = variedDocuments(input, variation).map((document) => ` --document-sha256 ${document.sha256}`);
  return `agreements sign ${input.agreementId} --signatory ${signatory} --variation ${variation.id}${hashes.join('')}`;
}

/** The mail of a variation of an active agreement (SPEC 18): its approval, its signature, and its taking effect. */
export const VARIATION_MAIL = {
  'variation-request': mailKind({
    chineseName: '变更审批请求',
    words: {
      en: {
        subject: (id: string, title: string) => `Variation ${id} for approval: ${title}`,
        reminderSubject: (chase: number, id: string, title: string) =>
          `Reminder ${chase}: variation ${id} of “${title}” awaits your approval`,
        paragraphs: (id: string, title: string, reason: string, changes: string) => [
          `A variation of “${title}” has been proposed (${id}): “${reason}”. It changes ${changes}.`,
          'The agreement stays active as it is meanwhile. Once every approver has approved the variation it goes to every signatory, and it applies when all have signed.',
        ],
        reminder: (id: string, title: string, reason: string) =>
          `Variation ${id} of “${title}” (“${reason}”) is still awaiting your approval. It cannot go to signature until every approver has approved it.`,
        action: (input: TemplateInput) =>
          `Please review the variation, then approve it with: ${approveCommand(input, '<your approver id>', 'note')} — or, if it should not go ahead as it is, send it back (it is withdrawn, and the coordinators are told why) with: ${refuseCommand(input, 'request-changes', '<your approver id>', 'what must change')}`,
      },
      'zh-CN': {
        subject: (id, title) => `变更审批请求：${title}（变更${id}）`,
        reminderSubject: (chase, id, title) => `第${chase}次提醒：“${title}”变更${id}尚待您审批`,
        paragraphs: (id, title, reason, changes) => [
          `“${title}”拟作变更（变更${id}），原因：“${reason}”。变更内容：${changes}。`,
          '协议在此期间照常执行。全部审批人批准后，变更将送交全体签署人签署，全部签署后生效。',
        ],
        reminder: (id, title, reason) =>
          `“${title}”变更${id}（${reason}）尚待您审批。全部审批人批准之前，变更无法送交签署。`,
        action: (input) =>
          `敬请审阅变更后办理。批准：${approveCommand(input, '<审批人编号>', '备注')}；如认为不宜按此变更，可退回（变更即撤回，协调人将获知原因）：${refuseCommand(input, 'request-changes', '<审批人编号>', '修改意见')}`,
      },
    },
    write: (input, words) => {
      const variation = variationOf(input);
      return {
        ...roundOpening(input, words),
        facts: [
          ...variationFacts(input, variation),
          ...proposedFacts(input, variation),
          ...variationApprovalFacts(input, variation),
          ...reminderFact(input),
          ...agreementFacts(input),
          ...termFacts(input),
          ...fundingTotalFact(input),
        ],
        action: words.action(input),
      };
    },
  }),

  'variation-invitation': mailKind({
    chineseName: '变更签署邀请',
    words: {
      en: {
        subject: (id: string, title: string) => `Variation ${id} to sign: ${title}`,
        reminderSubject: (chase: number, id: string, title: string) =>
          `Reminder ${chase}: your signature on variation ${id} of “${title}” is still needed`,
        paragraphs: (id: string, title: string, reason: string, changes: string) => [
          `A variation of “${title}” (${id}) awaits your signature: “${reason}”. It changes ${changes}.`,
          'The agreement stays active as it is until every signatory has signed the variation; then it applies.',
        ],
        reminder: (id: string, title: string, reason: string) =>
          `Variation ${id} of “${title}” (“${reason}”) still awaits your signature. It applies only once every signatory has signed it.`,
        documents: 'Sign against the documents as the variation makes them: their SHA-256 are listed below.',
        declineReason: 'why you decline',
        action: (command: string, decline: string) =>
          `Please sign the variation with: ${command} — or, if you cannot agree to it, decline it (it is withdrawn, and the coordinators are told why) with: ${decline}`,
      },
      'zh-CN': {
        subject: (id, title) => `变更签署邀请：${title}（变更${id}）`,
        reminderSubject: (chase, id, title) => `第${chase}次提醒：“${title}”变更${id}尚待您签署`,
        paragraphs: (id, title, reason, changes) => [
          `“${title}”变更${id}待您签署，原因：“${reason}”。变更内容：${changes}。`,
          '全体签署人签署之前，协议照常执行；全部签署后，变更即生效。',
        ],
        reminder: (id, title, reason) => `“${title}”变更${id}（${reason}）尚待您签署。全体签署人签署后，变更方可生效。`,
        documents: '签署时请以变更后的文件为准，其哈希值列于下方。',
        declineReason: '拒绝理由',
        action: (command, decline) =>
          `敬请签署本变更：${command}；如不同意，可拒绝签署（变更即撤回，协调人将获知原因）：${decline}`,
      },
    },
    write: (input, words) => {
      const variation = variationOf(input);
      const opening = roundOpening(input, words);
      const documents = variedDocuments(input, variation).length > 0 ? [words.documents] : [];
      return {
        subject: opening.subject,
        paragraphs: [...opening.paragraphs, ...documents],
        facts: [
          ...variationFacts(input, variation),
          ...proposedFacts(input, variation),
          ...variationSignatureFacts(input, variation),
          ...reminderFact(input),
          ...agreementFacts(input),
        ],
        action: words.action(signCommand(input), refuseCommand(input, 'decline', '', words.declineReason)),
      };
    },
  }),

  'variation-applied': mailKind({
    chineseName: '变更生效通知',
    words: {
      en: {
        subject: (id: string, title: string) => `Variation ${id} applied: ${title}`,
        applied: (id: string, title: string, reason: string, changes: string) =>
          `Variation ${id} of “${title}” has been signed by every signatory and now applies: “${reason}”. It changed ${changes}.`,
        funding:
          'Each funding commitment it added or raised is now requested of its funder, and chased like any other.',
        obligations: 'Each obligation it added is now noticed and chased like any other.',
        certificate: 'The certificate of completion of the variation follows in a mail of its own.',
        action: (id: string) =>
          `When a funder confirms, record it with: agreements confirm-funding ${id} --commitment <commitment id> --amount <amount>`,
      },
      'zh-CN': {
        subject: (id, title) => `变更生效通知：${title}（变更${id}）`,
        applied: (id, title, reason, changes) =>
          `“${title}”变更${id}已经全体签署人签署，现已生效。原因：“${reason}”。变更内容：${changes}。`,
        funding: '新增或增加的资金承诺已向相应出资方发出确认请求，并将照常提醒。',
        obligations: '新增的义务事项将照常提醒。',
        certificate: '变更的签署完成证明将另函发送。',
        action: (id) =>
          `出资方确认后，请记录：agreements confirm-funding ${id} --commitment <资金承诺编号> --amount <金额>`,
      },
    },
    write: (input, words) => {
      const variation = variationOf(input);
      const funding = variation.changes.includes('funding.commitments');
      const toCoordinator = input.notification.recipient.role === 'coordinator';
      return {
        subject: words.subject(variation.id, input.facts.title),
        paragraphs: [
          words.applied(variation.id, input.facts.title, variation.reason, changesText(input, variation)),
          ...(funding ? [words.funding] : []),
          ...(variation.changes.includes('obligations') ? [words.obligations] : []),
          words.certificate,
        ],
        facts: [
          ...variationFacts(input, variation),
          ...proposedFacts(input, variation),
          ...variationSignatureFacts(input, variation),
          ...agreementFacts(input),
          ...fundingTotalFact(input),
        ],
        ...(funding && toCoordinator ? { action: words.action(input.agreementId) } : {}),
      };
    },
  }),

  'variation-withdrawn': mailKind({
    chineseName: '变更撤回通知',
    words: {
      en: {
        subject: (id: string, title: string) => `Variation ${id} withdrawn: ${title}`,
        withdrawn: (id: string, title: string, reason: string) =>
          `Variation ${id} of “${title}” (“${reason}”) has been withdrawn and will not apply.`,
        why: 'Why',
        nothingToDo:
          'If you were asked to approve or sign it, there is nothing more to do: its link no longer acts, and the agreement stands as it was.',
      },
      'zh-CN': {
        subject: (id, title) => `变更撤回通知：${title}（变更${id}）`,
        withdrawn: (id, title, reason) => `“${title}”变更${id}（“${reason}”）已撤回，不会生效。`,
        why: '撤回原因',
        nothingToDo: '如您曾被请求批准或签署该变更，无需再作任何处理：其链接已失效，协议维持原状。',
      },
    },
    write: (input, words) => {
      const variation = variationOf(input);
      const reason = input.notification.about.reason;
      return {
        subject: words.subject(variation.id, input.facts.title),
        paragraphs: [words.withdrawn(variation.id, input.facts.title, variation.reason), words.nothingToDo],
        facts: [
          ...variationFacts(input, variation),
          ...(reason === undefined ? [] : [{ label: words.why, value: reason }]),
          ...agreementFacts(input),
        ],
      };
    },
  }),
} satisfies Partial<Record<NotificationKind, MailKindText>>;
