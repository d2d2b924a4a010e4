import type { Locale } from '../domain/locale.ts';

/**
 * The workflow's refusals a page's POST can meet, in the reader's language. The decider words them in English for the
 * CLI; a page first checks what it can itself (done already, moved on, the amount, the name), so what is left here
 * are races with someone else's command and what the roles file refuses. A refusal not listed is shown as it is.
 */
/** A variation's status, as a Chinese reader names it (English keeps the decider's word). */
const ZH_STATUS: Record<string, string> = {
  approval: '等待批准',
  signing: '等待签署',
  applied: '已生效',
  withdrawn: '已撤回',
};

const REFUSALS: { pattern: RegExp; words: Record<Locale, (...parts: string[]) => string> }[] = [
  {
    pattern: /^\w+ is not allowed in stage "(\w+)"/,
    words: {
      en: (stage) => `the agreement has moved on (it is now ${stage}); this is no longer asked of you.`,
      'zh-CN': (stage) => `本协议已进入其他阶段（现为：${stage}），此项操作已无需由您完成。`,
    },
  },
  {
    pattern: /^(?:approver|signatory): "[^"]+" has already (approved|signed)/,
    words: {
      en: (done) => `this was already ${done} a moment ago.`,
      'zh-CN': (done) => (done === 'signed' ? '刚刚已有签署记录。' : '刚刚已有批准记录。'),
    },
  },
  // A variation (SPEC 18): withdrawn or moved on while the page was open, or a link's step that no longer fits.
  {
    pattern: /^variation: "([^"]+)" is (\w+), not awaiting/,
    words: {
      en: (id, status) => `variation ${id} is now ${status}; this is no longer asked of you.`,
      'zh-CN': (id, status) => `变更 ${id} 现为${ZH_STATUS[status] ?? status}，此项操作已无需由您完成。`,
    },
  },
  {
    pattern: /^variation: unknown variation "([^"]+)"/,
    words: { en: (id) => `this agreement has no variation ${id}.`, 'zh-CN': (id) => `本协议没有变更 ${id}。` },
  },
  {
    pattern: /^variation: the agreement is active; name the variation/,
    words: {
      en: () => 'the agreement is already signed and active; this is no longer asked of you.',
      'zh-CN': () => '本协议已签署并生效，此项操作已无需由您完成。',
    },
  },
  {
    pattern: /^variation: variations come after signing; the agreement is in (\w+)/,
    words: {
      en: (stage) => `a variation can only be signed once the agreement is active (it is now ${stage}).`,
      'zh-CN': (stage) => `协议生效后才能办理变更（现为：${stage}）。`,
    },
  },
  {
    pattern: /^documentSha256: [^:]+: sign against the current version of (.+), as `agreements show`/,
    words: {
      en: (documents) => `a document has a newer version than this page showed: ${documents}. Please reload the page.`,
      'zh-CN': (documents) => `以下文件已有比本页所示更新的版本：${documents}。请刷新页面后重新核对。`,
    },
  },
  {
    pattern: /^commitment: "[^"]+" is already fully confirmed/,
    words: { en: () => 'this commitment is already fully confirmed.', 'zh-CN': () => '该笔资金承诺已全部确认。' },
  },
  {
    pattern: /^amount: (.+) exceeds the (.+) still unconfirmed on/,
    words: {
      en: (amount, remaining) => `${amount} is more than the ${remaining} still to be confirmed.`,
      'zh-CN': (amount, remaining) => `${amount}超过了尚待确认的${remaining}。`,
    },
  },
  {
    pattern: /^obligation: "[^"]+" is already fulfilled/,
    words: { en: () => 'this obligation is already marked fulfilled.', 'zh-CN': () => '该义务已登记为已履行。' },
  },
  {
    pattern: /(?:^|: )[\w.-]+ (?:is not in the roles file, so )?may not [\w-]+$/,
    words: {
      en: () => 'the partnerships office has not given you this step; please ask them.',
      'zh-CN': () => '合作办公室未授权您执行此操作，请与其联系。',
    },
  },
  {
    pattern: /the mail link has expired/,
    words: { en: () => 'this link has expired.', 'zh-CN': () => '此链接已过期。' },
  },
];

/** The reason a page shows for a refusal of the workflow's, in the reader's language where it is one we know. */
export function refusalIn(locale: Locale, reason: string, stageName: (stage: string) => string): string {
  const stage =
    /^(?:\w+ is not allowed in stage "|variation: variations come after signing; the agreement is in )(\w+)/.exec(
      reason,
    )?.[1];
  for (const { pattern, words } of REFUSALS) {
    const match = pattern.exec(reason);
    if (match) return words[locale](...match.slice(1).map((part) => (part === stage ? stageName(part) : part)));
  }
  return reason;
}
