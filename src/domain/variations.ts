import type { Agreement } from './agreement.ts';
import { signedDocuments } from './documents.ts';
import type { AgreementEvent } from './events.ts';
import { applyMergePatch } from './merge-patch.ts';
import { formatMinor } from './money.ts';
import type { AgreementState, Approval, Signature } from './state.ts';
import { parseAgreement, type Result } from './validation.ts';

/**
 * Variations (SPEC 18): an active agreement changed by a JSON merge patch that goes through its own approval and
 * signature rounds while the agreement stays active, and applies whole when the last signature is in. One is open at a
 * time, so what it was checked against is what it applies to.
 */

export const VARIATION_STATUSES = ['approval', 'signing', 'applied', 'withdrawn'] as const;
export type VariationStatus = (typeof VARIATION_STATUSES)[number];

export interface Variation {
  /** `v1`, `v2`, … in the order proposed. */
  id: string;
  reason: string;
  patch: Record<string, unknown>;
  status: VariationStatus;
  proposedAt: string;
  proposedBy: string;
  /** When it entered its current status: its requests and chases count from here. */
  statusAt: string;
  /** Its `variation-proposed` row in the audit trail. */
  sequence: number;
  approvals: Approval[];
  signatures: Signature[];
  /** Why it was withdrawn, where a reason was given. */
  withdrawnReason?: string;
}

/** A commitment a variation added or raised: asked for when the variation applied, and chased from then. */
export interface FundingRequest {
  variation: string;
  at: string;
}

/** The sections a variation may change, as SPEC 18 lists them. */
const VARIABLE = ['term', 'cohort', 'funding', 'obligations', 'documents'] as const;
const VARIABLE_TEXT = 'term, cohort.capacity, funding.commitments, obligations, documents';

type Decision = Result<AgreementEvent[]>;
type Base = { at: string; actor: string };
const reject = (...errors: string[]): Decision => ({ ok: false, errors });
const accept = (...events: AgreementEvent[]): Decision => ({ ok: true, value: events });
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const variationsOf = (state: AgreementState): readonly Variation[] => state.variations ?? [];

export const isOpen = (variation: Variation): boolean =>
  variation.status === 'approval' || variation.status === 'signing';

export const openVariation = (state: AgreementState): Variation | undefined => variationsOf(state).find(isOpen);

/**
 * The agreement as it will read once the open variation applies. decide() keeps it valid while the variation is open
 * (a change that would break it is refused), so a failure here is a programming error, not bad input.
 */
export function variedAgreement(state: AgreementState, variation: Variation): Agreement {
  const parsed = variedResult(state.document, variation);
  if (!parsed.ok) throw new Error(`variation ${variation.id} no longer applies: ${parsed.errors.join('; ')}`);
  return parsed.value;
}

function variedResult(document: Record<string, unknown>, variation: Variation): Result<Agreement> {
  // A view reads it several times (documents, effect), and states are never mutated: parse once per document.
  const kept = parsedVariations.get(variation);
  if (kept?.document === document) return kept.result;
  const result = parseAgreement(applyMergePatch(document, variation.patch));
  parsedVariations.set(variation, { document, result });
  return result;
}

const parsedVariations = new WeakMap<Variation, { document: Record<string, unknown>; result: Result<Agreement> }>();

/**
 * Why a change to the agreement's document while a variation is open cannot be made, or undefined. The variation was
 * checked against the document as it was: the change must leave it able to apply, and must not be one the variation
 * would undo when it applies (a renew under a variation of the term, an obligation added under one that lists them).
 */
export function openVariationConflict(state: AgreementState, document: Record<string, unknown>): string[] | undefined {
  const open = openVariation(state);
  if (!open) return undefined;
  const varied = variedResult(document, open);
  if (!varied.ok) return varied.errors.map((error) => `${error} (once variation "${open.id}" applies)`);
  const undone =
    JSON.stringify(applyMergePatch(document, open.patch)) ===
    JSON.stringify(applyMergePatch(state.document, open.patch));
  if (!undone) return undefined;
  return [
    `variation "${open.id}" changes this too and would undo it when it applies; see it through or withdraw it first`,
  ];
}

/**
 * What a variation sets, typed, for every reader (`show`, the mail, the pages): read from the agreement it makes, so
 * no reader parses the patch. A merge patch is idempotent, so applied again to today's document it still gives the
 * variation's own values for what it touches. Amounts in minor units; `previous` is today's amount while it is open.
 */
export interface VariationEffect {
  termEndsAt?: string;
  capacity?: number;
  /** The commitments it adds or raises (asked of their funders when it applies), in `currency`; none once withdrawn. */
  commitments: { id: string; funder: string; amount: number; previous?: number }[];
  currency?: string;
  /** While open, the obligations it adds or changes. */
  obligations: { id: string; title: string; due: string; added: boolean }[];
}

export function variationEffect(state: AgreementState, variation: Variation): VariationEffect {
  const none: VariationEffect = { commitments: [], obligations: [] };
  if (variation.status === 'withdrawn') return none;
  const varied = variedResult(state.document, variation);
  if (!varied.ok) return none;
  const after = varied.value;
  const before = state.agreement;
  const touches = (section: string) => section in variation.patch;
  const termEndsAt = touches('term') ? after.term?.endsAt : undefined;
  const capacity = touches('cohort') ? after.cohort?.capacity : undefined;
  const currency = after.funding?.currency;
  const effect: VariationEffect = {
    ...(currency === undefined ? {} : { currency }),
    ...(termEndsAt === undefined ? {} : { termEndsAt }),
    ...(capacity === undefined ? {} : { capacity }),
    commitments: [],
    obligations: [],
  };
  if (variation.status === 'applied') {
    // What it asked for when it applied (the agreement now reads as varied, so there is no "before" to compare).
    const asked = Object.entries(state.fundingRequests ?? {}).filter(([, r]) => r.variation === variation.id);
    effect.commitments = asked.flatMap(([id]) => {
      const commitment = after.funding?.commitments.find((c) => c.id === id);
      return commitment ? [{ id, funder: commitment.funder, amount: commitment.amount }] : [];
    });
    return effect;
  }
  effect.commitments = (after.funding?.commitments ?? []).flatMap(({ id, funder, amount }) => {
    const previous = before.funding?.commitments.find((c) => c.id === id)?.amount;
    if (previous !== undefined && amount <= previous) return [];
    return [{ id, funder, amount, ...(previous === undefined ? {} : { previous }) }];
  });
  effect.obligations = after.obligations.flatMap(({ id, title, due }) => {
    const old = before.obligations.find((o) => o.id === id);
    if (old && old.title === title && old.due === due) return [];
    return [{ id, title, due, added: old === undefined }];
  });
  return effect;
}

/** The documents a variation binds: as it makes them while open, as its signatures quote them once applied. */
export function variationDocuments(state: AgreementState, variation: Variation): Agreement['documents'] {
  if (isOpen(variation)) return variedAgreement(state, variation).documents;
  const signed = variation.signatures[0]?.documents ?? [];
  const titled = (id: string) => state.agreement.documents.find((d) => d.id === id);
  return signed.map(({ id, sha256 }) => {
    const current = titled(id);
    return { id, title: current?.title ?? id, sha256, ...(current?.language ? { language: current.language } : {}) };
  });
}

/** What a patch changes, as a reader names it (`term.endsAt`, `funding.commitments`, …), for mail and `show`. */
export function changedPaths(patch: Record<string, unknown>): string[] {
  return Object.entries(patch).flatMap(([key, value]) =>
    isObject(value) && key !== 'obligations' && key !== 'documents'
      ? Object.keys(value).map((inner) => `${key}.${inner}`)
      : [key],
  );
}

/** Why a patch's shape cannot vary this agreement: sections it may not touch, or removes. */
function patchRefusal(state: AgreementState, patch: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const { agreement } = state;
  for (const [key, value] of Object.entries(patch)) {
    if (!(VARIABLE as readonly string[]).includes(key)) {
      errors.push(`patch: "${key}" cannot be varied (a variation may change ${VARIABLE_TEXT})`);
    } else if (value === null) {
      errors.push(`${key}: a variation cannot remove it`);
    }
  }
  if (errors.length > 0) return errors;
  if ('cohort' in patch) {
    const cohort = patch.cohort;
    if (!agreement.cohort) errors.push('cohort: the agreement has no cohort to vary');
    else if (!isObject(cohort) || Object.keys(cohort).some((key) => key !== 'capacity')) {
      errors.push('cohort: a variation may change only cohort.capacity');
    }
  }
  if ('funding' in patch) {
    const funding = patch.funding;
    const allowed = agreement.funding ? ['commitments'] : ['commitments', 'currency'];
    if (!isObject(funding) || Object.keys(funding).some((key) => !allowed.includes(key))) {
      errors.push(
        agreement.funding
          ? 'funding: a variation may change only funding.commitments'
          : 'funding: a variation may add funding.currency and funding.commitments',
      );
    }
  }
  return errors;
}

/** Why the varied agreement breaks what a variation may not undo, or nothing. */
function variedRefusal(state: AgreementState, varied: Agreement, now: number): string[] {
  const errors: string[] = [];
  const { agreement } = state;
  const currency = agreement.funding?.currency ?? varied.funding?.currency ?? 'GBP';
  for (const before of agreement.funding?.commitments ?? []) {
    const after = varied.funding?.commitments.find((c) => c.id === before.id);
    if (!after || after.amount < before.amount || after.funder !== before.funder) {
      errors.push(
        `funding.commitments: "${before.id}" (${before.funder}, ${formatMinor(before.amount, currency)}) must stay, ` +
          'with its funder and at least its amount: a variation adds commitments or raises them',
      );
    }
  }
  for (const obligation of agreement.obligations) {
    if (!varied.obligations.some((o) => o.id === obligation.id)) {
      errors.push(`obligations: "${obligation.id}" must stay (a variation adds or changes obligations)`);
    }
  }
  const endsAt = varied.term?.endsAt;
  if (endsAt !== agreement.term?.endsAt && endsAt !== undefined && Date.parse(endsAt) <= now) {
    errors.push(`term.endsAt: must be in the future (got ${endsAt})`);
  }
  if (varied.cohort && varied.cohort.capacity < state.candidates.length) {
    errors.push(`cohort.capacity: ${state.candidates.length} are enrolled already`);
  }
  return errors;
}

/** `vary`: the patch checked with the whole agreement; to the approvers if there are any, else to the signatories. */
export function decideVary(
  state: AgreementState,
  args: { patch: Record<string, unknown>; reason: string },
  base: Base,
  now: number,
): Decision {
  const open = openVariation(state);
  if (open) {
    return reject(`variation: "${open.id}" is still open (${open.status}); see it through or withdraw it first`);
  }
  const shape = patchRefusal(state, args.patch);
  if (shape.length > 0) return reject(...shape);
  const document = applyMergePatch(state.document, args.patch);
  if (JSON.stringify(document) === JSON.stringify(state.document)) return reject('patch: it changes nothing');
  const parsed = parseAgreement(document);
  if (!parsed.ok) return reject(...parsed.errors);
  const varied = variedRefusal(state, parsed.value, now);
  if (varied.length > 0) return reject(...varied);
  return accept({
    ...base,
    type: 'variation-proposed',
    variation: `v${variationsOf(state).length + 1}`,
    reason: args.reason,
    patch: args.patch,
    to: state.agreement.approvals.length > 0 ? 'approval' : 'signing',
  });
}

function findVariation(state: AgreementState, id: string): Result<Variation> {
  const variation = variationsOf(state).find((v) => v.id === id);
  if (variation) return { ok: true, value: variation };
  const known = variationsOf(state)
    .map((v) => v.id)
    .join(', ');
  return {
    ok: false,
    errors: [`variation: unknown variation "${id}" (${known ? `expected one of: ${known}` : 'none proposed'})`],
  };
}

/** The variation named, if it is at `status`; else why not. */
function variationAt(state: AgreementState, id: string, status: 'approval' | 'signing'): Result<Variation> {
  const found = findVariation(state, id);
  if (!found.ok || found.value.status === status) return found;
  const awaiting = status === 'approval' ? 'approval' : 'signature';
  return { ok: false, errors: [`variation: "${id}" is ${found.value.status}, not awaiting ${awaiting}`] };
}

export function decideWithdrawVariation(
  state: AgreementState,
  args: { variation: string; reason?: string },
  base: Base,
): Decision {
  const found = findVariation(state, args.variation);
  if (!found.ok) return found;
  const variation = found.value;
  if (!isOpen(variation)) return reject(`variation: "${variation.id}" is ${variation.status} and cannot be withdrawn`);
  return accept({
    ...base,
    type: 'variation-status-changed',
    variation: variation.id,
    from: variation.status,
    to: 'withdrawn',
    ...(args.reason === undefined ? {} : { reason: args.reason }),
  });
}

export function decideVariationApproval(
  state: AgreementState,
  args: { variation: string; approver: string; note?: string },
  base: Base,
): Decision {
  const found = variationAt(state, args.variation, 'approval');
  if (!found.ok) return found;
  const variation = found.value;
  if (variation.approvals.some((a) => a.approver === args.approver)) {
    return reject(`approver: "${args.approver}" has already approved variation "${variation.id}"`);
  }
  const approved: AgreementEvent = {
    ...base,
    type: 'variation-approved',
    variation: variation.id,
    approver: args.approver,
  };
  if (args.note !== undefined) approved.note = args.note;
  const given = variation.approvals.map((a) => a.approver);
  return withNextStep(
    approved,
    lastAwaited(state.agreement.approvals, given, args.approver),
    variation,
    'signing',
    base,
  );
}

/** Whether `id` is the last of `people` still to act, the others being `acted`. */
const lastAwaited = (people: readonly { id: string }[], acted: readonly string[], id: string) =>
  people.every((person) => person.id === id || acted.includes(person.id));

/** One person's act on a variation, and the variation moving on (to `to`) where it was the last one awaited. */
function withNextStep(
  act: AgreementEvent,
  last: boolean,
  variation: Variation,
  to: 'signing' | 'applied',
  base: Base,
): Decision {
  if (!last) return accept(act);
  return accept(act, {
    ...base,
    type: 'variation-status-changed',
    variation: variation.id,
    from: variation.status,
    to,
  });
}

export function decideVariationSignature(
  state: AgreementState,
  args: { variation: string; signatory: string; signedAt: string; documentSha256?: string[] },
  base: Base,
): Decision {
  const found = variationAt(state, args.variation, 'signing');
  if (!found.ok) return found;
  const variation = found.value;
  if (variation.signatures.some((s) => s.signatory === args.signatory)) {
    return reject(`signatory: "${args.signatory}" has already signed variation "${variation.id}"`);
  }
  // A variation is signed against the documents as it makes them: a hash of the version before it is stale.
  const documents = signedDocuments(variedAgreement(state, variation), args.documentSha256);
  if (!documents.ok) return documents;
  const signed: AgreementEvent = {
    ...base,
    type: 'variation-signed',
    variation: variation.id,
    signatory: args.signatory,
    signedAt: args.signedAt,
    ...('documents' in documents.value ? { documents: documents.value.documents } : {}),
  };
  const given = variation.signatures.map((g) => g.signatory);
  return withNextStep(
    signed,
    lastAwaited(state.agreement.signatories, given, args.signatory),
    variation,
    'applied',
    base,
  );
}

/**
 * An approver asks for changes to a variation, or a signatory declines it: it is withdrawn with their reason (the
 * coordinators may propose it anew), and the agreement stands as it was. Whoever has already acted on it may not.
 */
export function decideVariationRefusal(
  state: AgreementState,
  args: { variation: string; reason: string } & ({ approver: string } | { signatory: string }),
  base: Base,
): Decision {
  const approving = 'approver' in args;
  const found = variationAt(state, args.variation, approving ? 'approval' : 'signing');
  if (!found.ok) return found;
  const variation = found.value;
  const person = approving ? args.approver : args.signatory;
  const acted = approving
    ? variation.approvals.some((a) => a.approver === person) && 'approved'
    : variation.signatures.some((s) => s.signatory === person) && 'signed';
  if (acted) {
    const what = approving ? 'ask for changes' : 'decline';
    return reject(
      `${approving ? 'approver' : 'signatory'}: "${person}" has already ${acted} variation "${variation.id}", so can no longer ${what}`,
    );
  }
  const people = approving ? state.agreement.approvals : state.agreement.signatories;
  const name = people.find((p) => p.id === person)?.name ?? person;
  const why = approving ? `changes requested by ${name}` : `declined by ${name}`;
  return accept({
    ...base,
    type: 'variation-status-changed',
    variation: variation.id,
    from: variation.status,
    to: 'withdrawn',
    reason: `${why}: ${args.reason}`,
  });
}

type VariationEvent = Extract<
  AgreementEvent,
  { type: 'variation-proposed' | 'variation-approved' | 'variation-signed' | 'variation-status-changed' }
>;

/** The state after a variation's event; `state` already counts the event. `reparse` validates an applied document. */
export function evolveVariation(
  state: AgreementState,
  event: VariationEvent,
  reparse: (document: Record<string, unknown>) => Agreement,
): AgreementState {
  const audit = { sequence: state.eventCount, ...(event.actorProof ? { proof: event.actorProof } : {}) };
  if (event.type === 'variation-proposed') {
    const variation: Variation = {
      id: event.variation,
      reason: event.reason,
      patch: event.patch,
      status: event.to,
      proposedAt: event.at,
      proposedBy: event.actor,
      statusAt: event.at,
      sequence: state.eventCount,
      approvals: [],
      signatures: [],
    };
    return { ...state, variations: [...variationsOf(state), variation] };
  }
  const update = (change: (variation: Variation) => Variation): AgreementState => ({
    ...state,
    variations: variationsOf(state).map((v) => (v.id === event.variation ? change(v) : v)),
  });
  switch (event.type) {
    case 'variation-approved':
      return update((v) => ({
        ...v,
        approvals: [
          ...v.approvals,
          { approver: event.approver, approvedAt: event.at, ...(event.note ? { note: event.note } : {}), ...audit },
        ],
      }));
    case 'variation-signed':
      return update((v) => ({
        ...v,
        signatures: [
          ...v.signatures,
          {
            signatory: event.signatory,
            signedAt: event.signedAt,
            ...(event.documents ? { documents: event.documents } : {}),
            ...audit,
          },
        ],
      }));
    case 'variation-status-changed': {
      const moved = update((v) => ({
        ...v,
        status: event.to,
        statusAt: event.at,
        ...(event.to === 'withdrawn' && event.reason !== undefined ? { withdrawnReason: event.reason } : {}),
      }));
      if (event.to !== 'applied') return moved;
      const variation = variationsOf(state).find((v) => v.id === event.variation);
      return variation ? applied(moved, variation, event.at, reparse) : moved;
    }
  }
}

/**
 * The variation's patch now holds: commitments it added or raised are asked for from now, obligations it added are
 * tracked from now, and a new end of term is planned from now.
 */
function applied(
  state: AgreementState,
  variation: Variation,
  at: string,
  reparse: (document: Record<string, unknown>) => Agreement,
): AgreementState {
  const before = state.agreement;
  const document = applyMergePatch(state.document, variation.patch);
  const agreement = reparse(document);
  const raised = (agreement.funding?.commitments ?? []).filter((commitment) => {
    const old = before.funding?.commitments.find((c) => c.id === commitment.id);
    return !old || commitment.amount > old.amount;
  });
  const added = agreement.obligations.filter((o) => !before.obligations.some((old) => old.id === o.id));
  return {
    ...state,
    document,
    agreement,
    fundingRequests: {
      ...state.fundingRequests,
      ...Object.fromEntries(raised.map((c) => [c.id, { variation: variation.id, at }])),
    },
    obligationsAddedAt: { ...state.obligationsAddedAt, ...Object.fromEntries(added.map((o) => [o.id, at])) },
    ...(agreement.term?.endsAt !== before.term?.endsAt ? { termSetAt: at } : {}),
  };
}

/** The agreement ends (completed, cancelled): a variation still open goes with it, withdrawn with the reason. */
export function withdrawnWithTheAgreement(state: AgreementState, base: Base, why: string): AgreementEvent[] {
  const open = openVariation(state);
  if (!open) return [];
  return [
    { ...base, type: 'variation-status-changed', variation: open.id, from: open.status, to: 'withdrawn', reason: why },
  ];
}
