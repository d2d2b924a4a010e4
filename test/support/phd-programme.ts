/** When the shared programme's moments fall, and its cohort minimum: the rest of the document is fixed. */
export interface ProgrammeMoments {
  ceremonyAt: string;
  launchAt?: string;
  termEndsAt?: string;
  /** When JITRI's commitment falls due, if it has a due date. */
  jitriDueAt?: string;
  cohortMinimum: number;
}

/** The reference partnership of the seed article: the UoB–JITRI joint PhD programme, as an agreement file. */
export function phdProgrammeDocument(moments: ProgrammeMoments): Record<string, unknown> {
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
    ceremony: { at: moments.ceremonyAt, venue: 'Nanjing', timezone: 'Asia/Shanghai' },
    funding: {
      currency: 'GBP',
      commitments: [
        {
          id: 'jitri-phd',
          funder: 'jitri',
          amount: 1350000,
          dueAt: moments.jitriDueAt,
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
      minimum: moments.cohortMinimum,
      launchAt: moments.launchAt,
      sites: ['Birmingham', 'Nanjing'],
    },
    term: moments.termEndsAt === undefined ? undefined : { endsAt: moments.termEndsAt },
  };
}
