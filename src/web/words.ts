import type { Locale } from '../domain/locale.ts';
import type { VariationStatus } from '../domain/variations.ts';
import type { LinkAction } from '../links/link-token.ts';

/** Every word the pages say, in English and Chinese; names and user text are never translated. */
export interface PageWords {
  lang: string;
  parties: string;
  agreement: string;
  askApprove: (name: string) => string;
  askSign: (name: string) => string;
  askFund: (commitment: string) => string;
  askFulfil: (title: string) => string;
  ceremony: string;
  ceremonyLocal: string;
  /** The documents a signature binds to (SPEC 18), each with its SHA-256, and what the signer is to check. */
  documents: string;
  documentsHint: string;
  /** A variation of the active agreement (SPEC 18): what is asked, what it changes, and where it has got to. */
  askApproveVariation: (id: string, name: string) => string;
  askSignVariation: (id: string, name: string) => string;
  variationTitle: (id: string) => string;
  variationReason: string;
  variationStatus: string;
  variationStatuses: Record<VariationStatus, string>;
  variationChanges: string;
  /** A change named by its path (`term.endsAt`, `funding.commitments`, …), where no detail is shown. */
  changeNames: Record<string, string>;
  termEnds: (when: string) => string;
  capacity: (capacity: number) => string;
  commitmentAdded: (id: string, funder: string, amount: string) => string;
  commitmentRaised: (id: string, from: string, to: string) => string;
  obligationAdded: (title: string, due: string) => string;
  obligationChanged: (title: string) => string;
  documentVersion: (title: string) => string;
  variationDocuments: string;
  variationDocumentsHint: string;
  variationSubmit: { sign: string };
  variationWithdrawn: (id: string, reason: string | undefined) => string;
  variationApplied: (id: string) => string;
  variationMovedOn: (id: string, status: string) => string;
  amount: string;
  confirmed: string;
  outstanding: string;
  fundingDue: string;
  obligationDue: string;
  actionLabel: string;
  actions: Record<LinkAction, string>;
  note: string;
  reason: string;
  reasonHint: string;
  fullName: (name: string) => string;
  amountField: (outstanding: string) => string;
  reference: string;
  submit: Record<LinkAction, string>;
  approverChoice: string;
  done: Record<LinkAction, string>;
  alreadyDone: (when: string) => string;
  alreadyDoneEarlier: string;
  movedOn: (stage: string) => string;
  stages: Record<string, string>;
  nothingToDo: string;
  refusedTitle: string;
  refused: (reason: string) => string;
  nameMismatch: string;
  reasonRequired: string;
  declineReason: string;
  declineReasonHint: string;
  declineReasonRequired: string;
  amountInvalid: string;
  amountTooLarge: (outstanding: string) => string;
  unknownAction: string;
  notFoundTitle: string;
  notFound: string;
  expiredTitle: string;
  expired: (coordinators: string) => string;
  expiredNoCoordinators: string;
  forbiddenTitle: string;
  forbidden: string;
  tooLargeTitle: string;
  tooLarge: string;
  tooManyTitle: string;
  tooMany: string;
  unavailableTitle: string;
  unavailable: string;
  linkFor: (email: string, until: string) => string;
}

const en: PageWords = {
  lang: 'en',
  parties: 'Parties',
  agreement: 'Agreement',
  askApprove: (name) => `You are asked to approve this agreement for ${name}, or to request changes.`,
  askSign: (name) => `You are asked to sign this agreement as ${name}.`,
  askFund: (commitment) => `You are asked to confirm the funding of commitment ${commitment}.`,
  askFulfil: (title) => `You are asked to mark this obligation fulfilled: ${title}.`,
  ceremony: 'Signing ceremony',
  ceremonyLocal: 'In your time zone',
  documents: 'Documents you sign',
  documentsHint:
    'Your signature binds to these versions: check each SHA-256 against the copy you were sent (sha256sum FILE).',
  askApproveVariation: (id, name) => `You are asked to approve variation ${id} of this agreement for ${name}.`,
  askSignVariation: (id, name) => `You are asked to sign variation ${id} of this agreement as ${name}.`,
  variationTitle: (id) => `Variation ${id}`,
  variationReason: 'Why',
  variationStatus: 'Status',
  variationStatuses: {
    approval: 'awaiting approvals',
    signing: 'awaiting signatures',
    applied: 'applied',
    withdrawn: 'withdrawn',
  },
  variationChanges: 'What it changes',
  changeNames: {
    'term.endsAt': 'The end of the term',
    'cohort.capacity': 'The cohort’s capacity',
    'funding.commitments': 'The funding commitments',
    'funding.currency': 'The funding currency',
    obligations: 'The obligations',
    documents: 'The documents',
  },
  termEnds: (when) => `The term ends ${when}`,
  capacity: (capacity) => `Cohort capacity: ${capacity}`,
  commitmentAdded: (id, funder, amount) => `New commitment ${id} from ${funder}: ${amount}`,
  commitmentRaised: (id, from, to) => `Commitment ${id} raised from ${from} to ${to}`,
  obligationAdded: (title, due) => `New obligation: ${title}, due ${due}`,
  obligationChanged: (title) => `Obligation changed: ${title}`,
  documentVersion: (title) => `A new version of ${title}`,
  variationDocuments: 'Documents as the variation makes them',
  variationDocumentsHint: 'Once approved, the signatories sign these versions of the documents.',
  variationSubmit: { sign: 'Sign the variation' },
  variationWithdrawn: (id, reason) =>
    `Variation ${id} was withdrawn${reason ? ` (${reason})` : ''}. There is nothing for you to do here.`,
  variationApplied: (id) => `Variation ${id} has been signed by everyone and applies. Nothing more is needed.`,
  variationMovedOn: (id, status) =>
    `Variation ${id} has moved on: it is now ${status}. There is nothing for you to do here.`,
  amount: 'Committed',
  confirmed: 'Confirmed so far',
  outstanding: 'Outstanding',
  fundingDue: 'Due',
  obligationDue: 'Due',
  actionLabel: 'What would you like to do?',
  actions: {
    approve: 'Approve',
    requestChanges: 'Request changes',
    sign: 'Sign',
    decline: 'Decline to sign',
    confirmFunding: 'Confirm funding',
    fulfil: 'Mark fulfilled',
  },
  note: 'Note (optional)',
  reason: 'Reason for the changes',
  reasonHint: 'Needed only to request changes.',
  fullName: (name) => `Type your full name to sign (${name})`,
  amountField: (outstanding) => `Amount to confirm (at most ${outstanding})`,
  reference: 'Reference (optional)',
  submit: {
    approve: 'Send',
    requestChanges: 'Send',
    sign: 'Sign the agreement',
    decline: 'Send',
    confirmFunding: 'Confirm funding',
    fulfil: 'Mark fulfilled',
  },
  approverChoice: 'Your decision',
  done: {
    approve: 'Thank you: your approval is recorded.',
    requestChanges: 'Thank you: your request for changes is recorded, and the coordinators are told.',
    sign: 'Thank you: your signature is recorded.',
    decline: 'Your decision not to sign is recorded, and the coordinators are told the reason.',
    confirmFunding: 'Thank you: the funding confirmation is recorded.',
    fulfil: 'Thank you: the obligation is recorded as fulfilled.',
  },
  alreadyDone: (when) => `This was already done: ${when}. Nothing more is needed.`,
  alreadyDoneEarlier: 'This was already done. Nothing more is needed.',
  movedOn: (stage) => `This agreement has moved on: it is now ${stage}. There is nothing for you to do here.`,
  stages: {
    draft: 'back in drafting',
    approval: 'awaiting approvals',
    signing: 'awaiting signatures',
    funding: 'awaiting funding',
    cohort: 'enrolling its cohort',
    active: 'active',
    completed: 'completed',
    cancelled: 'cancelled',
  },
  nothingToDo: 'There is nothing for you to do here now.',
  refusedTitle: 'Not done',
  refused: (reason) => `This could not be done, and nothing was changed: ${reason}`,
  nameMismatch: 'the name typed does not match the signatory’s name.',
  reasonRequired: 'please give a reason for the changes.',
  declineReason: 'Reason for declining',
  declineReasonHint: 'Needed only to decline; the coordinators are told it.',
  declineReasonRequired: 'please give a reason for declining.',
  amountInvalid: 'the amount must be a positive number with at most two decimals.',
  amountTooLarge: (outstanding) => `the amount is more than what is outstanding (${outstanding}).`,
  unknownAction: 'this link does not allow that action.',
  notFoundTitle: 'Link not found',
  notFound: 'This link is not valid. Please use the link in your latest email exactly as it was sent.',
  expiredTitle: 'Link expired',
  expired: (coordinators) => `This link has expired. Please ask ${coordinators} for a new one.`,
  expiredNoCoordinators: 'This link has expired. Please ask the partnerships office for a new one.',
  forbiddenTitle: 'Not allowed',
  forbidden: 'This form can only be sent from its own page.',
  tooLargeTitle: 'Too much text',
  tooLarge: 'What was sent is too long. Please shorten the note or reason and try again.',
  tooManyTitle: 'Too many requests',
  tooMany: 'Too many requests from your address. Please wait a minute and try again.',
  unavailableTitle: 'Not available',
  unavailable: 'The agreement service is not available just now. Nothing was changed; please try again later.',
  linkFor: (email, until) => `This link is for ${email} and works until ${until}.`,
};

const zhCN: PageWords = {
  lang: 'zh-CN',
  parties: '协议各方',
  agreement: '协议',
  askApprove: (name) => `请您代表 ${name} 批准本协议，或要求修改。`,
  askSign: (name) => `请您以 ${name} 的身份签署本协议。`,
  askFund: (commitment) => `请您确认出资承诺 ${commitment} 的资金。`,
  askFulfil: (title) => `请您将此项义务标记为已履行：${title}。`,
  ceremony: '签约仪式',
  ceremonyLocal: '您所在时区',
  documents: '您签署的文件',
  documentsHint: '您的签名对应以下版本：请将每个 SHA-256 与您收到的文本核对（sha256sum 文件名）。',
  askApproveVariation: (id, name) => `请您代表 ${name} 批准本协议的变更 ${id}。`,
  askSignVariation: (id, name) => `请您以 ${name} 的身份签署本协议的变更 ${id}。`,
  variationTitle: (id) => `变更 ${id}`,
  variationReason: '变更理由',
  variationStatus: '状态',
  variationStatuses: { approval: '等待批准', signing: '等待签署', applied: '已生效', withdrawn: '已撤回' },
  variationChanges: '变更内容',
  changeNames: {
    'term.endsAt': '协议期限的结束日期',
    'cohort.capacity': '学员名额',
    'funding.commitments': '出资承诺',
    'funding.currency': '资金币种',
    obligations: '义务',
    documents: '文件',
  },
  termEnds: (when) => `协议期限结束于：${when}`,
  capacity: (capacity) => `学员名额：${capacity}`,
  commitmentAdded: (id, funder, amount) => `新增出资承诺 ${id}（${funder}）：${amount}`,
  commitmentRaised: (id, from, to) => `出资承诺 ${id} 由 ${from} 增至 ${to}`,
  obligationAdded: (title, due) => `新增义务：${title}，到期 ${due}`,
  obligationChanged: (title) => `义务变更：${title}`,
  documentVersion: (title) => `${title} 的新版本`,
  variationDocuments: '变更后的文件',
  variationDocumentsHint: '变更获批后，签署人将签署以下版本的文件。',
  variationSubmit: { sign: '签署变更' },
  variationWithdrawn: (id, reason) => `变更 ${id} 已撤回${reason ? `（${reason}）` : ''}。您在此无需操作。`,
  variationApplied: (id) => `变更 ${id} 已由各方签署并生效，无需再做任何操作。`,
  variationMovedOn: (id, status) => `变更 ${id} 已进入下一阶段：${status}。您在此无需操作。`,
  amount: '承诺金额',
  confirmed: '已确认',
  outstanding: '待确认',
  fundingDue: '到期',
  obligationDue: '到期',
  actionLabel: '您要做什么？',
  actions: {
    approve: '批准',
    requestChanges: '要求修改',
    sign: '签署',
    decline: '拒绝签署',
    confirmFunding: '确认资金',
    fulfil: '标记为已履行',
  },
  note: '备注（可选）',
  reason: '修改理由',
  reasonHint: '仅在要求修改时需要填写。',
  fullName: (name) => `请输入您的全名以签署（${name}）`,
  amountField: (outstanding) => `确认金额（最多 ${outstanding}）`,
  reference: '参考编号（可选）',
  submit: {
    approve: '提交',
    requestChanges: '提交',
    sign: '签署协议',
    decline: '提交',
    confirmFunding: '确认资金',
    fulfil: '标记为已履行',
  },
  approverChoice: '您的决定',
  done: {
    approve: '谢谢：您的批准已记录。',
    requestChanges: '谢谢：您的修改要求已记录，并已通知协调人。',
    sign: '谢谢：您的签署已记录。',
    decline: '您拒绝签署的决定已记录，并已将理由通知协调人。',
    confirmFunding: '谢谢：资金确认已记录。',
    fulfil: '谢谢：该义务已记录为已履行。',
  },
  alreadyDone: (when) => `此操作已于 ${when} 完成，无需再做。`,
  alreadyDoneEarlier: '此操作此前已完成，无需再做。',
  movedOn: (stage) => `本协议已进入下一阶段：${stage}。您在此无需操作。`,
  stages: {
    draft: '重新起草中',
    approval: '等待批准',
    signing: '等待签署',
    funding: '等待资金确认',
    cohort: '招收学员中',
    active: '生效中',
    completed: '已完成',
    cancelled: '已取消',
  },
  nothingToDo: '您目前在此无需操作。',
  refusedTitle: '未完成',
  refused: (reason) => `此操作未能完成，未作任何更改：${reason}`,
  nameMismatch: '输入的姓名与签署人姓名不符。',
  reasonRequired: '请填写修改理由。',
  declineReason: '拒签理由',
  declineReasonHint: '仅在拒绝签署时需要填写，理由将通知协调人。',
  declineReasonRequired: '请填写拒签理由。',
  amountInvalid: '金额必须为正数，最多两位小数。',
  amountTooLarge: (outstanding) => `金额超过待确认金额（${outstanding}）。`,
  unknownAction: '此链接不允许该操作。',
  notFoundTitle: '链接无效',
  notFound: '此链接无效。请使用您最新邮件中的链接，不要修改。',
  expiredTitle: '链接已过期',
  expired: (coordinators) => `此链接已过期。请联系 ${coordinators} 获取新链接。`,
  expiredNoCoordinators: '此链接已过期。请联系合作伙伴办公室获取新链接。',
  forbiddenTitle: '不允许',
  forbidden: '此表单只能从其本身的页面提交。',
  tooLargeTitle: '内容过长',
  tooLarge: '提交的内容过长。请缩短备注或理由后重试。',
  tooManyTitle: '请求过多',
  tooMany: '来自您地址的请求过多。请稍候一分钟再试。',
  unavailableTitle: '暂不可用',
  unavailable: '协议服务暂时不可用。未作任何更改，请稍后再试。',
  linkFor: (email, until) => `此链接仅供 ${email} 使用，有效期至 ${until}。`,
};

export const pageWords = (locale: Locale): PageWords => (locale === 'zh-CN' ? zhCN : en);
