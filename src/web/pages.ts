import { createHash } from 'node:crypto';
import { humanTime } from '../domain/human-time.ts';
import type { Locale } from '../domain/locale.ts';
import { formatMinor } from '../domain/money.ts';
import type { AgreementView, VariationView } from '../domain/view.ts';
import type { LinkAction, LinkClaims } from '../links/link-token.ts';
import { variationChanges } from './variation-changes.ts';
import { pageWords, type PageWords } from './words.ts';

/**
 * The pages a link opens: HTML made on the server, no script, no asset from anywhere, one small stylesheet inline
 * (allowed by its hash in the Content-Security-Policy), every field labelled, one column that fits a phone.
 */

export const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1a1a1a;background:#f4f4f1}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;line-height:1.3;margin:.5rem 0 1rem;overflow-wrap:anywhere}
h2{font-size:1.05rem;margin:1.25rem 0 .5rem}
p,li,dd{overflow-wrap:anywhere}
.card{background:#fff;border:1px solid #d6d6cf;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.card>:first-child,input[type=hidden]+label{margin-top:0}.card>:last-child{margin-bottom:0}
.ask{font-size:1.05rem;font-weight:600}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;margin:0}
dt{color:#555}dd{margin:0}code{font-size:.85em}
.docs{display:block}.docs dt{margin-top:.6rem}.docs code{word-break:break-all}
ul{margin:0;padding-left:1.25rem}
label{display:block;font-weight:600;margin:.9rem 0 .3rem}
fieldset{border:0;margin:0;padding:0}legend{font-weight:600;margin-bottom:.3rem;padding:0}
.choice{display:flex;gap:.5rem;align-items:center;font-weight:400;margin:.4rem 0}
.choice input{width:1.2rem;height:1.2rem;margin:0}
input[type=text],textarea{width:100%;font:inherit;padding:.6rem;border:1px solid #8a8a80;border-radius:.35rem;background:#fff}
textarea{min-height:5rem}
.hint{color:#555;font-size:.9rem;margin:.2rem 0 0}
button{display:block;width:100%;margin-top:1.25rem;padding:.8rem;font:inherit;font-weight:600;color:#fff;background:#1d4f91;border:0;border-radius:.35rem}
.ok{border-color:#2f7d32;background:#eef7ee}.no{border-color:#b3261e;background:#fcefee}
.small{color:#555;font-size:.85rem}
`;
export const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}`;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for element content and quoted attribute values (names and user text are never trusted). */
export const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

/** A page in the reader's language; `style` is one of the stylesheets whose hash the Content-Security-Policy lists. */
export function page(words: PageWords, title: string, body: string, style: string = STYLE): string {
  return `<!doctype html>
<html lang="${words.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escape(title)}</title>
<style>${style}</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}

/** A page that only says something: a refusal, an error, an outcome. */
export function messagePage(words: PageWords, title: string, message: string, tone: 'ok' | 'no' = 'no'): string {
  return page(words, title, `<h1>${escape(title)}</h1>\n<div class="card ${tone}"><p>${escape(message)}</p></div>`);
}

/** What a link's recipient is asked, with the facts they need, read from the agreement's state. */
export type Task =
  /** `variation`: the variation of an active agreement the link asks about (SPEC 18), not the agreement itself. */
  | { action: 'approve'; name: string; doneAt: string | null; variation?: VariationView }
  | { action: 'sign'; name: string; doneAt: string | null; variation?: VariationView }
  | {
      action: 'confirmFunding';
      commitment: string;
      currency: string;
      amountMinor: number;
      confirmedMinor: number;
      dueAt: string | null;
    }
  | { action: 'fulfil'; title: string; due: string; doneAt: string | null };

/**
 * The stages in which a task can be done. A variation's approval and signature are done in active (and judged by the
 * variation's status); so is the funding of a commitment a variation added or raised.
 */
export const STAGE_OF: Record<Task['action'], readonly string[]> = {
  approve: ['approval'],
  sign: ['signing'],
  confirmFunding: ['funding', 'active'],
  fulfil: ['active'],
};

/** The status a variation is in while a task of its can be done. */
export const VARIATION_STATUS_OF = { approve: 'approval', sign: 'signing' } as const;

/** The variation a task is about, if any. */
export const variationOf = (task: Task): VariationView | undefined =>
  task.action === 'approve' || task.action === 'sign' ? task.variation : undefined;

const minor = (major: number) => Math.round(major * 100);

/** The recipient's task in this agreement, or undefined when the agreement no longer names them. */
export function taskOf(view: AgreementView, claims: LinkClaims): Task | undefined {
  const id = claims.recipient.id;
  if (claims.variation !== undefined) return variationTaskOf(view, claims);
  switch (claims.recipient.role) {
    case 'approver': {
      const approval = view.approvals.find((a) => a.approver === id);
      return approval && { action: 'approve', name: approval.name, doneAt: approval.approvedAt };
    }
    case 'signatory': {
      const signature = view.signatures.find((s) => s.signatory === id);
      return signature && { action: 'sign', name: signature.name, doneAt: signature.signedAt };
    }
    case 'funding-contact': {
      const commitment = view.funding?.commitments.find((c) => c.id === id);
      if (commitment === undefined || !view.funding) return undefined;
      return {
        action: 'confirmFunding',
        commitment: commitment.id,
        currency: view.funding.currency,
        amountMinor: minor(commitment.amount),
        confirmedMinor: minor(commitment.confirmed),
        dueAt: commitment.dueAt,
      };
    }
    case 'obligation-owner': {
      const obligation = view.obligations.find((o) => o.id === id);
      return (
        obligation && { action: 'fulfil', title: obligation.title, due: obligation.due, doneAt: obligation.fulfilledAt }
      );
    }
  }
}

/** An approver's or signatory's task in the variation their link names; undefined when it names no such variation. */
function variationTaskOf(view: AgreementView, claims: LinkClaims): Task | undefined {
  const variation = view.variations.find((v) => v.id === claims.variation);
  const id = claims.recipient.id;
  if (variation === undefined) return undefined;
  if (claims.recipient.role === 'approver') {
    const approval = variation.approvals.find((a) => a.approver === id);
    return approval && { action: 'approve', name: approval.name, doneAt: approval.approvedAt, variation };
  }
  if (claims.recipient.role === 'signatory') {
    const signature = variation.signatures.find((s) => s.signatory === id);
    return signature && { action: 'sign', name: signature.name, doneAt: signature.signedAt, variation };
  }
  return undefined;
}

export const outstandingMinor = (task: Extract<Task, { action: 'confirmFunding' }>) =>
  Math.max(0, task.amountMinor - task.confirmedMinor);

/** Whether the task is already done, and when (null when done but the state keeps no time). */
export function doneAt(task: Task): string | null | undefined {
  if (task.action === 'confirmFunding') return outstandingMinor(task) === 0 ? null : undefined;
  return task.doneAt ?? undefined;
}

export interface PageContext {
  words: PageWords;
  locale: Locale;
  timezone: string;
  claims: LinkClaims;
}

export function contextOf(claims: LinkClaims): PageContext {
  const locale = claims.recipient.locale;
  return { words: pageWords(locale), locale, timezone: claims.recipient.timezone, claims };
}

export const when = (context: PageContext, iso: string, place?: string) =>
  humanTime(iso, context.timezone, { locale: context.locale, place });

function facts(context: PageContext, view: AgreementView, task: Task): string {
  const { words } = context;
  const rows: [string, string][] = [];
  if (task.action === 'sign' && !task.variation && view.ceremony) {
    rows.push([
      words.ceremony,
      humanTime(view.ceremony.at, view.ceremony.timezone, { locale: context.locale, place: view.ceremony.venue }),
    ]);
    if (view.ceremony.timezone !== context.timezone) rows.push([words.ceremonyLocal, when(context, view.ceremony.at)]);
  }
  if (task.action === 'confirmFunding') {
    const money = (amount: number) => formatMinor(amount, task.currency, context.locale);
    rows.push([words.amount, money(task.amountMinor)]);
    rows.push([words.confirmed, money(task.confirmedMinor)]);
    rows.push([words.outstanding, money(outstandingMinor(task))]);
    if (task.dueAt) rows.push([words.fundingDue, when(context, task.dueAt)]);
  }
  if (task.action === 'fulfil') rows.push([words.obligationDue, when(context, task.due)]);
  if (rows.length === 0) return '';
  return `<dl>${rows.map(([term, value]) => `<dt>${escape(term)}</dt><dd>${escape(value)}</dd>`).join('')}</dl>`;
}

function ask(words: PageWords, task: Task): string {
  switch (task.action) {
    case 'approve':
      return task.variation ? words.askApproveVariation(task.variation.id, task.name) : words.askApprove(task.name);
    case 'sign':
      return task.variation ? words.askSignVariation(task.variation.id, task.name) : words.askSign(task.name);
    case 'confirmFunding':
      return words.askFund(task.commitment);
    case 'fulfil':
      return words.askFulfil(task.title);
  }
}

const field = (id: string, label: string, input: string, hint?: string) =>
  `<label for="${id}">${escape(label)}</label>${input}${hint ? `<p class="hint" id="${id}-hint">${escape(hint)}</p>` : ''}`;
const textInput = (id: string, extra = '') => `<input type="text" id="${id}" name="${id}" ${extra}>`;

/**
 * The documents a signatory signs, each with the SHA-256 of its current version (SPEC 18); for a variation, the
 * versions it makes (an approver is shown them too, as what the signatories will sign).
 */
function documentsCard(words: PageWords, documents: AgreementView['documents'], forApprover = false): string {
  const rows = documents
    .map((d) => `<dt>${escape(d.title)}</dt><dd><code>SHA-256 ${escape(d.sha256)}</code></dd>`)
    .join('');
  const [title, hint] = forApprover
    ? [words.variationDocuments, words.variationDocumentsHint]
    : [words.documents, words.documentsHint];
  // One column: a hash beside a long title would be squeezed into a sliver on a phone.
  return `<div class="card"><h2>${escape(title)}</h2><p class="hint">${escape(hint)}</p><dl class="docs">${rows}</dl></div>`;
}

/** The variation a link asks about: its id, why, where it has got to, and what it changes. */
function variationCard(context: PageContext, view: AgreementView, variation: VariationView): string {
  const { words } = context;
  const changes = variationChanges(
    { words, locale: context.locale, when: (iso) => when(context, iso) },
    view,
    variation,
  );
  const rows: [string, string][] = [
    [words.variationReason, variation.reason],
    [words.variationStatus, words.variationStatuses[variation.status]],
  ];
  return (
    `<div class="card"><h2>${escape(words.variationTitle(variation.id))}</h2>` +
    `<dl>${rows.map(([term, value]) => `<dt>${escape(term)}</dt><dd>${escape(value)}</dd>`).join('')}</dl>` +
    `<h2>${escape(words.variationChanges)}</h2><ul>${changes.map((line) => `<li>${escape(line)}</li>`).join('')}</ul></div>`
  );
}

/** The documents card of a task: a signatory's always (where there are documents), an approver's for a variation. */
function taskDocuments(words: PageWords, view: AgreementView, task: Task): string {
  const variation = variationOf(task);
  const documents = variation ? variation.documents : view.documents;
  if (documents.length === 0) return '';
  if (task.action === 'sign') return documentsCard(words, documents);
  return variation ? documentsCard(words, documents, true) : '';
}

/** The form confirms the versions the page showed: a version changed since is refused by the decider, naming it. */
const documentHashInputs = (documents: AgreementView['documents']) =>
  documents.map((d) => `<input type="hidden" name="documentSha256" value="${escape(d.sha256)}">`).join('');

function form(
  context: PageContext,
  task: Task,
  action: string,
  values: Record<string, string>,
  documents: AgreementView['documents'],
): string {
  const { words } = context;
  const value = (name: string) => escape(values[name] ?? '');
  let fields: string;
  let submit: string;
  switch (task.action) {
    case 'approve': {
      const chosen = values.action === 'requestChanges' ? 'requestChanges' : 'approve';
      const radio = (name: LinkAction) =>
        `<label class="choice"><input type="radio" name="action" value="${name}"${chosen === name ? ' checked' : ''}> ${escape(words.actions[name])}</label>`;
      const allowed = context.claims.actions.filter((a) => a === 'approve' || a === 'requestChanges');
      const note = field(
        'note',
        words.note,
        `<textarea id="note" name="note" maxlength="2000">${value('note')}</textarea>`,
      );
      fields =
        `<fieldset><legend>${escape(words.approverChoice)}</legend>${allowed.map(radio).join('')}</fieldset>` +
        note +
        field(
          'reason',
          words.reason,
          `<textarea id="reason" name="reason" maxlength="2000" aria-describedby="reason-hint">${value('reason')}</textarea>`,
          words.reasonHint,
        );
      submit = words.submit.approve;
      break;
    }
    case 'sign': {
      const mayDecline = context.claims.actions.includes('decline');
      const chosen = values.action === 'decline' ? 'decline' : 'sign';
      const radio = (name: LinkAction) =>
        `<label class="choice"><input type="radio" name="action" value="${name}"${chosen === name ? ' checked' : ''}> ${escape(words.actions[name])}</label>`;
      // Declining needs no name: the name is checked by the server when signing, so the field is not `required` then.
      const fullName = field(
        'fullName',
        words.fullName(task.name),
        textInput(
          'fullName',
          `${mayDecline ? '' : 'required '}autocomplete="name" maxlength="200" value="${value('fullName')}"`,
        ),
      );
      fields = mayDecline
        ? `<fieldset><legend>${escape(words.approverChoice)}</legend>${radio('sign')}${radio('decline')}</fieldset>` +
          fullName +
          field(
            'reason',
            words.declineReason,
            `<textarea id="reason" name="reason" maxlength="2000" aria-describedby="reason-hint">${value('reason')}</textarea>`,
            words.declineReasonHint,
          )
        : `<input type="hidden" name="action" value="sign">` + fullName;
      fields += documentHashInputs(documents);
      submit = task.variation ? words.variationSubmit.sign : words.submit.sign;
      break;
    }
    case 'confirmFunding': {
      const outstanding = outstandingMinor(task);
      const amount = values.amount ?? (outstanding / 100).toFixed(2);
      fields =
        `<input type="hidden" name="action" value="confirmFunding">` +
        field(
          'amount',
          words.amountField(formatMinor(outstanding, task.currency, context.locale)),
          textInput('amount', `required inputmode="decimal" maxlength="20" value="${escape(amount)}"`),
        ) +
        field('reference', words.reference, textInput('reference', `maxlength="200" value="${value('reference')}"`));
      submit = words.submit.confirmFunding;
      break;
    }
    case 'fulfil':
      fields =
        `<input type="hidden" name="action" value="fulfil">` +
        field('reference', words.reference, textInput('reference', `maxlength="200" value="${value('reference')}"`));
      submit = words.submit.fulfil;
      break;
  }
  return `<form method="post" action="${escape(action)}" class="card">${fields}<button type="submit">${escape(submit)}</button></form>`;
}

export interface TaskPageInput {
  context: PageContext;
  view: AgreementView;
  task: Task;
  /** The path the form posts to (the link's own). */
  action: string;
  /** A message above the form: an outcome, or why the last POST was refused. */
  notice?: { tone: 'ok' | 'no'; text: string };
  /** Show the form (false once there is nothing left to do). */
  withForm: boolean;
  /** The values sent, to keep what the person typed after a refusal. */
  values?: Record<string, string>;
}

/** The page of one link: the agreement, what is asked, the facts, and the form (or why there is none). */
export function taskPage(input: TaskPageInput): string {
  const { context, view, task, notice } = input;
  const { words } = context;
  const parties = view.parties.map((p) => `<li>${escape(p.name)}</li>`).join('');
  const variation = variationOf(task);
  const body = [
    `<p class="small">${escape(words.agreement)}</p>`,
    `<h1>${escape(view.title)}</h1>`,
    notice ? `<div class="card ${notice.tone}" role="status"><p>${escape(notice.text)}</p></div>` : '',
    `<div class="card"><p class="ask">${escape(ask(words, task))}</p>${facts(context, view, task)}</div>`,
    variation ? variationCard(context, view, variation) : '',
    taskDocuments(words, view, task),
    input.withForm ? form(context, task, input.action, input.values ?? {}, variation?.documents ?? view.documents) : '',
    `<div class="card"><h2>${escape(words.parties)}</h2><ul>${parties}</ul></div>`,
    `<p class="small">${escape(words.linkFor(context.claims.recipient.email, when(context, new Date(context.claims.expiresAt).toISOString())))}</p>`,
  ];
  return page(words, view.title, body.filter(Boolean).join('\n'));
}
