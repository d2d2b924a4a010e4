import type { Command, TimedCommand } from './commands.ts';
import type { AgreementEvent } from './events.ts';
import { documentAfter, type DocumentEvent } from './evolve.ts';
import {
  confirmedAmount,
  currentDeadline,
  isFinal,
  missingApprovers,
  missingSignatories,
  stageAfter,
  type AgreementState,
  type Stage,
} from './state.ts';
import { parseAgreement, type Result } from './validation.ts';
import { formatMinor } from './money.ts';
import { signedDocuments } from './documents.ts';
import type { Locale } from './locale.ts';
import {
  decideVariationApproval,
  decideVariationRefusal,
  decideVariationSignature,
  decideVary,
  decideWithdrawVariation,
  openVariationConflict,
  withdrawnWithTheAgreement,
} from './variations.ts';

export type Decision = Result<AgreementEvent[]>;

const ALLOWED: Record<Command['name'] | TimedCommand['name'], readonly Stage[]> = {
  amend: ['draft'],
  submit: ['draft'],
  // In active, approve and sign name a variation (SPEC 18), and confirmFunding answers a variation's new commitment.
  approve: ['approval', 'active'],
  requestChanges: ['approval', 'active'],
  reschedule: ['draft', 'approval', 'signing'],
  sign: ['signing', 'active'],
  decline: ['signing', 'active'],
  extend: ['approval', 'signing'],
  replace: ['draft', 'approval', 'signing'],
  deadlinePassed: ['approval', 'signing'],
  confirmFunding: ['funding', 'active'],
  enrol: ['cohort'],
  withdraw: ['cohort'],
  launch: ['cohort'],
  autoLaunch: ['cohort'],
  renew: ['active'],
  fulfil: ['active'],
  addObligation: ['draft', 'approval', 'signing', 'funding', 'cohort', 'active'],
  vary: ['active'],
  withdrawVariation: ['active'],
  complete: ['active'],
  autoComplete: ['active'],
  cancel: ['draft', 'approval', 'signing', 'funding', 'cohort', 'active'],
};

const reject = (...errors: string[]): Decision => ({ ok: false, errors });
const accept = (...events: AgreementEvent[]): Decision => ({ ok: true, value: events });

/** Accepts an event that changes the agreement only if the agreement it leaves is valid: evolve() relies on that. */
function acceptIfValid(
  state: AgreementState,
  event: DocumentEvent,
  document = documentAfter(state.document, event),
): Decision {
  const parsed = parseAgreement(document);
  if (!parsed.ok) return reject(...parsed.errors);
  const conflict = openVariationConflict(state, document);
  return conflict ? reject(...conflict) : accept(event);
}

function unknownSignatory(state: AgreementState, signatory: string): Decision | undefined {
  if (state.agreement.signatories.some((s) => s.id === signatory)) return undefined;
  const known = state.agreement.signatories.map((s) => s.id).join(', ');
  return reject(`signatory: unknown signatory "${signatory}" (expected one of: ${known})`);
}

/** Whether the actor is one of the agreement's signatories or approvers: a coordinator's command is not theirs. */
function actsForThemself(state: AgreementState, actor: string): boolean {
  return [...state.agreement.signatories, ...state.agreement.approvals].some((person) => person.id === actor);
}

/** In active, approve and sign are a variation's; before, the agreement's: the command must say which it means. */
function variationMismatch(
  state: AgreementState,
  command: 'approve' | 'sign' | 'request changes to' | 'decline',
  variation: string | undefined,
) {
  if (state.stage === 'active' && variation === undefined) {
    return reject(`variation: the agreement is active; name the variation to ${command} (--variation)`);
  }
  if (state.stage !== 'active' && variation !== undefined) {
    return reject(`variation: variations come after signing; the agreement is in ${state.stage}`);
  }
  return undefined;
}

function unknownApprover(state: AgreementState, approver: string): Decision | undefined {
  if (state.agreement.approvals.some((a) => a.id === approver)) return undefined;
  const known = state.agreement.approvals.map((a) => a.id).join(', ');
  return reject(`approver: unknown approver "${approver}" (expected one of: ${known})`);
}

/**
 * The lifecycle's rules: what a command means in the current state. Pure: the same state, command and time
 * always give the same events or the same rejection, and a rejection changes nothing.
 */
export function decide(state: AgreementState, command: Command | TimedCommand, now: number): Decision {
  const allowed = ALLOWED[command.name];
  if (!allowed.includes(state.stage)) {
    return reject(
      `${command.name} is not allowed in stage "${state.stage}"` +
        (isFinal(state.stage) ? ' (the agreement has ended)' : ` (allowed in: ${allowed.join(', ')})`),
    );
  }
  const at = new Date(now).toISOString();
  const actor = 'args' in command ? (command.args.actor ?? 'coordinator') : 'system';
  const base = { at, actor };
  const advance = (from: Stage, reason: 'all-signed' | 'fully-funded'): AgreementEvent => ({
    ...base,
    type: 'stage-changed',
    from,
    to: stageAfter(state.agreement, from),
    reason,
  });

  switch (command.name) {
    case 'amend': {
      const amended: DocumentEvent = { ...base, type: 'amended', patch: command.args.patch };
      const document = documentAfter(state.document, amended);
      if (document.id !== state.document.id) return reject('id: cannot be changed by an amendment');
      return acceptIfValid(state, amended, document);
    }
    case 'submit': {
      const ceremony = state.agreement.ceremony;
      if (!ceremony) return reject('ceremony: is required before submit');
      if (Date.parse(ceremony.at) <= now) return reject(`ceremony.at: must be in the future (it is ${ceremony.at})`);
      const to = state.agreement.approvals.length > 0 ? 'approval' : 'signing';
      return accept({ ...base, type: 'stage-changed', from: 'draft', to, reason: 'submitted' });
    }
    case 'approve': {
      const { variation, approver, note } = command.args;
      const refusal = variationMismatch(state, 'approve', variation) ?? unknownApprover(state, approver);
      if (refusal) return refusal;
      if (variation !== undefined) {
        return decideVariationApproval(state, { variation, approver, ...(note === undefined ? {} : { note }) }, base);
      }
      if (state.approvals.some((approval) => approval.approver === command.args.approver)) {
        return reject(`approver: "${command.args.approver}" has already approved`);
      }
      const approved: AgreementEvent = { ...base, type: 'approved', approver: command.args.approver };
      if (command.args.note !== undefined) approved.note = command.args.note;
      if (missingApprovers(state).length > 1) return accept(approved);
      return accept(approved, {
        ...base,
        type: 'stage-changed',
        from: 'approval',
        to: 'signing',
        reason: 'all-approved',
      });
    }
    case 'requestChanges': {
      const { approver, reason, variation } = command.args;
      const refusal = variationMismatch(state, 'request changes to', variation) ?? unknownApprover(state, approver);
      if (refusal) return refusal;
      if (variation !== undefined) return decideVariationRefusal(state, { variation, approver, reason }, base);
      return accept(
        { ...base, type: 'changes-requested', approver, reason },
        { ...base, type: 'stage-changed', from: 'approval', to: 'draft', reason: 'changes-requested', detail: reason },
      );
    }
    case 'reschedule': {
      const ceremony = state.agreement.ceremony;
      // Moving needs a ceremony to move: a new one also needs its timezone, which only amend can give.
      if (!ceremony)
        return reject('ceremony: there is none to reschedule yet; add one with amend (at, venue and timezone)');
      if (Date.parse(command.args.at) <= now) return reject(`at: must be in the future (got ${command.args.at})`);
      return acceptIfValid(state, {
        ...base,
        type: 'rescheduled',
        ceremonyAt: command.args.at,
        venue: command.args.venue ?? ceremony.venue,
        sequence: state.ceremonySequence + 1,
      });
    }
    case 'sign': {
      const { signatory, documentSha256, variation } = command.args;
      const refusal = variationMismatch(state, 'sign', variation) ?? unknownSignatory(state, signatory);
      if (refusal) return refusal;
      const signedAt = command.args.at ?? at;
      if (Date.parse(signedAt) > now) return reject(`at: a signature cannot be dated in the future (got ${signedAt})`);
      if (variation !== undefined) {
        const hashes = documentSha256 === undefined ? {} : { documentSha256 };
        return decideVariationSignature(state, { variation, signatory, signedAt, ...hashes }, base);
      }
      if (state.signatures.some((s) => s.signatory === signatory)) {
        return reject(`signatory: "${signatory}" has already signed`);
      }
      const documents = signedDocuments(state.agreement, documentSha256);
      if (!documents.ok) return documents;
      const signed: AgreementEvent = { ...base, type: 'signed', signatory, signedAt, ...documents.value };
      const lastOne = missingSignatories(state).length === 1;
      return lastOne ? accept(signed, advance('signing', 'all-signed')) : accept(signed);
    }
    case 'decline': {
      const { signatory, reason, variation } = command.args;
      const refusal = variationMismatch(state, 'decline', variation) ?? unknownSignatory(state, signatory);
      if (refusal) return refusal;
      if (variation !== undefined) return decideVariationRefusal(state, { variation, signatory, reason }, base);
      if (state.signatures.some((s) => s.signatory === signatory)) {
        return reject(`signatory: "${signatory}" has already signed, so can no longer decline`);
      }
      return accept(
        { ...base, type: 'declined', signatory, reason },
        { ...base, type: 'stage-changed', from: 'signing', to: 'draft', reason: 'declined', detail: reason },
      );
    }
    case 'extend': {
      const stage = state.stage as 'approval' | 'signing';
      if (actsForThemself(state, actor)) {
        return reject(`extend: only a coordinator may move a deadline (${actor} is not one)`);
      }
      if (!currentDeadline(state)) {
        return reject(`deadlines.${stage}: the agreement has no ${stage} deadline to extend`);
      }
      const { until } = command.args;
      if (Date.parse(until) <= now) return reject(`until: must be in the future (got ${until})`);
      return accept({ ...base, type: 'deadline-extended', stage, until });
    }
    case 'replace': {
      const { signatory, approver, name, email, title, locale, reason } = command.args;
      if (actsForThemself(state, actor)) {
        return reject(`replace: only a coordinator may replace a person (${actor} is not one)`);
      }
      const role = signatory === undefined ? 'approver' : 'signatory';
      const id = signatory ?? approver ?? '';
      const people: readonly { id: string; name: string; email: string; locale?: Locale }[] =
        role === 'signatory' ? state.agreement.signatories : state.agreement.approvals;
      const person = people.find((p) => p.id === id);
      if (!person) {
        const known = people.map((p) => p.id).join(', ') || 'none';
        return reject(`${role}: unknown ${role} "${id}" (expected one of: ${known})`);
      }
      const done =
        role === 'signatory'
          ? state.signatures.some((s) => s.signatory === id) && 'signed'
          : state.approvals.some((a) => a.approver === id) && 'approved';
      if (done) return reject(`${role}: "${id}" has already ${done}, and that stands; there is nothing to hand over`);
      if (person.email === email) {
        return reject(`email: ${email} is already ${id}'s; the replacement needs an address of their own`);
      }
      const replaced: DocumentEvent = {
        ...base,
        type: 'replaced',
        role,
        id,
        previous: { name: person.name, email: person.email, ...(person.locale ? { locale: person.locale } : {}) },
        name,
        email,
        reason,
      };
      if (title !== undefined) replaced.title = title;
      if (locale !== undefined) replaced.locale = locale;
      return acceptIfValid(state, replaced);
    }
    case 'deadlinePassed': {
      const deadline = currentDeadline(state);
      if (!deadline || deadline.at > now) return reject(`the ${state.stage} deadline has not passed`);
      return accept({
        ...base,
        type: 'stage-changed',
        from: state.stage,
        to: 'cancelled',
        reason: 'deadline-passed',
        detail: `${deadline.stage} deadline passed`,
      });
    }
    case 'confirmFunding': {
      const funding = state.agreement.funding;
      const commitment = funding?.commitments.find((c) => c.id === command.args.commitment);
      if (!funding || !commitment) {
        const known = (funding?.commitments ?? []).map((c) => c.id).join(', ');
        return reject(`commitment: unknown commitment "${command.args.commitment}" (expected one of: ${known})`);
      }
      const amount = Math.round(command.args.amount * 100);
      if (Math.abs(amount - command.args.amount * 100) > 1e-6) return reject('amount: must have at most 2 decimals');
      const confirmed = confirmedAmount(state, commitment.id);
      const remaining = commitment.amount - confirmed;
      if (remaining === 0) return reject(`commitment: "${commitment.id}" is already fully confirmed`);
      if (amount > remaining) {
        return reject(
          `amount: ${formatMinor(amount, funding.currency)} exceeds the ${formatMinor(remaining, funding.currency)} still unconfirmed on "${commitment.id}"`,
        );
      }
      const tranche = state.confirmations.filter((c) => c.commitment === commitment.id).length + 1;
      const confirmation: AgreementEvent = {
        ...base,
        type: 'funding-confirmed',
        commitment: commitment.id,
        tranche,
        amount,
        reference: command.args.reference,
      };
      const othersOutstanding = funding.commitments.some(
        (c) => c.id !== commitment.id && confirmedAmount(state, c.id) < c.amount,
      );
      // In active, a variation's commitment is being paid: the agreement stays where it is.
      const complete = amount === remaining && !othersOutstanding && state.stage === 'funding';
      return complete ? accept(confirmation, advance('funding', 'fully-funded')) : accept(confirmation);
    }
    case 'enrol': {
      const cohort = state.agreement.cohort;
      if (!cohort) return reject('cohort: the agreement has no cohort');
      const candidates = 'candidates' in command.args ? command.args.candidates : [command.args];
      const prefix = (index: number) => ('candidates' in command.args ? `candidates[${index}].` : '');
      const taken = new Set(state.candidates.map((c) => c.email));
      const partyIds = new Set(state.agreement.parties.map((p) => p.id));
      const errors: string[] = [];
      candidates.forEach((candidate, index) => {
        if (taken.has(candidate.email)) errors.push(`${prefix(index)}email: "${candidate.email}" is already enrolled`);
        taken.add(candidate.email);
        if (candidate.party && !partyIds.has(candidate.party)) {
          errors.push(`${prefix(index)}party: unknown party "${candidate.party}"`);
        }
      });
      if (errors.length) return reject(...errors);
      const total = state.candidates.length + candidates.length;
      if (total > cohort.capacity) {
        return reject(
          `cohort is full: capacity ${cohort.capacity}, ${state.candidates.length} enrolled, ${candidates.length} more requested`,
        );
      }
      return accept(
        ...candidates.map((candidate): AgreementEvent => ({
          ...base,
          type: 'enrolled',
          name: candidate.name,
          email: candidate.email,
          party: candidate.party,
          locale: candidate.locale,
        })),
      );
    }
    case 'withdraw': {
      if (!state.candidates.some((c) => c.email === command.args.candidate)) {
        return reject(`candidate: "${command.args.candidate}" is not enrolled`);
      }
      return accept({ ...base, type: 'withdrawn', email: command.args.candidate });
    }
    case 'launch':
    case 'autoLaunch': {
      const minimum = state.agreement.cohort?.minimum ?? 0;
      if (state.candidates.length < minimum) {
        return reject(`launch needs at least ${minimum} enrolled candidates (${state.candidates.length} enrolled)`);
      }
      const reason = command.name === 'launch' ? 'launched' : 'launched-automatically';
      return accept({ ...base, type: 'stage-changed', from: 'cohort', to: 'active', reason });
    }
    case 'renew': {
      const until = command.args.until;
      if (Date.parse(until) <= now) return reject(`until: must be in the future (got ${until})`);
      const current = state.agreement.term?.endsAt;
      if (current && Date.parse(until) <= Date.parse(current)) {
        return reject(`until: must be after the current end of term ${current}`);
      }
      return acceptIfValid(state, { ...base, type: 'renewed', until });
    }
    case 'fulfil': {
      const { obligation, reference } = command.args;
      if (!state.agreement.obligations.some((o) => o.id === obligation)) {
        const known = state.agreement.obligations.map((o) => o.id).join(', ') || 'none';
        return reject(`obligation: unknown obligation "${obligation}" (expected one of: ${known})`);
      }
      if (state.fulfilments.some((f) => f.obligation === obligation)) {
        return reject(`obligation: "${obligation}" is already fulfilled`);
      }
      const fulfilled: AgreementEvent = { ...base, type: 'fulfilled', obligation };
      if (reference !== undefined) fulfilled.reference = reference;
      return accept(fulfilled);
    }
    case 'addObligation': {
      const added: DocumentEvent = { ...base, type: 'obligation-added', obligation: command.args.obligation };
      const decision = acceptIfValid(state, added);
      if (decision.ok) return decision;
      // The new obligation is the last in the list: name its fields as the command's, and keep other complaints whole.
      const index = state.agreement.obligations.length;
      return reject(...decision.errors.map((error) => error.replace(`obligations[${index}]`, 'obligation')));
    }
    case 'vary':
      if (actsForThemself(state, actor)) {
        return reject(`vary: only a coordinator may propose a variation (${actor} is not one)`);
      }
      return decideVary(state, command.args, base, now);
    case 'withdrawVariation':
      if (actsForThemself(state, actor)) {
        return reject(`withdrawVariation: only a coordinator may withdraw a variation (${actor} is not one)`);
      }
      return decideWithdrawVariation(state, command.args, base);
    case 'complete':
      return accept(...withdrawnWithTheAgreement(state, base, 'the agreement was completed'), {
        ...base,
        type: 'stage-changed',
        from: 'active',
        to: 'completed',
        reason: 'completed',
      });
    case 'autoComplete':
      return accept(...withdrawnWithTheAgreement(state, base, 'the term ended'), {
        ...base,
        type: 'stage-changed',
        from: 'active',
        to: 'completed',
        reason: 'term-ended',
      });
    case 'cancel':
      return accept(...withdrawnWithTheAgreement(state, base, `the agreement was cancelled: ${command.args.reason}`), {
        ...base,
        type: 'stage-changed',
        from: state.stage,
        to: 'cancelled',
        reason: 'cancelled',
        detail: command.args.reason,
      });
  }
}
