import { phdProgrammeDocument } from './phd-programme.ts';
import { initialState, parseAgreement, evolve, type Agreement, type AgreementState } from '../../src/domain/index.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export interface Timing {
  /** Ceremony this long after `now`. */
  ceremonyInMs?: number;
  launchInMs?: number;
  termInMs?: number;
}

/** The UoB–JITRI PhD programme with its dates moved relative to `now`, and second-scale reminders. */
export function phdProgramme(
  now: number,
  timing: Timing = {},
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const ceremonyAt = now + (timing.ceremonyInMs ?? 30 * 24 * 3600_000);
  return {
    ...phdProgrammeDocument({
      ceremonyAt: iso(ceremonyAt),
      launchAt: timing.launchInMs === undefined ? undefined : iso(now + timing.launchInMs),
      termEndsAt: timing.termInMs === undefined ? undefined : iso(now + timing.termInMs),
      cohortMinimum: 2,
    }),
    ...overrides,
  };
}

/** A memorandum of understanding: no funding, no cohort. */
export function mou(now: number, id = 'uob-nblsri-mou'): Record<string, unknown> {
  const document = phdProgramme(
    now,
    {},
    { id, kind: 'mou', title: 'MoU with Nanjing Borui Life Science Research Institute' },
  );
  delete document.funding;
  delete document.cohort;
  return document;
}

export function parsed(document: Record<string, unknown>): Agreement {
  const result = parseAgreement(document);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.value;
}

/** A started agreement's state, for pure tests. */
export function startedState(document: Record<string, unknown>, now: number): AgreementState {
  const start = initialState(document, parsed(document), now);
  return evolve(start.state, start.events);
}
