import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CARRIED_SCHEMA_VERSION, parseCarried } from '../../src/domain/index.ts';
import { mou, phdProgramme, startedState } from '../support/agreements.ts';
import { apply } from '../support/drive.ts';
import { forgedCarriedState } from '../support/forged.ts';

const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * A carried state as the builds before schema versions wrote it (version 1): the continue-as-new input of
 * test/histories/phd-programme-after-continue-as-new.json as that code recorded it (commit 37b0c50), before the
 * history was re-recorded with version 2.
 */
const recordedVersion1 = JSON.parse(
  readFileSync(new URL('./fixtures/carried-v1.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('carried-state schema versions (a run may continue as new onto another build)', () => {
  it('reads the shape the previous build carried, bringing it to this shape', () => {
    expect(recordedVersion1).not.toHaveProperty('schemaVersion');
    const parsed = parseCarried(recordedVersion1);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    expect(parsed.value.schemaVersion).toBe(CARRIED_SCHEMA_VERSION);
    expect(parsed.value.state.stage).toBe('funding');
    expect(parsed.value.appliedRequestIds).toEqual(recordedVersion1.appliedRequestIds);
  });

  it('reads its own shape, and refuses a version it does not know, naming it', () => {
    const carried = roundTrip(forgedCarriedState('carried-v3'));
    expect(carried.schemaVersion).toBe(3);
    expect(parseCarried(carried).ok).toBe(true);
    // Version 2 (before variations) is the same shape without them: read, and brought to this build's version.
    const previous = parseCarried({ ...carried, schemaVersion: 2 });
    expect(previous.ok && previous.value.schemaVersion).toBe(3);
    const newer = parseCarried({ ...carried, schemaVersion: 4 });
    expect(newer).toMatchObject({ ok: false, errors: [expect.stringMatching(/^carried\.schemaVersion: /)] });
    // A version-1 state with a field only a later version has is not a version-1 state.
    const { schemaVersion: _dropped, ...version1 } = carried;
    expect(parseCarried({ ...version1, extra: true })).toEqual({ ok: false, errors: ['carried: unknown key "extra"'] });
  });
});

describe('the carried-state schema', () => {
  it('accepts a state as a run carries it, its agreement derived from its document', () => {
    const carried = roundTrip(forgedCarriedState('carried-ok'));
    const parsed = parseCarried(carried);
    expect(parsed.ok && parsed.value.state.stage).toBe('active');
    expect(parsed.ok && parsed.value.state.agreement).toEqual(carried.state.agreement);
  });

  it('refuses what a run never carries, naming the field', () => {
    const carried = roundTrip(forgedCarriedState('carried-bad')) as unknown as {
      state: Record<string, unknown>;
      appliedRequestIds: unknown;
    };
    expect(parseCarried({ ...carried, extra: 1 })).toEqual({ ok: false, errors: ['carried: unknown key "extra"'] });
    expect(parseCarried({ ...carried, state: { ...carried.state, stage: 'signed' } })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^carried\.state\.stage: must be one of/)],
    });
    expect(parseCarried({ ...carried, state: { ...carried.state, document: { id: 'x' } } })).toMatchObject({
      ok: false,
      errors: expect.arrayContaining([expect.stringMatching(/^carried\.state\.document\.title: is required/)]),
    });
    expect(
      parseCarried({ ...carried, appliedRequestIds: Array.from({ length: 1_001 }, (_, i) => `r${i}`) }),
    ).toMatchObject({ ok: false });
    expect(parseCarried(null)).toMatchObject({ ok: false });
  });

  it('gives the agreement its document parses to, whatever agreement was carried beside it', () => {
    const carried = roundTrip(forgedCarriedState('carried-agreement'));
    const parsed = parseCarried({
      ...carried,
      state: { ...carried.state, agreement: { ...carried.state.agreement, title: 'Something else' } },
    });
    expect(parsed.ok && parsed.value.state.agreement.title).toBe(carried.state.agreement.title);
    expect(
      parseCarried({ ...carried, state: { ...carried.state, agreement: { ...carried.state.agreement, id: 'other' } } }),
    ).toEqual({ ok: false, errors: ["carried.state.agreement.id: must be the document's id"] });
  });

  it('carries every field a state can have: rounds, replacements, a moved deadline', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    const day = 24 * 3600_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    let state = startedState(phdProgramme(now, {}, { deadlines: { signing: 'P45D' } }), now);
    state = apply(state, 'submit', {}, now);
    state = apply(state, 'decline', { signatory: 'vc-uob', reason: 'clause 4' }, now + 1_000);
    state = apply(state, 'submit', {}, now + 2_000);
    state = apply(
      state,
      'replace',
      { signatory: 'president-jitri', name: 'Professor Wei Chen', email: 'vp@jitri.example', reason: 'delegated' },
      now + 3_000,
    );
    state = apply(state, 'extend', { until: iso(now + 90 * day) }, now + 4_000);
    expect(state).toMatchObject({
      signingRound: 2,
      replacedAt: expect.any(Object),
      deadlineExtension: expect.any(Object),
    });
    const parsed = parseCarried(roundTrip({ state, appliedRequestIds: ['r1'] }));
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    expect(parsed.ok && roundTrip(parsed.value.state)).toEqual(roundTrip(state));
  });

  it('carries variations: one applied with the funding it asked for, one still open (SPEC 18)', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    let state = startedState(mou(now), now);
    state = apply(state, 'submit', {}, now);
    state = apply(state, 'sign', { signatory: 'vc-uob' }, now + 1_000);
    state = apply(state, 'sign', { signatory: 'president-jitri' }, now + 2_000);
    const contact = { name: 'UoB Bridge Fund', email: 'bridge@uob.example' };
    const funding = { currency: 'GBP', commitments: [{ id: 'uob-bridge', funder: 'uob', amount: 1000, contact }] };
    state = apply(state, 'vary', { patch: { funding }, reason: 'bridge funding' }, now + 3_000);
    state = apply(state, 'sign', { signatory: 'vc-uob', variation: 'v1' }, now + 4_000);
    state = apply(state, 'sign', { signatory: 'president-jitri', variation: 'v1' }, now + 5_000);
    state = apply(
      state,
      'vary',
      { patch: { term: { endsAt: '2030-01-01T00:00:00Z' } }, reason: 'a term' },
      now + 6_000,
    );
    state = apply(state, 'sign', { signatory: 'vc-uob', variation: 'v2' }, now + 7_000);
    expect(state.variations?.map((v) => v.status)).toEqual(['applied', 'signing']);
    expect(state.fundingRequests).toHaveProperty('uob-bridge');
    const parsed = parseCarried(roundTrip({ state, appliedRequestIds: [] }));
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    expect(parsed.ok && roundTrip(parsed.value.state)).toEqual(roundTrip(state));
  });
});
