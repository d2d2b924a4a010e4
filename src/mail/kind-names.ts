import type { MailKind } from '../domain/notifications.ts';

/** What a Chinese reader calls each kind of mail (in a delivery report, in the digest's list of reminders). */
export const CHINESE_KIND_NAMES: Record<MailKind, string> = {
  started: '协议创建通知',
  invitation: '签约仪式邀请',
  'ceremony-notice': '签约仪式提醒',
  rescheduled: '改期通知',
  'signature-recorded': '签署记录通知',
  'signature-chase': '签署提醒',
  'signature-escalation': '签署升级提醒',
  'funding-request': '资金确认请求',
  'funding-chase': '资金确认提醒',
  'funding-escalation': '资金升级提醒',
  'funding-overdue': '资金逾期通知',
  'funding-confirmed': '资金确认通知',
  'launch-notice': '项目启动提醒',
  'launch-escalation': '项目启动升级提醒',
  enrolled: '录取通知',
  welcome: '欢迎函',
  launched: '项目启动通知',
  'renewal-notice': '续约提醒',
  completed: '协议完成通知',
  cancelled: '协议取消通知',
  'delivery-failed': '投递失败通知',
  digest: '每周摘要',
};
