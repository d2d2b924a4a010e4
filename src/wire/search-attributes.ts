import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type SearchAttributePair,
  type SearchAttributeUpdatePair,
} from '@temporalio/common';
import type { Agreement, Stage } from '../domain/index.ts';

/** The custom search attributes: one definition used by the workflow, tests, dev server and compose setup. */
export const AgreementStage = defineSearchAttributeKey('AgreementStage', SearchAttributeType.KEYWORD);
export const AgreementKind = defineSearchAttributeKey('AgreementKind', SearchAttributeType.KEYWORD);
export const AgreementParties = defineSearchAttributeKey('AgreementParties', SearchAttributeType.KEYWORD_LIST);
export const CeremonyAt = defineSearchAttributeKey('CeremonyAt', SearchAttributeType.DATETIME);
export const NextReminderAt = defineSearchAttributeKey('NextReminderAt', SearchAttributeType.DATETIME);
/** When the earliest open obligation falls due; set only on agreements that have obligations (spec §14). */
export const NextObligationDue = defineSearchAttributeKey('NextObligationDue', SearchAttributeType.DATETIME);

export const searchAttributeKeys = [
  AgreementStage,
  AgreementKind,
  AgreementParties,
  CeremonyAt,
  NextReminderAt,
  NextObligationDue,
] as const;

/** The names and types as the Temporal CLI spells them (`--search-attribute Name=Type`). */
export const searchAttributeCliTypes: Record<string, string> = {
  AgreementStage: 'Keyword',
  AgreementKind: 'Keyword',
  AgreementParties: 'KeywordList',
  CeremonyAt: 'Datetime',
  NextReminderAt: 'Datetime',
  NextObligationDue: 'Datetime',
};

/**
 * The attributes that make an agreement findable in the Temporal UI, as the workflow upserts them (null clears one).
 * No personal data.
 */
export function searchAttributePairs(
  agreement: Pick<Agreement, 'kind' | 'parties' | 'ceremony'> & Partial<Pick<Agreement, 'obligations'>>,
  stage: Stage,
  nextReminderAt?: number,
  nextObligationDue?: number,
): SearchAttributeUpdatePair[] {
  const ceremony = agreement.ceremony?.at;
  // Agreements without obligations never carry the attribute, so their histories stay as they were before it existed.
  const obligations: SearchAttributeUpdatePair[] =
    (agreement.obligations?.length ?? 0) > 0
      ? [{ key: NextObligationDue, value: nextObligationDue === undefined ? null : new Date(nextObligationDue) }]
      : [];
  return [
    { key: AgreementStage, value: stage },
    { key: AgreementKind, value: agreement.kind },
    { key: AgreementParties, value: agreement.parties.map((party) => party.id) },
    { key: CeremonyAt, value: ceremony ? new Date(ceremony) : null },
    { key: NextReminderAt, value: nextReminderAt === undefined ? null : new Date(nextReminderAt) },
    ...obligations,
  ];
}

/** The pairs that hold a value: what a workflow can be started with. */
export function presentPairs(pairs: SearchAttributeUpdatePair[]): SearchAttributePair[] {
  return pairs.filter((pair): pair is SearchAttributePair => pair.value !== null);
}
