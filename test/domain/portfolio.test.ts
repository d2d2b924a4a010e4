import { describe, expect, it } from 'vitest';
import { agreementView, datedItems, digestSnapshot, portfolio, type DigestSource } from '../../src/domain/index.ts';
import { mou, phdProgramme, startedState } from '../support/agreements.ts';
import { apply } from '../support/drive.ts';

const DAY = 86_400_000;
const now = Date.parse('2026-12-07T08:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const office = { name: 'Partnerships Office', email: 'Office@UoB.example', timezone: 'Europe/London' };
const other = { name: 'JITRI Programme Office', email: 'programme@jitri.example', timezone: 'Asia/Shanghai' };

const programme = () =>
  startedState(
    phdProgramme(now, { ceremonyInMs: 20 * DAY, launchInMs: 200 * DAY, termInMs: 900 * DAY }, { id: 'pf-phd' }),
    now,
  );

describe('the dated things of an agreement (SPEC 17)', () => {
  it('one per ceremony, launch and term end, each with a stable UID; a reschedule moves the ceremony and raises its SEQUENCE', () => {
    const submitted = apply(programme(), 'submit', {}, now);
    const before = datedItems(agreementView(submitted));
    expect(before.map((item) => item.uid)).toEqual([
      'ceremony.pf-phd@calendar.agreements.local',
      'launch.pf-phd@calendar.agreements.local',
      'term-end.pf-phd@calendar.agreements.local',
    ]);
    const moved = apply(submitted, 'reschedule', { at: iso(now + 25 * DAY) }, now + DAY);
    const after = datedItems(agreementView(moved));
    const ceremony = (items: typeof before) => items.find((item) => item.what === 'ceremony');
    expect(ceremony(after)?.uid).toBe(ceremony(before)?.uid);
    expect(ceremony(after)?.at).toBe(iso(now + 25 * DAY));
    expect(ceremony(after)?.sequence).toBeGreaterThan(ceremony(before)?.sequence ?? Infinity);
    // Every other date's SEQUENCE follows the agreement's accepted events, which never fall.
    expect(after[1]?.sequence).toBeGreaterThan(before[1]?.sequence ?? Infinity);
    // Deterministic: the same state gives the same items.
    expect(datedItems(agreementView(moved))).toEqual(after);
  });

  it('a cancelled agreement’s dates stay, marked cancelled; a confirmed commitment is done', () => {
    const document = phdProgramme(now, { ceremonyInMs: 20 * DAY }, { id: 'pf-fund' });
    (document.funding as { commitments: { dueAt?: string }[] }).commitments[0] = {
      ...(document.funding as { commitments: object[] }).commitments[0],
      dueAt: iso(now + 40 * DAY),
    };
    let state = apply(startedState(document, now), 'submit', {}, now);
    state = apply(state, 'sign', { signatory: 'vc-uob' }, now);
    state = apply(state, 'sign', { signatory: 'president-jitri' }, now);
    state = apply(state, 'confirmFunding', { commitment: 'jitri-phd', amount: 1350000 }, now);
    const funding = datedItems(agreementView(state)).find((item) => item.what === 'funding-due');
    expect(funding).toMatchObject({ uid: 'funding-jitri-phd.pf-fund@calendar.agreements.local', done: true });
    const cancelled = apply(state, 'cancel', { reason: 'Partner withdrew' }, now + DAY);
    expect(datedItems(agreementView(cancelled)).every((item) => item.cancelled)).toBe(true);
  });
});

describe('a coordinator’s portfolio', () => {
  const source = (state: ReturnType<typeof programme>): DigestSource => digestSnapshot(state, now);

  it('holds only the agreements the coordinator coordinates (emails compared without case), with totals per currency', () => {
    const mine = startedState(phdProgramme(now, {}, { id: 'pf-a', coordinators: [office] }), now);
    const theirs = startedState(phdProgramme(now, {}, { id: 'pf-b', coordinators: [other] }), now);
    const shared = startedState({ ...mou(now, 'pf-c'), coordinators: [other, office] }, now);
    const result = portfolio([source(theirs), source(shared), source(mine)], 'office@uob.example', iso(now));
    expect(result.agreements.map((a) => a.id)).toEqual(['pf-a', 'pf-c']);
    expect(result.coordinator?.timezone).toBe('Europe/London');
    expect(result.totals).toEqual([{ currency: 'GBP', required: 2_700_000, confirmed: 0 }]);
    expect(result.agreements[0]?.coming.map((item) => item.what)).toEqual(['ceremony']);
    expect(result.agreements[0]?.milestones).toEqual([{ what: 'started', at: iso(now) }]);
    expect(portfolio([source(theirs)], 'office@uob.example', iso(now)).agreements).toEqual([]);
  });
});
