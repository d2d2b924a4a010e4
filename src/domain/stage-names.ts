import type { Locale } from './locale.ts';
import type { Stage } from './stages.ts';

/** The stages as mail and pages name them to a reader: English keeps the lowercase words, Chinese translates them. */
export const STAGE_NAMES: Record<Locale, Record<Stage, string>> = {
  en: {
    draft: 'draft',
    approval: 'approval',
    signing: 'signing',
    funding: 'funding',
    cohort: 'cohort',
    active: 'active',
    completed: 'completed',
    cancelled: 'cancelled',
  },
  'zh-CN': {
    draft: '草案',
    approval: '内部审批',
    signing: '签署',
    funding: '资金确认',
    cohort: '学员录取',
    active: '执行中',
    completed: '已完成',
    cancelled: '已取消',
  },
};
