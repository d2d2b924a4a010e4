import { STAGE_NAMES } from '../../domain/stage-names.ts';
import type { KINDS } from '../../domain/agreement.ts';
import type { Locale } from '../../domain/locale.ts';
import type { Stage } from '../../domain/state.ts';

/** The words the shared fact helpers (facts.ts) and the layout put around an agreement's own text, per language. */
export interface Words {
  when: string;
  where: string;
  notScheduled: string;
  signingCeremony: string;
  ceremonyHeadline: (venue: string, date: string) => string;
  commitment: string;
  funder: string;
  amountCommitted: string;
  confirmedSoFar: string;
  outstanding: string;
  due: string;
  agreementFunding: string;
  confirmedOf: (confirmed: string, required: string) => string;
  enrolled: string;
  enrolledOf: (count: number, capacity: number, minimum: number) => string;
  sites: string;
  launch: string;
  agreement: string;
  parties: string;
  unknown: string;
  aSignatory: string;
  countOf: (done: number, all: number) => string;
  approvals: string;
  awaitingApproval: string;
  approver: string;
  obligation: string;
  owner: string;
  none: string;
  openObligations: string;
  kind: string;
  termEnds: string;
  signatures: string;
  stillToSign: string;
  /** Before a document's SHA-256 (SPEC 18): the version a signature binds to. */
  documentVersion: (sha256: string) => string;
  reminder: string;
  reminderNumber: (chase: number) => string;
  reference: string;
  programme: string;
  partners: string;
  cohort: string;
  candidates: (count: number) => string;
  listSeparator: string;
  /** Between names in a list: `, ` and the Chinese enumeration comma `、`. */
  nameSeparator: string;
  stages: Record<Stage, string>;
  kinds: Record<(typeof KINDS)[number], string>;
}

const english: Words = {
  when: 'When',
  where: 'Where',
  notScheduled: 'not scheduled',
  signingCeremony: 'signing ceremony',
  ceremonyHeadline: (venue, date) => `signing ceremony in ${venue}, ${date}`,
  commitment: 'Commitment',
  funder: 'Funder',
  amountCommitted: 'Amount committed',
  confirmedSoFar: 'Confirmed so far',
  outstanding: 'Outstanding',
  due: 'Due',
  agreementFunding: 'Agreement funding',
  confirmedOf: (confirmed, required) => `${confirmed} of ${required} confirmed`,
  enrolled: 'Enrolled',
  enrolledOf: (count, capacity, minimum) => `${count} of ${capacity} places (minimum ${minimum} to launch)`,
  sites: 'Sites',
  launch: 'Launch',
  agreement: 'Agreement',
  parties: 'Parties',
  unknown: 'unknown',
  aSignatory: 'a signatory',
  countOf: (done, all) => `${done} of ${all}`,
  approvals: 'Approvals',
  awaitingApproval: 'Awaiting approval',
  approver: 'Approver',
  obligation: 'Obligation',
  owner: 'Responsible',
  none: 'none',
  openObligations: 'Obligations still open',
  kind: 'Kind',
  termEnds: 'Term ends',
  signatures: 'Signatures',
  stillToSign: 'Still to sign',
  documentVersion: (sha256) => `SHA-256 ${sha256} (the version to sign)`,
  reminder: 'Reminder',
  reminderNumber: (chase) => `number ${chase}`,
  reference: 'Reference',
  programme: 'Programme',
  partners: 'Partners',
  cohort: 'Cohort',
  candidates: (count) => `${count} candidates`,
  listSeparator: '; ',
  nameSeparator: ', ',
  stages: STAGE_NAMES.en,
  kinds: { 'phd-programme': 'phd-programme', 'research-funding': 'research-funding', mou: 'mou', other: 'other' },
};

const chinese: Words = {
  when: '时间',
  where: '地点',
  notScheduled: '尚未安排',
  signingCeremony: '签约仪式',
  ceremonyHeadline: (venue, date) => `签约仪式（${venue}，${date}）`,
  commitment: '资金承诺',
  funder: '出资方',
  amountCommitted: '承诺金额',
  confirmedSoFar: '已确认金额',
  outstanding: '待确认金额',
  due: '到期时间',
  agreementFunding: '协议资金',
  confirmedOf: (confirmed, required) => `已确认${confirmed}，共需${required}`,
  enrolled: '已录取',
  enrolledOf: (count, capacity, minimum) => `${count}人，名额${capacity}人（启动至少需${minimum}人）`,
  sites: '培养地点',
  launch: '启动时间',
  agreement: '协议',
  parties: '合作方',
  unknown: '不详',
  aSignatory: '一位签署人',
  countOf: (done, all) => `${done}/${all}`,
  approvals: '审批进度',
  awaitingApproval: '待审批',
  approver: '审批人',
  obligation: '义务事项',
  owner: '负责方',
  none: '无',
  openObligations: '尚未履行的义务',
  kind: '类型',
  termEnds: '协议期满',
  signatures: '签署进度',
  stillToSign: '尚未签署',
  documentVersion: (sha256) => `SHA-256 ${sha256}（待签署版本）`,
  reminder: '提醒',
  reminderNumber: (chase) => `第${chase}次`,
  reference: '参考编号',
  programme: '项目',
  partners: '合作方',
  cohort: '学员',
  candidates: (count) => `${count}人`,
  listSeparator: '；',
  nameSeparator: '、',
  stages: STAGE_NAMES['zh-CN'],
  kinds: { 'phd-programme': '联合培养博士项目', 'research-funding': '科研资助', mou: '合作备忘录', other: '其他' },
};

export const WORDS: Record<Locale, Words> = { en: english, 'zh-CN': chinese };
