import { describe, expect, it } from 'vitest';
import type { ListedAgreement } from '../../src/client/agreements-client.ts';
import { describeAgreement, describeList } from '../../src/client/describe.ts';
import { localTime } from '../../src/client/human-times.ts';
import { agreementView } from '../../src/domain/index.ts';
import { mou, startedState } from '../support/agreements.ts';
import { apply } from '../support/drive.ts';

const listed: ListedAgreement = {
  id: 'uob-jitri-phd-programme',
  workflowId: 'agreement-uob-jitri-phd-programme',
  status: 'RUNNING',
  stage: 'signing',
  kind: 'phd-programme',
  parties: ['uob', 'jitri'],
  ceremonyAt: '2027-01-15T02:00:00.000Z',
  nextReminderAt: '2027-07-01T08:30:00.000Z',
  nextObligationDue: null,
  title: 'UoB–JITRI joint PhD researcher programme',
  startedAt: '2026-11-29T10:00:00.000Z',
};

describe('agreements list, as a table', () => {
  it('shows times in the reader’s timezone, naming the zone', () => {
    expect(localTime('2027-01-15T02:00:00.000Z', 'Europe/London')).toBe('15 Jan 2027, 02:00 GMT');
    expect(localTime('2027-07-01T08:30:00.000Z', 'Europe/London')).toBe('1 Jul 2027, 09:30 BST');
    expect(localTime('2027-01-15T02:00:00.000Z', 'Asia/Shanghai')).toBe('15 Jan 2027, 10:00 CST');
  });

  it('puts each agreement on one row, with blanks where visibility has no value', () => {
    const table = describeList(
      [listed, { ...listed, id: 'mou-sydii', stage: 'draft', ceremonyAt: null, nextReminderAt: null, title: null }],
      'Europe/London',
    );
    const [header, first, second] = table.split('\n');
    expect(header).toMatch(/^ID\s+STAGE\s+KIND\s+CEREMONY\s+NEXT REMINDER\s+NEXT OBLIGATION\s+TITLE$/);
    expect(first).toMatch(
      /^uob-jitri-phd-programme\s+signing\s+phd-programme\s+15 Jan 2027, 02:00 GMT\s+1 Jul 2027, 09:30 BST\s+UoB–JITRI/,
    );
    expect(second).toMatch(/^mou-sydii\s+draft\s+phd-programme$/);
  });
});

describe('agreements show, as text', () => {
  it('gives the ceremony in its own timezone, and the signature and next reminder in the reader’s', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    let state = apply(startedState(mou(now), now), 'submit', {}, now);
    state = apply(state, 'sign', { signatory: 'vc-uob', at: '2026-11-28T12:00:00Z' }, now);
    const view = agreementView(state);
    const text = describeAgreement(view, 'Europe/London');
    expect(text).toMatch(/ceremony: {4}\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d CST \(Nanjing\) \(Asia\/Shanghai\)\n/);
    expect(text).toContain('✓ vc-uob (Professor Adam Tickell) signed 28 Nov 2026, 12:00 GMT');
    expect(text).toContain(`  next:        reminder at ${localTime(view.nextReminderAt ?? '', 'Europe/London')}`);
    expect(text).toMatch(/reminder at \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d GMT\n/);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\d/);
    expect(text).not.toContain('deadline:');
  });

  it('gives the current stage’s deadline in the reader’s time', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    const document = { ...mou(now), deadlines: { signing: 'P45D' } };
    const view = agreementView(apply(startedState(document, now), 'submit', {}, now));
    const text = describeAgreement(view, 'Europe/London');
    expect(text).toContain(
      `  deadline:    signing by ${localTime(view.deadline?.at ?? '', 'Europe/London')} (then cancelled)`,
    );
  });
});
