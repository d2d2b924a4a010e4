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
    id: 'uob-jitri-phd-programme',
    title: 'UoB–JITRI joint PhD researcher programme',
    kind: 'phd-programme',
    summary: 'Joint PhD programme for JITRI researchers, split between Birmingham and Nanjing.',
    coordinators: [{ name: 'Partnerships Office', email: 'partnerships@uob.example', timezone: 'Europe/London' }],
    parties: [
      { id: 'uob', name: 'University of Birmingham', timezone: 'Europe/London' },
      { id: 'jitri', name: 'Jiangsu Industry Technology Research Institute', timezone: 'Asia/Shanghai' },
    ],
    signatories: [
      {
        id: 'vc-uob',
        name: 'Professor Adam Tickell',
        title: 'Vice Chancellor & Principal',
        party: 'uob',
        email: 'vc@uob.example',
      },
      {
        id: 'president-jitri',
        name: 'Professor Qing Liu',
        title: 'President',
        party: 'jitri',
        email: 'president@jitri.example',
      },
    ],
    ceremony: { at: iso(ceremonyAt), venue: 'Nanjing', timezone: 'Asia/Shanghai' },
    funding: {
      currency: 'GBP',
      commitments: [
        {
          id: 'jitri-phd',
          funder: 'jitri',
          amount: 1350000,
          contact: { name: 'JITRI Finance', email: 'finance@jitri.example' },
        },
        {
          id: 'uob-phd',
          funder: 'uob',
          amount: 1350000,
          contact: { name: 'UoB Research Finance', email: 'finance@uob.example' },
        },
      ],
    },
    cohort: {
      capacity: 12,
      minimum: 2,
      ...(timing.launchInMs !== undefined ? { launchAt: iso(now + timing.launchInMs) } : {}),
      sites: ['Birmingham', 'Nanjing'],
    },
    ...(timing.termInMs !== undefined ? { term: { endsAt: iso(now + timing.termInMs) } } : {}),
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
