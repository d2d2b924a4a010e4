import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

export const EXAMPLE_FILE = new URL('../../../examples/uob-jitri-phd-programme.yaml', import.meta.url);

/** Seconds after the demo starts at which each dated thing happens. */
export const DEMO_SCHEDULE = {
  ceremony: 14,
  jitriFundingDue: 25,
  launch: 42,
  obligationDue: 50,
  termEnd: 58,
} as const;

const at = (start: number, seconds: number) => new Date(start + seconds * 1000).toISOString();

/**
 * The UoB–JITRI PhD programme with every date moved into the next minute and second-scale reminders, so one run
 * shows approvals, notices, chases, escalations, an automatic launch, an obligation falling due and the end of term.
 */
export async function compressedPhdProgramme(start: number, id: string): Promise<Record<string, unknown>> {
  const example = parse(await readFile(EXAMPLE_FILE, 'utf8')) as Record<string, unknown> & {
    ceremony: Record<string, unknown>;
    funding: { commitments: Record<string, unknown>[] };
    cohort: Record<string, unknown>;
    obligations: Record<string, unknown>[];
  };
  const [jitri, ...others] = example.funding.commitments;
  // The first cohort review falls due while the compressed programme runs; the later ones would be after its term.
  const [review] = example.obligations;
  return {
    ...example,
    id,
    ceremony: { ...example.ceremony, at: at(start, DEMO_SCHEDULE.ceremony) },
    funding: {
      ...example.funding,
      commitments: [{ ...jitri, dueAt: at(start, DEMO_SCHEDULE.jitriFundingDue) }, ...others],
    },
    cohort: { ...example.cohort, launchAt: at(start, DEMO_SCHEDULE.launch) },
    term: { endsAt: at(start, DEMO_SCHEDULE.termEnd) },
    approvalChase: { every: 'PT20S', escalateAfter: 1 },
    obligations: [{ ...review, due: at(start, DEMO_SCHEDULE.obligationDue), notice: ['PT5S'] }],
    obligationChase: { every: 'PT4S' },
    reminders: {
      ceremonyNotice: ['PT10S', 'PT4S'],
      signatureChase: { every: 'PT3S', escalateAfter: 1 },
      fundingChase: { every: 'PT4S', escalateAfter: 2 },
      launchNotice: ['PT8S', 'PT3S'],
      renewalNotice: ['PT5S'],
    },
  };
}
