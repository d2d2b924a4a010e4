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

/** The stage after each of those commands (test/workflows/lifecycle.test.ts). */
export const PROGRAMME_STAGES = [
  'signing',
  'signing',
  'funding',
  'funding',
  'funding',
  'cohort',
  'cohort',
  'cohort',
  'active',
  'completed',
];

/**
 * The 27 notifications (spec §5, and §18's certificate), by key, of the programme driven from draft to completed with the commands of
 * test/workflows/lifecycle.test.ts: two signatures, JITRI's funding in two tranches and UoB's in one, two candidates.
 */
export function programmeMailKeys(id: string): string[] {
  return [
    `started:${id}:partnerships@uob.example`,
    'invitation:1:vc@uob.example',
    'invitation:1:president@jitri.example',
    'invitation:1:partnerships@uob.example',
    'signature-recorded:vc-uob:partnerships@uob.example',
    'signature-recorded:president-jitri:partnerships@uob.example',
    // The last signature is event 5 of the run: its stage change carries the certificate of completion.
    'completion-certificate:5:partnerships@uob.example',
    'completion-certificate:5:vc@uob.example',
    'completion-certificate:5:president@jitri.example',
    'funding-request:jitri-phd:finance@jitri.example',
    'funding-request:uob-phd:finance@uob.example',
    'funding-confirmed:jitri-phd-tranche-1:partnerships@uob.example',
    'funding-confirmed:jitri-phd-tranche-1:finance@jitri.example',
    'funding-confirmed:jitri-phd-tranche-2:partnerships@uob.example',
    'funding-confirmed:jitri-phd-tranche-2:finance@jitri.example',
    'funding-confirmed:uob-phd-tranche-1:partnerships@uob.example',
    'funding-confirmed:uob-phd-tranche-1:finance@uob.example',
    `enrolled:${id}:li.wei@jitri.example`,
    `enrolled:${id}:amy.jones@uob.example`,
    `welcome:${id}:li.wei@jitri.example`,
    `welcome:${id}:amy.jones@uob.example`,
    `launched:${id}:partnerships@uob.example`,
    `launched:${id}:vc@uob.example`,
    `launched:${id}:president@jitri.example`,
    `completed:${id}:vc@uob.example`,
    `completed:${id}:president@jitri.example`,
    `completed:${id}:partnerships@uob.example`,
  ].sort();
}
