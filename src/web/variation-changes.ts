import type { Locale } from '../domain/locale.ts';
import { formatMinor } from '../domain/money.ts';
import type { AgreementView, VariationView } from '../domain/view.ts';
import type { PageWords } from './words.ts';

/**
 * What a variation changes, in the reader's words (SPEC 18), from what it sets (the view's `sets`). Only an open
 * variation is detailed (once applied, the agreement already reads as varied); otherwise, and for any part not spelt
 * out here, the change is named by its section.
 */

export interface ChangeReader {
  words: PageWords;
  locale: Locale;
  /** A time as the reader reads it (their zone, their language). */
  when: (iso: string) => string;
}

function commitmentChanges(reader: ChangeReader, view: AgreementView, variation: VariationView): string[] {
  const { commitments, currency } = variation.sets;
  const money = (major: number) => formatMinor(Math.round(major * 100), currency ?? '', reader.locale);
  const funderName = (party: string) => view.parties.find((p) => p.id === party)?.name ?? party;
  return commitments.map(({ id, funder, amount, previous }) =>
    previous === null
      ? reader.words.commitmentAdded(id, funderName(funder), money(amount))
      : reader.words.commitmentRaised(id, money(previous), money(amount)),
  );
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
  const { termEndsAt, capacity, obligations } = variation.sets;
  return variation.changes.flatMap((path) => {
    switch (path) {
      case 'term.endsAt':
        return termEndsAt === null ? named(path) : [words.termEnds(reader.when(termEndsAt))];
      case 'cohort.capacity':
        return capacity === null ? named(path) : [words.capacity(capacity)];
      case 'funding.commitments':
        return commitmentChanges(reader, view, variation);
      case 'obligations':
        return obligations.map((o) =>
          o.added ? words.obligationAdded(o.title, reader.when(o.due)) : words.obligationChanged(o.title),
        );
      case 'documents':
        return documentChanges(reader, view, variation);
      default:
        return named(path);
    }
  });
}
