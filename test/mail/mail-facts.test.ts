import { describe, expect, it } from 'vitest';
import { agreementFacts, factsForMail, NOTIFICATION_KINDS } from '../../src/domain/index.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { FROM, sampleOfEveryKind, STATES } from './support/reference-agreement.ts';

const samples = sampleOfEveryKind();

describe('the facts a mail carries (factsForMail)', () => {
  it('render every kind exactly as the full facts do, at every stage of the reference agreement', () => {
    for (const kind of NOTIFICATION_KINDS) {
      const sample = samples[kind];
      for (const [stage, state] of Object.entries(STATES)) {
        const facts = agreementFacts(state());
        const full = renderNotification({ ...sample, facts }, { from: FROM });
        const lean = renderNotification({ ...sample, facts: factsForMail(kind, facts) }, { from: FROM });
        expect(lean, `${kind} at ${stage}`).toEqual(full);
      }
    }
  });

  it('leave out what a kind does not show, so its activity input is smaller', () => {
    const facts = agreementFacts(STATES.active());
    const size = (kind: (typeof NOTIFICATION_KINDS)[number]) => JSON.stringify(factsForMail(kind, facts)).length;
    expect(size('enrolled')).toBeLessThan(JSON.stringify(facts).length * 0.75);
    expect(factsForMail('enrolled', facts)).toMatchObject({ signatures: [], funding: null, cohort: facts.cohort });
    expect(factsForMail('completed', facts)).toMatchObject({
      signatures: facts.signatures,
      funding: facts.funding,
      term: null,
    });
  });
});
