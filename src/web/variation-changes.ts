import type { Locale } from '../domain/locale.ts';
import { formatMinor } from '../domain/money.ts';
import type { AgreementView, VariationView } from '../domain/view.ts';
import type { PageWords } from './words.ts';

/**
 * What a variation changes, in the reader's words (SPEC 18): read from its merge patch against the agreement as it
 * stands. Only an open variation is compared (once applied, the agreement already reads as varied); otherwise, and for
 * any part not spelt out here, the change is named by its section.
 */

type Entry = Record<string, unknown>;
const entries = (value: unknown): Entry[] =>
  Array.isArray(value) ? value.filter((v): v is Entry => typeof v === 'object' && v !== null) : [];
const section = (patch: Entry, key: string): Entry => {
  const value = patch[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Entry) : {};
};
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const minor = (major: number) => Math.round(major * 100);

export interface ChangeReader {
  words: PageWords;
  locale: Locale;
  /** A time as the reader reads it (their zone, their language). */
  when: (iso: string) => string;
}

function commitmentChanges(reader: ChangeReader, view: AgreementView, patch: Entry): string[] {
  const funding = section(patch, 'funding');
  const currency = view.funding?.currency ?? (text(funding.currency) || 'GBP');
  const money = (major: number) => formatMinor(minor(major), currency, reader.locale);
  const funderName = (party: string) => view.parties.find((p) => p.id === party)?.name ?? party;
  return entries(funding.commitments).flatMap((commitment) => {
    const id = text(commitment.id);
    const amount = typeof commitment.amount === 'number' ? commitment.amount : 0;
    const before = view.funding?.commitments.find((c) => c.id === id);
    if (!before) return [reader.words.commitmentAdded(id, funderName(text(commitment.funder)), money(amount))];
    return amount > before.amount ? [reader.words.commitmentRaised(id, money(before.amount), money(amount))] : [];
  });
}

function obligationChanges(reader: ChangeReader, view: AgreementView, patch: Entry): string[] {
  return entries(patch.obligations).flatMap((obligation) => {
    const before = view.obligations.find((o) => o.id === obligation.id);
    const title = text(obligation.title);
    if (!before) return [reader.words.obligationAdded(title, reader.when(text(obligation.due)))];
    return before.title !== title || before.due !== obligation.due ? [reader.words.obligationChanged(title)] : [];
  });
}

function documentChanges(reader: ChangeReader, view: AgreementView, variation: VariationView): string[] {
  return variation.documents
    .filter((document) => !view.documents.some((d) => d.id === document.id && d.sha256 === document.sha256))
    .map((document) => reader.words.documentVersion(document.title));
}

/** One line per change the reader can check: a new end of term, a new or raised commitment, a new document version. */
export function variationChanges(reader: ChangeReader, view: AgreementView, variation: VariationView): string[] {
  const { words } = reader;
  const named = (path: string) => [words.changeNames[path] ?? path];
  const open = variation.status === 'approval' || variation.status === 'signing';
  if (!open) return variation.changes.flatMap(named);
  const patch = variation.patch;
  return variation.changes.flatMap((path) => {
    switch (path) {
      case 'term.endsAt':
        return [words.termEnds(reader.when(text(section(patch, 'term').endsAt)))];
      case 'cohort.capacity':
        return [words.capacity(Number(section(patch, 'cohort').capacity))];
      case 'funding.commitments':
        return commitmentChanges(reader, view, patch);
      case 'obligations':
        return obligationChanges(reader, view, patch);
      case 'documents':
        return documentChanges(reader, view, variation);
      default:
        return named(path);
    }
  });
}
