import type { AgreementView } from '../domain/index.ts';
import { humanTime } from '../domain/human-time.ts';
import type { ListedAgreement } from './agreements-client.ts';
import { localTimes } from './human-times.ts';
import { money } from './money.ts';
import { toTextTable } from './text-table.ts';

/** The human-readable form of `agreements show`: the ceremony in its own timezone, other moments in the reader's. */
export function describeAgreement(view: AgreementView, timeZone?: string): string {
  const local = localTimes(timeZone);
  const lines = [
    `${view.id} — ${view.title}`,
    `  stage:       ${view.stage}${view.cancelReason ? ` (${view.cancelReason})` : ''}`,
  ];
  if (view.ceremony)
    lines.push(
      `  ceremony:    ${humanTime(view.ceremony.at, view.ceremony.timezone, { place: view.ceremony.venue })} (${view.ceremony.timezone})`,
    );
  if (view.approvals.length > 0) {
    const approved = view.approvals.filter((a) => a.approvedAt).length;
    lines.push(`  approvals:   ${approved}/${view.approvals.length}`);
    for (const a of view.approvals)
      lines.push(
        `    ${a.approvedAt ? '✓' : '·'} ${a.approver} (${a.name})${a.approvedAt ? ` approved ${local(a.approvedAt)}` : ''}`,
      );
  }
  if (view.documents.length > 0) {
    lines.push(`  documents:   ${view.documents.length} (sign with --document-sha256 for each)`);
    for (const d of view.documents) lines.push(`    ${d.id}: ${d.title}  sha256 ${d.sha256}`);
  }
  const signed = view.signatures.filter((s) => s.signedAt).length;
  lines.push(`  signatures:  ${signed}/${view.signatures.length}`);
  for (const s of view.signatures)
    lines.push(
      `    ${s.signedAt ? '✓' : '·'} ${s.signatory} (${s.name})${s.signedAt ? ` signed ${local(s.signedAt)}` : ''}`,
    );
  if (view.funding) {
    const f = view.funding;
    lines.push(`  funding:     ${money(f.confirmed, f.currency)} of ${money(f.required, f.currency)} confirmed`);
    for (const c of f.commitments)
      lines.push(
        `    ${c.confirmed >= c.amount ? '✓' : '·'} ${c.id} (${c.funder}): ${money(c.confirmed, f.currency)} / ${money(c.amount, f.currency)}`,
      );
  }
  if (view.cohort) {
    const c = view.cohort;
    lines.push(
      `  cohort:      ${c.enrolled.length} enrolled (minimum ${c.minimum}, capacity ${c.capacity})${c.launchAt ? `, launch ${local(c.launchAt)}` : ''}`,
    );
  }
  if (view.deadline) lines.push(`  deadline:    ${view.deadline.stage} by ${local(view.deadline.at)} (then cancelled)`);
  if (view.term) lines.push(`  term ends:   ${local(view.term.endsAt)}`);
  if (view.obligations.length > 0) {
    const open = view.obligations.filter((o) => !o.fulfilledAt);
    const overdue = open.filter((o) => o.overdue).length;
    lines.push(
      `  obligations: ${open.length} open of ${view.obligations.length}${overdue ? `, ${overdue} overdue` : ''}`,
    );
    for (const o of view.obligations) {
      const state = o.fulfilledAt
        ? `fulfilled ${local(o.fulfilledAt)}`
        : `${o.overdue ? 'OVERDUE, ' : ''}due ${local(o.due)}`;
      lines.push(`    ${o.fulfilledAt ? '✓' : o.overdue ? '!' : '·'} ${o.id}: ${o.title} (${o.owner}), ${state}`);
    }
  }
  lines.push(...describeVariations(view, local));
  lines.push(
    `  next:        ${view.nextReminderAt ? `reminder at ${local(view.nextReminderAt)}` : 'no reminder planned'}`,
  );
  lines.push(`  events:      ${view.events}`);
  return lines.join('\n');
}

/** The variations since signing (SPEC 18): each one's status and reason, what it changes, who has approved and signed. */
function describeVariations(view: AgreementView, local: (iso: string) => string): string[] {
  if (view.variations.length === 0) return [];
  const open = view.variations.filter((v) => v.status === 'approval' || v.status === 'signing');
  const lines = [`  variations:  ${view.variations.length}${open.length > 0 ? `, ${open.length} open` : ''}`];
  const marks = (people: { id: string; at: string | null }[]) =>
    `${people.filter((p) => p.at).length}/${people.length}  ${people.map((p) => `${p.at ? '✓' : '·'} ${p.id}`).join(', ')}`;
  for (const v of view.variations) {
    const withdrawn = v.withdrawnReason ? ` (${v.withdrawnReason})` : '';
    lines.push(`    ${v.id} ${v.status}${withdrawn}: ${v.reason}`);
    lines.push(`      proposed:   ${local(v.proposedAt)} by ${v.proposedBy}`);
    lines.push(`      changes:    ${v.changes.join(', ')}`);
    const asked = v.sets.commitments.map((c) => c.id);
    if (asked.length > 0) lines.push(`      funding:    ${asked.join(', ')}`);
    if (v.approvals.length > 0) {
      lines.push(`      approvals:  ${marks(v.approvals.map((a) => ({ id: a.approver, at: a.approvedAt })))}`);
    }
    lines.push(`      signatures: ${marks(v.signatures.map((s) => ({ id: s.signatory, at: s.signedAt })))}`);
    // An open variation is signed against the documents as it makes them.
    if (open.includes(v) && v.changes.includes('documents')) {
      lines.push(`      documents:  sign with --variation ${v.id} and --document-sha256 for each`);
      for (const d of v.documents) lines.push(`        ${d.id}: ${d.title}  sha256 ${d.sha256}`);
    }
  }
  return lines;
}

export function describeList(agreements: ListedAgreement[], timeZone?: string): string {
  if (agreements.length === 0) return 'no agreements';
  const local = localTimes(timeZone);
  const time = (iso: string | null) => (iso ? local(iso) : '');
  const rows = agreements.map((a) => [
    a.id,
    a.stage ?? '?',
    a.kind ?? '',
    time(a.ceremonyAt),
    time(a.nextReminderAt),
    time(a.nextObligationDue),
    a.title ?? '',
  ]);
  const header = ['ID', 'STAGE', 'KIND', 'CEREMONY', 'NEXT REMINDER', 'NEXT OBLIGATION', 'TITLE'];
  return toTextTable(header, rows).trimEnd();
}
