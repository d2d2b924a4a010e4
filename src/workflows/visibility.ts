import {
  getCurrentDetails,
  setCurrentDetails,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { currentDetails, nextObligationDue, nextReminderAt, type AgreementState } from '../domain/index.ts';
import { searchAttributePairs } from '../wire/search-attributes.ts';

/** The search attributes of the agreement's current state. */
export function searchAttributesFor(state: AgreementState): SearchAttributeUpdatePair[] {
  return searchAttributePairs(state.agreement, state.stage, nextReminderAt(state), nextObligationDue(state));
}

function comparable(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return String(value.getTime());
  if (Array.isArray(value)) return value.map(comparable).join('\u0000');
  return String(value);
}

/**
 * Upserts only the attributes that changed (each upsert is a history event), keeps the UI's current details fresh and
 * the memo's title (what `agreements list` shows) in step with amendments.
 */
export function publishVisibility(state: AgreementState): void {
  const info = workflowInfo();
  const { title } = state.agreement;
  if (info.memo?.title !== title) upsertMemo({ title });
  const current = info.typedSearchAttributes;
  const changed = searchAttributesFor(state).filter(
    (pair) => comparable(current.get(pair.key)) !== comparable(pair.value),
  );
  if (changed.length > 0) upsertSearchAttributes(changed);
  const details = currentDetails(state, info.continuedFromExecutionRunId !== undefined);
  if (details !== getCurrentDetails()) setCurrentDetails(details);
}
