import { z } from 'zod';
import { fields, LIMITS, text } from './fields.ts';
import { inClosure } from './closure.ts';

export const KINDS = ['phd-programme', 'research-funding', 'mou', 'other'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The agreement's schemas (kept in a closure: see closure.ts). */
function buildAgreementSchemas() {
  const { amountInMinorUnits, currency, duration, email, identifier, instant, language, locale, sha256, timezone } =
    fields();

  const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day like 09:00');

  const coordinatorSchema = z.strictObject({
    name: text(),
    email,
    timezone: timezone.optional(),
    locale: locale.optional(),
  });
  const partySchema = z.strictObject({ id: identifier, name: text(), timezone });
  const signatorySchema = z.strictObject({
    id: identifier,
    name: text(),
    title: text().optional(),
    party: identifier,
    email,
    timezone: timezone.optional(),
    locale: locale.optional(),
  });
  const contactSchema = z.strictObject({
    name: text(),
    email,
    timezone: timezone.optional(),
    locale: locale.optional(),
  });
  const approverSchema = z.strictObject({
    id: identifier,
    name: text(),
    email,
    timezone: timezone.optional(),
    locale: locale.optional(),
  });
  /** One document of the agreement's text, identified by its current version's SHA-256 (the file stays with the office). */
  const documentSchema = z.strictObject({ id: identifier, title: text(), sha256, language: language.optional() });
  const commitmentSchema = z.strictObject({
    id: identifier,
    funder: identifier,
    amount: amountInMinorUnits,
    dueAt: instant.optional(),
    contact: contactSchema,
  });

  const chasePolicy = (every: string, escalateAfter: number) =>
    z
      .strictObject({
        every: duration.optional(),
        escalateAfter: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100).optional(),
      })
      .transform((value) => ({
        every: value.every ?? parseDefault(every),
        escalateAfter: value.escalateAfter ?? escalateAfter,
      }));

  const leads = (defaults: string[]) =>
    z
      .array(duration)
      .max(LIMITS.reminderLeads, `must list at most ${LIMITS.reminderLeads} reminders`)
      .optional()
      .transform((value) => value ?? defaults.map(parseDefault));

  const obligationSchema = z.strictObject({
    id: identifier,
    title: text(),
    due: instant,
    owner: contactSchema,
    notice: leads(['P30D', 'P7D']),
  });
  /** The chase policies an agreement without its own gets (also given to states carried from before they existed). */
  const chaseDefaults = {
    approvalChase: { every: parseDefault('P3D'), escalateAfter: 2 },
    obligationChase: { every: parseDefault('P7D') },
  };
  const obligationChase = z
    .strictObject({ every: duration.optional() })
    .transform((value) => ({ every: value.every ?? chaseDefaults.obligationChase.every }));

  function parseDefault(iso: string) {
    const parsed = duration.safeParse(iso);
    if (!parsed.success) throw new Error(`bad default duration ${iso}`);
    return parsed.data;
  }

  const remindersSchema = z
    .strictObject({
      ceremonyNotice: leads(['P14D', 'P7D', 'P1D']),
      signatureChase: chasePolicy('P2D', 3).optional(),
      fundingChase: chasePolicy('P7D', 3).optional(),
      launchNotice: leads(['P30D', 'P7D']),
      renewalNotice: leads(['P180D', 'P90D', 'P30D']),
      workingHours: z
        .strictObject({
          start: clock,
          end: clock,
          days: z
            .array(z.enum(WEEKDAYS))
            .min(1, 'must name at least one day')
            .default(['mon', 'tue', 'wed', 'thu', 'fri']),
        })
        .refine((hours) => hours.start < hours.end, { message: 'start must be before end', path: ['end'] })
        .optional(),
    })
    .transform((value) => ({
      ...value,
      signatureChase: value.signatureChase ?? { every: parseDefault('P2D'), escalateAfter: 3 },
      fundingChase: value.fundingChase ?? { every: parseDefault('P7D'), escalateAfter: 3 },
    }));

  const agreementSchema = z
    .strictObject({
      id: identifier.min(3, 'must be at least 3 characters'),
      title: text(),
      kind: z.enum(KINDS, { message: `must be one of ${KINDS.join(', ')}` }),
      summary: text(LIMITS.longText).optional(),
      coordinators: z
        .array(coordinatorSchema)
        .min(1, 'must list at least one coordinator')
        .max(LIMITS.coordinators, `must list at most ${LIMITS.coordinators} coordinators`),
      parties: z
        .array(partySchema)
        .min(2, 'must list at least two parties')
        .max(LIMITS.parties, `must list at most ${LIMITS.parties} parties`),
      signatories: z
        .array(signatorySchema)
        .min(1, 'must list at least one signatory')
        .max(LIMITS.signatories, `must list at most ${LIMITS.signatories} signatories`),
      ceremony: z.strictObject({ at: instant, venue: text(), timezone }).optional(),
      funding: z
        .strictObject({
          currency,
          commitments: z
            .array(commitmentSchema)
            .min(1, 'must list at least one commitment')
            .max(LIMITS.commitments, `must list at most ${LIMITS.commitments} commitments`),
        })
        .optional(),
      cohort: z
        .strictObject({
          capacity: z
            .number()
            .int('must be a whole number')
            .min(1, 'must be at least 1')
            .max(LIMITS.capacity, `must be at most ${LIMITS.capacity}`),
          minimum: z.number().int('must be a whole number').min(0, 'must not be negative'),
          launchAt: instant.optional(),
          sites: z.array(text()).min(1, 'must list at least one site').max(20, 'must list at most 20 sites'),
        })
        .refine((cohort) => cohort.minimum <= cohort.capacity, {
          message: 'must not exceed capacity',
          path: ['minimum'],
        })
        .optional(),
      term: z.strictObject({ endsAt: instant }).optional(),
      reminders: remindersSchema.optional(),
      approvals: z
        .array(approverSchema)
        .max(LIMITS.approvers, `must list at most ${LIMITS.approvers} approvers`)
        .optional(),
      approvalChase: chasePolicy(
        chaseDefaults.approvalChase.every.iso,
        chaseDefaults.approvalChase.escalateAfter,
      ).optional(),
      obligations: z
        .array(obligationSchema)
        .max(LIMITS.obligations, `must list at most ${LIMITS.obligations} obligations`)
        .optional(),
      obligationChase: obligationChase.optional(),
      /** How long approval may take from entering it, and signing from the ceremony time; at the deadline it is cancelled. */
      deadlines: z.strictObject({ approval: duration.optional(), signing: duration.optional() }).optional(),
      /** Where listed, every signature quotes each one's current SHA-256 (SPEC 18). */
      documents: z
        .array(documentSchema)
        .max(LIMITS.documents, `must list at most ${LIMITS.documents} documents`)
        .optional(),
    })
    .superRefine((agreement, ctx) => {
      const partyIds = new Set(agreement.parties.map((party) => party.id));
      const unknownParty = (path: (string | number)[], id: string) =>
        ctx.addIssue({ code: 'custom', path, message: `unknown party "${id}"` });
      reportDuplicates(
        agreement.parties.map((p) => p.id),
        'parties',
        'id',
        ctx,
      );
      reportDuplicates(
        agreement.signatories.map((s) => s.id),
        'signatories',
        'id',
        ctx,
      );
      reportDuplicates(
        agreement.signatories.map((s) => s.email),
        'signatories',
        'email',
        ctx,
      );
      agreement.signatories.forEach((signatory, index) => {
        if (!partyIds.has(signatory.party)) unknownParty(['signatories', index, 'party'], signatory.party);
      });
      if (agreement.funding) {
        reportDuplicates(
          agreement.funding.commitments.map((c) => c.id),
          'funding.commitments',
          'id',
          ctx,
        );
        agreement.funding.commitments.forEach((commitment, index) => {
          if (!partyIds.has(commitment.funder)) {
            unknownParty(['funding', 'commitments', index, 'funder'], commitment.funder);
          }
        });
      }
      const approvals = agreement.approvals ?? [];
      const obligations = agreement.obligations ?? [];
      const unique: [string[], string, string][] = [
        [approvals.map((a) => a.id), 'approvals', 'id'],
        [approvals.map((a) => a.email), 'approvals', 'email'],
        [obligations.map((o) => o.id), 'obligations', 'id'],
        [(agreement.documents ?? []).map((d) => d.id), 'documents', 'id'],
      ];
      for (const [values, list, field] of unique) reportDuplicates(values, list, field, ctx);
      const endsAt = agreement.term?.endsAt;
      obligations.forEach((obligation, index) => {
        if (endsAt && Date.parse(obligation.due) > Date.parse(endsAt)) {
          ctx.addIssue({
            code: 'custom',
            path: ['obligations', index, 'due'],
            message: `must not be after the end of term (${endsAt})`,
          });
        }
      });
    })
    .transform((agreement) => ({
      ...agreement,
      reminders: agreement.reminders ?? remindersSchema.parse({}),
      approvals: agreement.approvals ?? [],
      approvalChase: agreement.approvalChase ?? chaseDefaults.approvalChase,
      obligations: agreement.obligations ?? [],
      obligationChase: agreement.obligationChase ?? chaseDefaults.obligationChase,
      documents: agreement.documents ?? [],
    }));

  const candidateSchema = z.strictObject({
    name: text(),
    email,
    party: identifier.optional(),
    locale: locale.optional(),
  });

  return { agreement: agreementSchema, candidate: candidateSchema, chaseDefaults };
}

export const agreementSchemas = inClosure(buildAgreementSchemas());
type AgreementSchemas = ReturnType<typeof buildAgreementSchemas>;

function reportDuplicates(values: string[], list: string, field: string, ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) {
      ctx.addIssue({
        code: 'custom',
        path: [...list.split('.'), index, field],
        message: `duplicate ${field} "${value}"`,
      });
    }
    seen.add(value);
  });
}

/** The agreement as written in the file (amounts in major units, durations as text). */
export type AgreementDocument = z.input<AgreementSchemas['agreement']>;
/** The validated agreement: amounts in minor units, durations parsed, emails lower-cased, defaults applied. */
export type Agreement = z.output<AgreementSchemas['agreement']>;
export type Party = Agreement['parties'][number];
export type Signatory = Agreement['signatories'][number];
export type Commitment = NonNullable<Agreement['funding']>['commitments'][number];
export type ReminderPolicy = Agreement['reminders'];
export type Approver = Agreement['approvals'][number];
export type Obligation = Agreement['obligations'][number];
export type AgreementDocumentVersion = Agreement['documents'][number];
/** One obligation as written in a file (what `add-obligation --file` reads). */
export type ObligationDocument = NonNullable<AgreementDocument['obligations']>[number];

export type CandidateInput = z.output<AgreementSchemas['candidate']>;
