import { z } from 'zod';
import { agreementSchemas } from './agreement.ts';
import { inClosure } from './closure.ts';
import { fields } from './fields.ts';
import { STAGES, type AgreementState } from './state.ts';
import { VARIATION_STATUSES } from './variations.ts';
import { formatPath, parseWith, type Result } from './validation.ts';

/**
 * The shape of the carried state this build writes. A run may continue as new onto another build (spec §19), so each
 * build reads its own shape and the one before it: version 1 had no `schemaVersion` field. A build that changes the
 * shape raises the number and keeps reading the previous one; the build before it must already read the new one for a
 * rollback to stay possible (docs/operations.md).
 */
export const CARRIED_SCHEMA_VERSION = 3;
/** Version 2 lacked `variations` and `fundingRequests` (both optional here), so its states read as they are. */
const PREVIOUS_SCHEMA_VERSION = 2;

/** What a run hands to the next one when it continues as new. */
export interface CarriedState {
  schemaVersion: typeof CARRIED_SCHEMA_VERSION;
  state: AgreementState;
  appliedRequestIds: string[];
}

/** How many applied request ids a run remembers (and so carries). */
export const REMEMBERED_REQUEST_IDS = 1_000;

/**
 * The schema of a carried state. The agreement is not taken from it as written: it is the agreement the carried
 * document parses to, as every event that changes the document derives it (`evolve`), so a carried state cannot hold
 * an agreement its own document would not give.
 */
function buildCarriedSchema() {
  const { identifier, instant, email, locale } = fields();
  const name = z.string().min(1).max(2_000);
  const count = z.number().int().nonnegative();
  const signature = z.strictObject({
    signatory: identifier,
    signedAt: instant,
    documentSha256: z.string().max(64).optional(),
    // Absent from states carried by runs older than documents and certificates.
    documents: z.array(z.strictObject({ id: identifier, sha256: z.string().max(64) })).optional(),
    sequence: count.optional(),
    proof: name.optional(),
  });
  const approval = z.strictObject({
    approver: identifier,
    approvedAt: instant,
    note: name.optional(),
    sequence: count.optional(),
    proof: name.optional(),
  });
  const variation = z.strictObject({
    id: identifier,
    reason: name,
    patch: z.record(z.string(), z.unknown()),
    status: z.enum(VARIATION_STATUSES),
    proposedAt: instant,
    proposedBy: name,
    statusAt: instant,
    sequence: count,
    approvals: z.array(approval),
    signatures: z.array(signature),
    withdrawnReason: name.optional(),
  });
  const state = z.strictObject({
    document: z.record(z.string(), z.unknown()),
    agreement: z.record(z.string(), z.unknown()),
    stage: z.enum(STAGES),
    startedAt: instant,
    updatedAt: instant,
    stageEnteredAt: instant,
    ceremonyScheduledAt: instant.optional(),
    ceremonySequence: count,
    termSetAt: instant.optional(),
    signatures: z.array(signature),
    confirmations: z.array(
      z.strictObject({
        commitment: identifier,
        tranche: count,
        amount: z.number().int().positive(),
        reference: name.optional(),
        at: instant,
      }),
    ),
    candidates: z.array(
      z.strictObject({ name, email, party: identifier.optional(), locale: locale.optional(), enrolledAt: instant }),
    ),
    // Absent from states carried by runs older than approvals and obligations (see withCurrentShape).
    approvals: z.array(approval).optional(),
    approvalRound: count.optional(),
    approvedAt: instant.optional(),
    fulfilments: z
      .array(z.strictObject({ obligation: identifier, fulfilledAt: instant, reference: name.optional() }))
      .optional(),
    obligationsAddedAt: z.record(identifier, instant).optional(),
    // Absent from states carried by runs older than decline, replacements and deadlines.
    signingRound: count.optional(),
    replacedAt: z.record(z.string().regex(/^(signatory|approver):[a-z0-9-]{1,64}$/), instant).optional(),
    deadlineExtension: z.strictObject({ until: instant, at: instant }).optional(),
    // Absent from states carried by runs older than variations (SPEC 18).
    variations: z.array(variation).optional(),
    fundingRequests: z.record(identifier, z.strictObject({ variation: identifier, at: instant })).optional(),
    cancelReason: name.optional(),
    eventCount: count,
    notified: z.array(z.string().max(1_000)),
  });
  const appliedRequestIds = z.array(z.string()).max(REMEMBERED_REQUEST_IDS);
  return {
    current: z.strictObject({
      schemaVersion: z.union([z.literal(CARRIED_SCHEMA_VERSION), z.literal(PREVIOUS_SCHEMA_VERSION)], {
        message: `must be ${PREVIOUS_SCHEMA_VERSION} or ${CARRIED_SCHEMA_VERSION} (this build reads those)`,
      }),
      state,
      appliedRequestIds,
    }),
    // Version 1, written by builds before schema versions: the same fields without the number.
    version1: z.strictObject({ state, appliedRequestIds }),
  };
}

const carriedSchemas = inClosure(buildCarriedSchema());

/** A carried state that names a version is read by that version's schema; one that names none is version 1. */
function parseShape(input: unknown) {
  const { current, version1 } = carriedSchemas();
  const namesVersion = typeof input === 'object' && input !== null && 'schemaVersion' in input;
  return namesVersion ? parseWith(current, input, ['carried']) : parseWith(version1, input, ['carried']);
}

/**
 * A carried state of this build's shape or the one before, validated and brought to this build's shape: by a run that continued as new (its previous run's `carried()`) and, with the same
 * schema, by anything else that offers one (which the workflow then refuses). Errors name the field path.
 */
export function parseCarried(input: unknown): Result<CarriedState> {
  const parsed = parseShape(input);
  if (!parsed.ok) return parsed;
  const { state, appliedRequestIds } = parsed.value;
  const agreement = parseWith(agreementSchemas().agreement, state.document, ['carried', 'state', 'document']);
  if (!agreement.ok) return agreement;
  const problems: string[] = [];
  if (state.agreement.id !== agreement.value.id) {
    problems.push(`${formatPath(['carried', 'state', 'agreement', 'id'])}: must be the document's id`);
  }
  if (problems.length > 0) return { ok: false, errors: problems };
  return {
    ok: true,
    value: {
      schemaVersion: CARRIED_SCHEMA_VERSION,
      state: { ...state, agreement: agreement.value } as AgreementState,
      appliedRequestIds,
    },
  };
}
