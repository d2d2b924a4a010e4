import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The custom search attributes of spec §7: one definition used by the workflow, tests, dev server and compose setup. */
export const AgreementStage = defineSearchAttributeKey('AgreementStage', SearchAttributeType.KEYWORD);
export const AgreementKind = defineSearchAttributeKey('AgreementKind', SearchAttributeType.KEYWORD);
export const AgreementParties = defineSearchAttributeKey('AgreementParties', SearchAttributeType.KEYWORD_LIST);
export const CeremonyAt = defineSearchAttributeKey('CeremonyAt', SearchAttributeType.DATETIME);
export const NextReminderAt = defineSearchAttributeKey('NextReminderAt', SearchAttributeType.DATETIME);

export const searchAttributeKeys = [
  AgreementStage,
  AgreementKind,
  AgreementParties,
  CeremonyAt,
  NextReminderAt,
] as const;

/** The names and types as the Temporal CLI spells them (`--search-attribute Name=Type`). */
export const searchAttributeCliTypes: Record<string, string> = {
  AgreementStage: 'Keyword',
  AgreementKind: 'Keyword',
  AgreementParties: 'KeywordList',
  CeremonyAt: 'Datetime',
  NextReminderAt: 'Datetime',
};
