import { STAGE_NAMES } from '../domain/stage-names.ts';
import type { DatedItem, DatedWhat, Milestone } from '../domain/portfolio.ts';
import type { OverdueItem } from '../domain/digest.ts';
import type { Locale } from '../domain/locale.ts';

/** How a line's moments and amounts are written for the coordinator. */
export interface CoordinatorFormat {
  time: (iso: string, timezone?: string, place?: string) => string;
  money: (major: number, currency: string) => string;
}

/** The words of the calendar feed and the portfolio page, per language; names and user text are never translated. */
export interface CoordinatorWords {
  calendarName: (email: string) => string;
  /** An event's summary: what, and the agreement's title. */
  summary: (item: DatedItem) => string;
  description: (item: DatedItem, f: CoordinatorFormat) => string;
  portfolioTitle: string;
  intro: (email: string, now: string) => string;
  linkUntil: (until: string) => string;
  subscribe: string;
  subscribeHint: string;
  none: string;
  timelineHeading: string;
  timelineTitle: (count: number) => string;
  timelineDescription: string;
  today: string;
  fundingHeading: string;
  fundingTitle: (count: number) => string;
  fundingDescription: string;
  perCurrency: string;
  fundingLine: (confirmed: string, required: string, percent: number) => string;
  noFunding: string;
  agreementsHeading: string;
  stage: string;
  stages: Record<string, string>;
  coming: string;
  nothingComing: string;
  overdue: string;
  overdueLine: (item: OverdueItem, f: CoordinatorFormat, currency: string) => string;
  stopped: string;
  what: Record<DatedWhat, string>;
  milestone: Record<Milestone['what'], string>;
  legendPast: string;
  legendComing: string;
  colon: string;
  expired: string;
}

const en: CoordinatorWords = {
  calendarName: (email) => `Agreements — ${email}`,
  summary: (item) => {
    switch (item.what) {
      case 'funding-due':
        return `Funding due (${item.commitment}): ${item.title}`;
      case 'obligation-due':
        return `Obligation due: ${item.obligation?.title} — ${item.title}`;
      default:
        return `${en.what[item.what]}: ${item.title}`;
    }
  },
  description: (item, f) =>
    [
      `${en.what[item.what]} of “${item.title}” (${item.agreementId}), ${f.time(item.at, item.timezone, item.venue)}.`,
      item.obligation ? `Owner: ${item.obligation.owner}.` : '',
      item.done ? 'Done.' : '',
      item.cancelled ? 'The agreement was cancelled: this will not take place.' : '',
    ]
      .filter(Boolean)
      .join(' '),
  portfolioTitle: 'Your portfolio of agreements',
  intro: (email, now) => `The agreements ${email} coordinates, as of ${now}. This page is read-only.`,
  linkUntil: (until) => `This link works until ${until}; each weekly digest brings a new one.`,
  subscribe: 'Calendar feed',
  subscribeHint:
    'Subscribe to this address in Outlook or Google Calendar to see every ceremony and deadline (it works for a year).',
  none: 'You coordinate no running agreements.',
  timelineHeading: 'Timeline',
  timelineTitle: (count) => `Timeline of ${count} agreement${count === 1 ? '' : 's'}: stages so far and coming dates`,
  timelineDescription:
    'One row per agreement: a bar from its start to today, filled dots for the stages reached, hollow diamonds for the dates still to come.',
  today: 'today',
  fundingHeading: 'Funding',
  fundingTitle: (count) => `Funding confirmed against required, for ${count} agreement${count === 1 ? '' : 's'}`,
  fundingDescription: 'One bar per agreement and one per currency: the dark part is confirmed, the whole bar required.',
  perCurrency: 'All agreements',
  fundingLine: (confirmed, required, percent) => `${confirmed} of ${required} confirmed (${percent}%)`,
  noFunding: 'None of these agreements has funding.',
  agreementsHeading: 'Agreements',
  stage: 'Stage',
  stages: STAGE_NAMES.en,
  coming: 'Coming',
  nothingComing: 'No dates to come.',
  overdue: 'Overdue',
  overdueLine: (item, f, currency) => {
    switch (item.what) {
      case 'funding':
        return `Funding ${item.commitment}: ${f.money(item.outstanding, currency)} outstanding, due ${f.time(item.since)}`;
      case 'signatures':
        return `Signatures missing since the ceremony of ${f.time(item.since)}: ${item.missing.join('; ')}`;
      case 'launch':
        return `Launch time ${f.time(item.since)} passed with ${item.enrolled} enrolled (minimum ${item.minimum})`;
      case 'obligation':
        return `Obligation ${item.title} not fulfilled, due ${f.time(item.since)}; owner: ${item.owner}`;
      case 'variation':
        return `Variation ${item.variation} awaiting ${item.status === 'approval' ? 'approval' : 'signatures'} since ${f.time(item.since)}: ${item.missing.join('; ')}`;
    }
  },
  stopped: 'Stopped in Temporal outside the lifecycle: nothing about it will go out.',
  what: {
    ceremony: 'Signing ceremony',
    'approval-deadline': 'Approval deadline',
    'signing-deadline': 'Signing deadline',
    'funding-due': 'Funding due',
    launch: 'Cohort launch',
    'obligation-due': 'Obligation due',
    'term-end': 'Term ends',
  },
  milestone: { started: 'started', approved: 'approved', signed: 'signed', ended: 'ended' },
  legendPast: 'stage reached',
  legendComing: 'date to come',
  colon: ': ',
  expired:
    'This link has expired. Your latest weekly digest carries a new one; the operators can also make one (agreements calendar --coordinator).',
};

const zh: CoordinatorWords = {
  calendarName: (email) => `协议日历 — ${email}`,
  summary: (item) => {
    switch (item.what) {
      case 'funding-due':
        return `资金到期（${item.commitment}）：${item.title}`;
      case 'obligation-due':
        return `义务到期：${item.obligation?.title} — ${item.title}`;
      default:
        return `${zh.what[item.what]}：${item.title}`;
    }
  },
  description: (item, f) =>
    [
      `“${item.title}”（${item.agreementId}）${zh.what[item.what]}：${f.time(item.at, item.timezone, item.venue)}。`,
      item.obligation ? `负责人：${item.obligation.owner}。` : '',
      item.done ? '已完成。' : '',
      item.cancelled ? '协议已取消：此事项不再进行。' : '',
    ]
      .filter(Boolean)
      .join(''),
  portfolioTitle: '您负责的协议一览',
  intro: (email, now) => `${email} 负责协调的协议，截至 ${now}。本页只读。`,
  linkUntil: (until) => `此链接有效期至 ${until}；每周摘要都会附上新链接。`,
  subscribe: '日历订阅',
  subscribeHint: '在 Outlook 或 Google 日历中订阅此地址，即可看到每个签约仪式和截止日期（有效期一年）。',
  none: '您目前没有负责协调的进行中协议。',
  timelineHeading: '时间线',
  timelineTitle: (count) => `${count} 项协议的时间线：已完成的阶段与即将到来的日期`,
  timelineDescription: '每项协议一行：从开始到今天的横条，实心圆点为已达到的阶段，空心菱形为即将到来的日期。',
  today: '今天',
  fundingHeading: '资金',
  fundingTitle: (count) => `${count} 项协议已确认资金与所需资金对比`,
  fundingDescription: '每项协议及每种货币各一条：深色部分为已确认，整条为所需金额。',
  perCurrency: '全部协议',
  fundingLine: (confirmed, required, percent) => `已确认 ${confirmed}，共需 ${required}（${percent}%）`,
  noFunding: '这些协议均无资金安排。',
  agreementsHeading: '协议',
  stage: '阶段',
  stages: STAGE_NAMES['zh-CN'],
  coming: '即将到来',
  nothingComing: '没有即将到来的日期。',
  overdue: '已逾期',
  overdueLine: (item, f, currency) => {
    switch (item.what) {
      case 'funding':
        return `资金承诺 ${item.commitment}：尚欠 ${f.money(item.outstanding, currency)}，到期 ${f.time(item.since)}`;
      case 'signatures':
        return `自 ${f.time(item.since)} 的签约仪式起仍缺签名：${item.missing.join('；')}`;
      case 'launch':
        return `启动时间 ${f.time(item.since)} 已过，已注册 ${item.enrolled} 人（最少 ${item.minimum} 人）`;
      case 'obligation':
        return `义务 ${item.title} 未履行，到期 ${f.time(item.since)}；负责人：${item.owner}`;
      case 'variation':
        return `变更 ${item.variation} 自 ${f.time(item.since)} 起尚待${item.status === 'approval' ? '审批' : '签署'}：${item.missing.join('；')}`;
    }
  },
  stopped: '已在 Temporal 中于生命周期之外停止：不会再发出任何相关邮件。',
  what: {
    ceremony: '签约仪式',
    'approval-deadline': '审批截止',
    'signing-deadline': '签署截止',
    'funding-due': '资金到期',
    launch: '项目启动',
    'obligation-due': '义务到期',
    'term-end': '期限届满',
  },
  milestone: { started: '开始', approved: '已审批', signed: '已签署', ended: '结束' },
  legendPast: '已达到的阶段',
  legendComing: '即将到来的日期',
  colon: '：',
  expired: '此链接已过期。最新的每周摘要附有新链接；也可请管理员生成（agreements calendar --coordinator）。',
};

export const COORDINATOR_WORDS: Record<Locale, CoordinatorWords> = { en, 'zh-CN': zh };
