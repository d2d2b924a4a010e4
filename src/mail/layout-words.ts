import type { Locale } from '../domain/locale.ts';
import type { Role } from '../domain/notifications.ts';
import type { Stage } from '../domain/state.ts';
import { WORDS } from './templates/words.ts';

/** What the layout writes around a message's content, per language. */
export interface LayoutWords {
  htmlLang: string;
  greeting: (name: string) => string;
  /** With the space that follows it in the language: none after a full-width colon. */
  nextStep: string;
  labelSuffix: string;
  footer: (title: string, agreementId: string, stage: string) => string;
  reason: (role: Role, key: string) => string;
  stage: (stage: string) => string;
}

const ENGLISH_ROLES: Record<Role, string> = {
  coordinator: 'a coordinator of this agreement',
  signatory: 'a signatory of this agreement',
  'funding-contact': 'the contact for a funding commitment of this agreement',
  candidate: 'a candidate enrolled under this agreement',
  approver: 'an approver of this agreement',
  'obligation-owner': 'the party responsible for an obligation under this agreement',
};

const CHINESE_ROLES: Record<Role, string> = {
  coordinator: '本协议协调人',
  signatory: '本协议签署人',
  'funding-contact': '本协议资金承诺联系人',
  candidate: '本协议项下录取的学员',
  approver: '本协议审批人',
  'obligation-owner': '本协议项下义务事项负责方',
};

const stageIn = (locale: Locale) => (stage: string) => {
  const stages: Record<string, string> = WORDS[locale].stages satisfies Record<Stage, string>;
  return stages[stage] ?? stage;
};

export const LAYOUT_WORDS: Record<Locale, LayoutWords> = {
  en: {
    htmlLang: 'en',
    greeting: (name) => `Dear ${name},`,
    nextStep: 'Next step: ',
    labelSuffix: ':',
    footer: (title, agreementId, stage) => `${title} (${agreementId}) · stage: ${stage}`,
    reason: (role, key) => `You receive this email as ${ENGLISH_ROLES[role]}. Reference: ${key}`,
    stage: stageIn('en'),
  },
  'zh-CN': {
    htmlLang: 'zh-CN',
    greeting: (name) => `尊敬的${name}：`,
    nextStep: '下一步：',
    labelSuffix: '：',
    footer: (title, agreementId, stage) => `${title}（${agreementId}）· 阶段：${stage}`,
    reason: (role, key) => `您作为${CHINESE_ROLES[role]}收到此邮件。编号：${key}`,
    stage: stageIn('zh-CN'),
  },
};
