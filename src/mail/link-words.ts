import type { Locale } from '../domain/locale.ts';
import type { Role } from '../domain/notifications.ts';

/** The next step of a mail that carries the reader's link (SPEC 16), and its button, per language and role. */
export interface LinkWords {
  action: string;
  button: string;
}

export const LINK_WORDS: Record<Locale, Partial<Record<Role, LinkWords>>> = {
  en: {
    approver: {
      action: 'approve the agreement, or request changes, on your own page (no account needed):',
      button: 'Approve or request changes',
    },
    signatory: { action: 'sign the agreement on your own page (no account needed):', button: 'Sign the agreement' },
    'funding-contact': {
      action: 'confirm the funding of your commitment on your own page (no account needed):',
      button: 'Confirm funding',
    },
    'obligation-owner': {
      action: 'mark the obligation fulfilled on your own page (no account needed):',
      button: 'Mark fulfilled',
    },
  },
  'zh-CN': {
    approver: { action: '请在您的专属页面上批准协议或提出修改意见（无需账号）：', button: '批准或要求修改' },
    signatory: { action: '请在您的专属页面上签署协议（无需账号）：', button: '签署协议' },
    'funding-contact': { action: '请在您的专属页面上确认您所承诺的资金（无需账号）：', button: '确认资金' },
    'obligation-owner': { action: '请在您的专属页面上将该义务标记为已履行（无需账号）：', button: '标记为已履行' },
  },
};
