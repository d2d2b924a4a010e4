import type { DigestChange, DigestStop, DueItem, OverdueItem } from '../../domain/digest.ts';
import type { Locale } from '../../domain/locale.ts';
import type { MailKind } from '../../domain/notifications.ts';
import { mailKindName } from '../templates/index.ts';
import { WORDS } from '../templates/words.ts';

/** How one digest line's moments and amounts are written for its reader. */
export interface DigestFormat {
  time: (iso: string) => string;
  money: (major: number) => string;
  duration: (iso: string) => string;
}

/** The words of a digest, per language: headings, each kind of item, each kind of change. */
export interface DigestWords {
  subject: (date: string, due: number, overdue: number, changes: number) => string;
  intro: (date: string, until: string, since: string) => string;
  empty: string;
  heading: (title: string, id: string, stage: string) => string;
  dueHeading: string;
  overdueHeading: string;
  changesHeading: string;
  stoppedHeading: string;
  stopped: (stop: DigestStop, f: DigestFormat) => string;
  due: (item: DueItem, f: DigestFormat) => string;
  overdue: (item: OverdueItem, f: DigestFormat) => string;
  change: (change: DigestChange, f: DigestFormat) => string;
  footer: (key: string) => string;
  /** The coordinator's portfolio page and calendar feed (SPEC 17). */
  portfolioLink: string;
  calendarLink: string;
}

const englishKind = (kind: MailKind) => kind.replace(/-/g, ' ');
const stageZh = (stage: string) => (WORDS['zh-CN'].stages as Record<string, string>)[stage] ?? stage;
const VARIATION_STATUS_ZH = { signing: '进入签署', applied: '已生效', withdrawn: '已撤回' } as const;
const chineseKind = (kind: MailKind) => mailKindName(kind, 'zh-CN');
/** An obligation added after the draft, as its event carries it (the file's own fields). */
const addedObligation = (obligation: Record<string, unknown>) =>
  typeof obligation.id === 'string' ? obligation.id : '';

const english: DigestWords = {
  subject: (date, due, overdue, changes) =>
    `Weekly digest, ${date}: ${due} due in 7 days, ${overdue} overdue, ${changes} changed`,
  intro: (date, until, since) =>
    `Your digest of ${date} for the agreements you coordinate: what falls due by ${until}, what is overdue, and what changed since ${since}.`,
  empty: 'Nothing falls due in the next 7 days, nothing is overdue and nothing changed since the last digest.',
  heading: (title, id, stage) => `${title} (${id}) · stage: ${stage}`,
  dueHeading: 'Due in the next 7 days',
  overdueHeading: 'Overdue',
  changesHeading: 'Changed since the last digest',
  stoppedHeading: 'Stopped in Temporal',
  stopped: ({ how, at }, f) =>
    `${f.time(at)} — its workflow ${how === 'timed-out' ? 'timed out' : `was ${how}`} outside the lifecycle: no reminder or mail about it will go out; start it again from its file if it should go on`,
  due: (item, f) => {
    const when = f.time(item.at);
    switch (item.what) {
      case 'ceremony':
        return `${when} — signing ceremony in ${item.venue}`;
      case 'reminder':
        return `${when} — reminder: ${englishKind(item.kind)}${item.lead ? ` (${f.duration(item.lead)} ahead)` : ''}`;
      case 'launch':
        return `${when} — cohort launch`;
      case 'term-end':
        return `${when} — term ends`;
      case 'deadline':
        return `${when} — ${item.stage} deadline: cancelled if not complete by then`;
      case 'funding-due':
        return `${when} — funding commitment ${item.commitment} falls due`;
      case 'obligation':
        return `${when} — obligation ${item.title} (${item.obligation}) falls due; owner: ${item.owner}`;
    }
  },
  overdue: (item, f) => {
    switch (item.what) {
      case 'funding':
        return `funding commitment ${item.commitment}: ${f.money(item.outstanding)} outstanding, due ${f.time(item.since)}`;
      case 'signatures':
        return `signatures missing since the ceremony of ${f.time(item.since)}: ${item.missing.join('; ')}`;
      case 'launch':
        return `launch time ${f.time(item.since)} passed with ${item.enrolled} enrolled (minimum ${item.minimum})`;
      case 'obligation':
        return `obligation ${item.title} (${item.obligation}) not fulfilled, due ${f.time(item.since)}; owner: ${item.owner}`;
      case 'variation':
        return `variation ${item.variation} awaiting ${item.status === 'approval' ? 'approval' : 'signatures'} since ${f.time(item.since)}: ${item.missing.join('; ')}`;
    }
  },
  change: ({ at, actor, event }, f) => {
    const what = ((): string => {
      switch (event.type) {
        case 'started':
          return 'started';
        case 'amended':
          return 'draft amended';
        case 'rescheduled':
          return `ceremony moved to ${f.time(event.ceremonyAt)} in ${event.venue}`;
        case 'signed':
          return `signed by ${event.signatory}`;
        case 'declined':
          return `signature declined by ${event.signatory}: ${event.reason}`;
        case 'deadline-extended':
          return `${event.stage} deadline moved to ${f.time(event.until)}`;
        case 'replaced':
          return `${event.role} ${event.id} replaced: ${event.previous.name} → ${event.name} (${event.reason})`;
        case 'funding-confirmed':
          return `${f.money(event.amount / 100)} confirmed on ${event.commitment} (tranche ${event.tranche})`;
        case 'enrolled':
          return `${event.name} enrolled`;
        case 'withdrawn':
          return `${event.email} withdrawn`;
        case 'renewed':
          return `term extended to ${f.time(event.until)}`;
        case 'approved':
          return `approved by ${event.approver}`;
        case 'changes-requested':
          return `changes requested by ${event.approver}`;
        case 'obligation-added':
          return `obligation ${addedObligation(event.obligation)} added`;
        case 'fulfilled':
          return `obligation ${event.obligation} fulfilled${event.reference ? ` (reference ${event.reference})` : ''}`;
        case 'stage-changed':
          return `stage ${event.from} → ${event.to}${event.detail ? `: ${event.detail}` : ''}`;
        case 'temporal-cancel-requested':
          return `cancel requested in Temporal, not applied (${event.refusal})`;
        case 'variation-proposed':
          return `variation ${event.variation} proposed: ${event.reason}`;
        case 'variation-approved':
          return `variation ${event.variation} approved by ${event.approver}`;
        case 'variation-signed':
          return `variation ${event.variation} signed by ${event.signatory}`;
        case 'variation-status-changed':
          return `variation ${event.variation} ${event.to}${event.reason ? `: ${event.reason}` : ''}`;
      }
    })();
    return `${f.time(at)} — ${what} (by ${actor})`;
  },
  footer: (key) => `You receive this digest as a coordinator. Reference: ${key}`,
  portfolioLink: 'Your portfolio (timeline and funding, read-only):',
  calendarLink: 'Your calendar feed (subscribe in Outlook or Google Calendar):',
};

const chinese: DigestWords = {
  subject: (date, due, overdue, changes) =>
    `每周摘要（${date}）：7天内到期${due}项，逾期${overdue}项，变更${changes}项`,
  intro: (date, until, since) =>
    `以下为${date}您所协调协议的摘要：${until}前到期事项、逾期事项，以及${since}以来的变更。`,
  empty: '未来7天内无到期事项，无逾期事项，上次摘要以来亦无变更。',
  heading: (title, id, stage) => `${title}（${id}）· 阶段：${stage}`,
  dueHeading: '未来7天内到期',
  overdueHeading: '逾期事项',
  changesHeading: '上次摘要以来的变更',
  stoppedHeading: '已在 Temporal 中停止',
  stopped: ({ how, at }, f) =>
    `${f.time(at)} — 该协议的工作流在生命周期之外${{ terminated: '被终止', failed: '失败', 'timed-out': '超时' }[how]}：此后不会再发送任何提醒或邮件；如需继续，请用协议文件重新启动`,
  due: (item, f) => {
    const when = f.time(item.at);
    switch (item.what) {
      case 'ceremony':
        return `${when} — 签约仪式（${item.venue}）`;
      case 'reminder':
        return `${when} — 提醒：${chineseKind(item.kind)}${item.lead ? `（提前${f.duration(item.lead)}）` : ''}`;
      case 'launch':
        return `${when} — 学员项目启动`;
      case 'term-end':
        return `${when} — 协议期满`;
      case 'deadline':
        return `${when} — ${item.stage === 'approval' ? '审批' : '签署'}截止：届时未完成即取消`;
      case 'funding-due':
        return `${when} — 资金承诺${item.commitment}到期`;
      case 'obligation':
        return `${when} — 义务“${item.title}”（${item.obligation}）到期；负责方：${item.owner}`;
    }
  },
  overdue: (item, f) => {
    switch (item.what) {
      case 'funding':
        return `资金承诺${item.commitment}：待确认${f.money(item.outstanding)}，已于${f.time(item.since)}到期`;
      case 'signatures':
        return `签约仪式（${f.time(item.since)}）后尚缺签署：${item.missing.join('；')}`;
      case 'launch':
        return `启动时间（${f.time(item.since)}）已过，已录取${item.enrolled}人（至少需${item.minimum}人）`;
      case 'obligation':
        return `义务“${item.title}”（${item.obligation}）已于${f.time(item.since)}到期，尚未履行；负责方：${item.owner}`;
      case 'variation':
        return `变更${item.variation}自${f.time(item.since)}起尚待${item.status === 'approval' ? '审批' : '签署'}：${item.missing.join('；')}`;
    }
  },
  change: ({ at, actor, event }, f) => {
    const what = ((): string => {
      switch (event.type) {
        case 'started':
          return '协议创建';
        case 'amended':
          return '草案已修改';
        case 'rescheduled':
          return `签约仪式改至${f.time(event.ceremonyAt)}（${event.venue}）`;
        case 'signed':
          return `${event.signatory}已签署`;
        case 'declined':
          return `${event.signatory}拒绝签署（理由：${event.reason}）`;
        case 'deadline-extended':
          return `${event.stage === 'approval' ? '审批' : '签署'}期限延至${f.time(event.until)}`;
        case 'replaced':
          return `${event.role === 'signatory' ? '签署人' : '审批人'}${event.id}由${event.previous.name}改为${event.name}（原因：${event.reason}）`;
        case 'funding-confirmed':
          return `资金承诺${event.commitment}第${event.tranche}笔已确认${f.money(event.amount / 100)}`;
        case 'enrolled':
          return `${event.name}已录取`;
        case 'withdrawn':
          return `${event.email}已退出`;
        case 'renewed':
          return `协议期限延长至${f.time(event.until)}`;
        case 'approved':
          return `${event.approver}已审批通过`;
        case 'changes-requested':
          return `${event.approver}要求修改`;
        case 'obligation-added':
          return `新增义务${addedObligation(event.obligation)}`;
        case 'fulfilled':
          return `义务${event.obligation}已履行${event.reference ? `（编号：${event.reference}）` : ''}`;
        case 'stage-changed':
          return `阶段：${stageZh(event.from)} → ${stageZh(event.to)}${event.detail ? `（原因：${event.detail}）` : ''}`;
        case 'temporal-cancel-requested':
          return `有人在 Temporal 中请求取消，未执行（${event.refusal}）`;
        case 'variation-proposed':
          return `提出变更${event.variation}：${event.reason}`;
        case 'variation-approved':
          return `变更${event.variation}已由${event.approver}批准`;
        case 'variation-signed':
          return `变更${event.variation}已由${event.signatory}签署`;
        case 'variation-status-changed':
          return `变更${event.variation}：${VARIATION_STATUS_ZH[event.to]}${event.reason ? `（原因：${event.reason}）` : ''}`;
      }
    })();
    return `${f.time(at)} — ${what}（操作人：${actor}）`;
  },
  footer: (key) => `您作为协调人收到此摘要。编号：${key}`,
  portfolioLink: '您的协议一览（时间线与资金，只读）：',
  calendarLink: '您的日历订阅（可在 Outlook 或 Google 日历中订阅）：',
};

export const DIGEST_WORDS: Record<Locale, DigestWords> = { en: english, 'zh-CN': chinese };
