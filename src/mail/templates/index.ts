import type { Locale } from '../../domain/locale.ts';
import type { NotificationKind } from '../../domain/notifications.ts';
import { byKind } from './by-kind.ts';
import type { Template } from './content.ts';
import * as englishApprovals from './approvals.ts';
import * as englishCohort from './cohort.ts';
import * as englishFunding from './funding.ts';
import * as englishLifecycle from './lifecycle.ts';
import * as englishObligations from './obligations.ts';
import * as englishSigning from './signing.ts';
import * as chineseApprovals from './zh-CN/approvals.ts';
import * as chineseCohort from './zh-CN/cohort.ts';
import * as chineseFunding from './zh-CN/funding.ts';
import * as chineseLifecycle from './zh-CN/lifecycle.ts';
import * as chineseObligations from './zh-CN/obligations.ts';
import * as chineseSigning from './zh-CN/signing.ts';

export type { Fact, MessageContent, TemplateInput } from './content.ts';

/** Every kind in every language: the Record types make a missing kind or language a compile error. */
export const TEMPLATES: Record<Locale, Record<NotificationKind, Template>> = {
  en: byKind({
    ...englishSigning,
    ...englishFunding,
    ...englishCohort,
    ...englishApprovals,
    ...englishObligations,
    ...englishLifecycle,
  }),
  'zh-CN': byKind({
    ...chineseSigning,
    ...chineseFunding,
    ...chineseCohort,
    ...chineseApprovals,
    ...chineseObligations,
    ...chineseLifecycle,
  }),
};
