import { describe, expect, it } from 'vitest';
import { currentDetails } from '../../src/domain/index.ts';
import { mou, startedState } from '../support/agreements.ts';
import { apply } from '../support/drive.ts';

const now = Date.parse('2026-11-28T12:00:00Z');
const day = 24 * 3600_000;

describe('the current details the Temporal UI shows', () => {
  it('names the next reminder, as the current details promise', () => {
    const details = currentDetails(apply(startedState(mou(now), now), 'submit', {}, now));
    expect(details).toContain('- **Stage:** signing');
    expect(details).toContain('- **Signatures:** 0 of 2');
    expect(details).toContain('- **Next reminder:** ceremony notice P14D at 14 Dec 2026, 20:00 CST (Nanjing)');
    expect(details).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(details).not.toContain('Next step');
  });

  it('leads with the title only for a run that has no summary of its own (after continue-as-new)', () => {
    const state = startedState(mou(now), now);
    expect(currentDetails(state)).not.toContain('Agreement:');
    expect(currentDetails(state, true).split('\n')[0]).toBe(`- **Agreement:** ${state.agreement.title}`);
  });

  it('says when no reminder is planned, and names an automatic step that comes first', () => {
    // The term ends in 10 days: every renewal notice's lead time has already passed.
    const document = { ...mou(now), term: { endsAt: new Date(now + 10 * day).toISOString() } };
    let state = apply(startedState(document, now), 'submit', {}, now);
    state = apply(state, 'sign', { signatory: 'vc-uob' }, now);
    state = apply(state, 'sign', { signatory: 'president-jitri' }, now);
    const details = currentDetails(state);
    expect(details).toContain('- **Stage:** active');
    expect(details).toContain('- **Next reminder:** none planned');
    expect(details).toMatch(/- \*\*Next step:\*\* .+ at 8 Dec 2026, 20:00 CST \(Nanjing\)$/m);
  });

  it('shows approvals n of m, and the next open obligation in a person’s time', () => {
    const document = {
      ...mou(now),
      term: { endsAt: new Date(now + 800 * day).toISOString() },
      approvals: [
        { id: 'legal', name: 'Legal Services', email: 'contracts@uob.example' },
        { id: 'finance', name: 'Research Finance', email: 'research-finance@uob.example' },
      ],
      obligations: [
        {
          id: 'report-2028',
          title: 'Annual report 2028',
          due: '2028-06-01T09:00:00Z',
          owner: { name: 'JITRI Programme Office', email: 'programme@jitri.example' },
        },
        {
          id: 'report-2027',
          title: 'Annual report 2027',
          due: '2027-06-01T09:00:00Z',
          owner: { name: 'JITRI Programme Office', email: 'programme@jitri.example' },
        },
      ],
    };
    let state = apply(startedState(document, now), 'submit', {}, now);
    state = apply(state, 'approve', { approver: 'legal' }, now);
    expect(currentDetails(state)).toContain('- **Approvals:** 1 of 2');
    expect(currentDetails(state)).toContain(
      '- **Obligations:** 2 open of 2; next Annual report 2027 due 1 Jun 2027, 17:00 CST (Nanjing)',
    );
    expect(currentDetails(startedState(mou(now), now))).not.toMatch(/Approvals|Obligations/);
  });
});
