import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

export const EXAMPLE_FILE = new URL('../../examples/uob-jitri-phd-programme.yaml', import.meta.url);

/** Seconds after the demo starts at which each dated thing happens. */
export const DEMO_SCHEDULE = {
  ceremony: 14,
  jitriFundingDue: 25,
  launch: 42,
  termEnd: 58,
} as const;

const at = (start: number, seconds: number) => new Date(start + seconds * 1000).toISOString();

/**
 * The UoB–JITRI PhD programme with every date moved into the next minute and second-scale reminders, so one run
 * shows notices, chases, escalations, an automatic launch and the end of term.
 */
export async function compressedPhdProgramme(start: number, id: string): Promise<Record<string, unknown>> {
  const example = parse(await readFile(EXAMPLE_FILE, 'utf8')) as Record<string, unknown> & {
    ceremony: Record<string, unknown>;
    funding: { commitments: Record<string, unknown>[] };
    cohort: Record<string, unknown>;
  };
  const [jitri, ...others] = example.funding.commitments;
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
    reminders: {
      ceremonyNotice: ['PT10S', 'PT4S'],
      signatureChase: { every: 'PT3S', escalateAfter: 1 },
      fundingChase: { every: 'PT4S', escalateAfter: 2 },
      launchNotice: ['PT8S', 'PT3S'],
      renewalNotice: ['PT5S'],
    },
  };
}
