import type { Locale } from '../../domain/locale.ts';
import { formatMinor } from '../../domain/money.ts';
import type { NotificationSubject } from '../../domain/notifications.ts';
import type { VariationView } from '../../domain/view.ts';
import type { Fact, TemplateInput } from './content.ts';
import { aside, partyName, readerLocale, when, wordsFor } from './facts.ts';

/** The words every mail about a variation (SPEC 18) puts around it, per language. */
interface VariationWords {
  variation: string;
  reason: string;
  changes: string;
  /** What each changed section is to a reader (`term.endsAt` → `the end of the term`). */
  change: Record<string, string>;
  termEnds: string;
  capacity: string;
  commitments: string;
  documents: string;
  document: (title: string, id: string, sha256: string) => string;
  commitment: (id: string, funder: string, amount: string) => string;
  approvals: string;
  awaitingApproval: string;
  signatures: string;
  stillToSign: string;
  signedBy: string;
}

const WORDS: Record<Locale, VariationWords> = {
  en: {
    variation: 'Variation',
    reason: 'Reason',
    changes: 'Changes',
    change: {
      'term.endsAt': 'the end of the term',
      'cohort.capacity': 'the cohort’s capacity',
      'funding.commitments': 'the funding commitments',
      'funding.currency': 'the funding currency',
      obligations: 'the obligations',
      documents: 'the documents',
    },
    termEnds: 'Term ends, as varied',
    capacity: 'Cohort capacity, as varied',
    commitments: 'Funding added or raised',
    documents: 'Documents, as varied',
    document: (title, id, sha256) => `${title} (${id}): SHA-256 ${sha256}`,
    commitment: (id, funder, amount) => `${id} (${funder}): ${amount}`,
    approvals: 'Approvals of the variation',
    awaitingApproval: 'Awaiting approval',
    signatures: 'Signatures of the variation',
    stillToSign: 'Still to sign',
    signedBy: 'Signed by',
  },
  'zh-CN': {
    variation: '变更编号',
    reason: '变更原因',
    changes: '变更内容',
    change: {
      'term.endsAt': '协议期满时间',
      'cohort.capacity': '学员名额',
      'funding.commitments': '资金承诺',
      'funding.currency': '资金币种',
      obligations: '义务事项',
      documents: '协议文件',
    },
    termEnds: '变更后协议期满',
    capacity: '变更后学员名额',
    commitments: '新增或增加的资金',
    documents: '变更后的文件',
    document: (title, id, sha256) => `${title}（${id}）：哈希值 ${sha256}`,
    commitment: (id, funder, amount) => `${id}（${funder}）：${amount}`,
    approvals: '变更审批进度',
    awaitingApproval: '待审批',
    signatures: '变更签署进度',
    stillToSign: '尚未签署',
    signedBy: '已签署',
  },
};

export type VariationSubject = NonNullable<NotificationSubject['variation']>;

const variationWords = (input: TemplateInput) => WORDS[readerLocale(input)];

/** The variation a mail of its own kinds is about. */
export function variationOf(input: TemplateInput): VariationSubject {
  const variation = input.notification.about.variation;
  if (!variation) throw new Error('a variation’s mail needs its variation');
  return variation;
}

/** The variation as the agreement's facts show it (its documents, approvals, signatures), where they carry it. */
function variationView(input: TemplateInput, id: string): VariationView | undefined {
  return input.facts.variations.find((variation) => variation.id === id);
}

/** What it changes, as the reader names the sections: `the end of the term, the documents`. */
export function changesText(input: TemplateInput, variation: VariationSubject): string {
  const words = variationWords(input);
  return variation.changes.map((path) => words.change[path] ?? path).join(wordsFor(input).nameSeparator);
}

/** Which variation, why, and what it changes. */
export function variationFacts(input: TemplateInput, variation: VariationSubject): Fact[] {
  const words = variationWords(input);
  return [
    { label: words.variation, value: variation.id },
    { label: words.reason, value: variation.reason },
    { label: words.changes, value: changesText(input, variation) },
  ];
}

/** The documents as the variation makes them (their SHA-256 are what its signatures quote). */
export function variedDocuments(input: TemplateInput, variation: VariationSubject) {
  return variation.changes.includes('documents') ? (variationView(input, variation.id)?.documents ?? []) : [];
}

/** What the variation sets: the new end of term, capacity, funding and documents. */
export function proposedFacts(input: TemplateInput, variation: VariationSubject): Fact[] {
  const view = variationView(input, variation.id);
  if (!view) return [];
  const words = variationWords(input);
  const separator = wordsFor(input).listSeparator;
  const { termEndsAt, capacity, commitments, currency } = view.sets;
  const facts: Fact[] = [];
  if (termEndsAt !== null) facts.push({ label: words.termEnds, value: when(input, termEndsAt) });
  if (capacity !== null) facts.push({ label: words.capacity, value: String(capacity) });
  const asked = commitments.map(({ id, funder, amount }) =>
    words.commitment(
      id,
      partyName(input, funder),
      formatMinor(Math.round(amount * 100), currency ?? '', readerLocale(input)),
    ),
  );
  if (asked.length > 0) facts.push({ label: words.commitments, value: asked.join(separator) });
  const documents = variedDocuments(input, variation).map((d) => words.document(d.title, d.id, d.sha256));
  if (documents.length > 0) facts.push({ label: words.documents, value: documents.join(separator) });
  return facts;
}

/** How many approvers have approved the variation, and who is still to. */
export function variationApprovalFacts(input: TemplateInput, variation: VariationSubject): Fact[] {
  const view = variationView(input, variation.id);
  if (!view || view.approvals.length === 0) return [];
  const words = variationWords(input);
  const shared = wordsFor(input);
  const awaiting = view.approvals.filter((a) => a.approvedAt === null).map((a) => a.name);
  return [
    {
      label: words.approvals,
      value: shared.countOf(view.approvals.length - awaiting.length, view.approvals.length),
    },
    { label: words.awaitingApproval, value: awaiting.join(shared.nameSeparator) || shared.none },
  ];
}

/** How many signatories have signed the variation, and who is still to; once applied, who signed when. */
export function variationSignatureFacts(input: TemplateInput, variation: VariationSubject): Fact[] {
  const view = variationView(input, variation.id);
  if (!view) return [];
  const words = variationWords(input);
  const shared = wordsFor(input);
  const signed = view.signatures.filter((s) => s.signedAt !== null);
  const missing = view.signatures.filter((s) => s.signedAt === null).map((s) => s.name);
  if (missing.length === 0) {
    const who = signed.map((s) => `${s.name}${aside(input, when(input, s.signedAt ?? ''))}`);
    return [{ label: words.signedBy, value: who.join(shared.listSeparator) }];
  }
  return [
    { label: words.signatures, value: shared.countOf(signed.length, view.signatures.length) },
    { label: words.stillToSign, value: missing.join(shared.nameSeparator) },
  ];
}

/** One line naming the variation, for mail of other kinds about it (a funding request, the certificate). */
export function variationFact(input: TemplateInput, variation: VariationSubject): Fact {
  return { label: variationWords(input).variation, value: `${variation.id}${aside(input, variation.reason)}` };
}
