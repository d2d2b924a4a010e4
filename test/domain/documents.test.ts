import { describe, expect, it } from 'vitest';
import {
  agreementView,
  decide,
  evolve,
  parseAgreement,
  parseCarried,
  parseCommand,
  type AgreementState,
} from '../../src/domain/index.ts';
import { mou, startedState } from '../support/agreements.ts';
import { apply, command, rejection } from '../support/drive.ts';
import { ANNEX, TEXT_V1, TEXT_V2, amendText, documents } from '../support/documents.ts';

const now = Date.parse('2026-11-28T12:00:00Z');

function withDocuments(): AgreementState {
  return startedState({ ...mou(now), documents }, now);
}

function inSigning(state = withDocuments()): AgreementState {
  return apply(state, 'submit', {}, now);
}

describe('documents (SPEC 18)', () => {
  it('are optional, and listed by show with their current hashes', () => {
    expect(agreementView(startedState(mou(now), now)).documents).toEqual([]);
    expect(agreementView(withDocuments()).documents).toEqual(documents);
  });

  it('must have unique ids and lowercase SHA-256 hashes, each complaint naming its path', () => {
    const bad = parseAgreement({
      ...mou(now),
      documents: [
        { id: 'agreement-text', title: 'Text', sha256: TEXT_V1.toUpperCase() },
        { id: 'annex', title: 'Annex', sha256: 'abc', language: 'not a tag' },
      ],
    });
    expect(bad).toEqual({
      ok: false,
      errors: [
        'documents[0].sha256: must be a SHA-256: 64 lowercase hexadecimal characters',
        'documents[1].sha256: must be a SHA-256: 64 lowercase hexadecimal characters',
        'documents[1].language: must be a language tag such as en, zh-CN or zh-Hans',
      ],
    });
    const duplicate = parseAgreement({
      ...mou(now),
      documents: [documents[0], { ...documents[1], id: 'agreement-text' }],
    });
    expect(duplicate).toEqual({ ok: false, errors: ['documents[1].id: duplicate id "agreement-text"'] });
  });

  it('binds a signature to the current version of every document', () => {
    const state = inSigning();
    const signed = apply(state, 'sign', { signatory: 'vc-uob', documentSha256: [ANNEX, TEXT_V1.toUpperCase()] }, now);
    expect(signed.signatures[0]?.documents).toEqual([
      { id: 'agreement-text', sha256: TEXT_V1 },
      { id: 'annex-zh', sha256: ANNEX },
    ]);
    const view = agreementView(signed).signatures.find((s) => s.signatory === 'vc-uob');
    expect(view?.documents).toEqual(signed.signatures[0]?.documents);
  });

  it('refuses a signature that quotes no hash, naming every document', () => {
    expect(rejection(decide(inSigning(), command('sign', { signatory: 'vc-uob' }), now))).toBe(
      'documentSha256: no SHA-256 was quoted: sign against the current version of "agreement-text" (Memorandum of understanding), "annex-zh" (合作备忘录（中文本）), as `agreements show` lists it (--document-sha256)',
    );
  });

  it('refuses a stale hash after an amendment, naming only the document that changed', () => {
    // Declined, amended to a new version of the text, resubmitted: the old hash no longer signs.
    let state = inSigning();
    state = apply(state, 'decline', { signatory: 'president-jitri', reason: 'clause 4' }, now);
    state = apply(state, 'amend', { patch: amendText }, now);
    state = inSigning(state);
    const stale = decide(state, command('sign', { signatory: 'vc-uob', documentSha256: [TEXT_V1, ANNEX] }), now);
    expect(rejection(stale)).toBe(
      'documentSha256: a SHA-256 quoted is stale or missing: sign against the current version of "agreement-text" (Memorandum of understanding), as `agreements show` lists it (--document-sha256)',
    );
    const current = apply(state, 'sign', { signatory: 'vc-uob', documentSha256: [TEXT_V2, ANNEX] }, now);
    expect(current.signatures[0]?.documents?.[0]).toEqual({ id: 'agreement-text', sha256: TEXT_V2 });
  });

  it('refuses a hash that is no document’s, beside the current ones', () => {
    const extra = decide(
      inSigning(),
      command('sign', { signatory: 'vc-uob', documentSha256: [TEXT_V1, ANNEX, TEXT_V2] }),
      now,
    );
    expect(rejection(extra)).toBe(
      `documentSha256: ${TEXT_V2} is not the current SHA-256 of any of the agreement's documents`,
    );
  });

  it('keeps the one hash quoted of an agreement without documents, and refuses more than one', () => {
    const state = inSigning(startedState(mou(now), now));
    const signed = apply(state, 'sign', { signatory: 'vc-uob', documentSha256: TEXT_V1 }, now);
    expect(signed.signatures[0]).toMatchObject({ documentSha256: TEXT_V1 });
    expect(signed.signatures[0]?.documents).toBeUndefined();
    const two = decide(state, command('sign', { signatory: 'vc-uob', documentSha256: [TEXT_V1, ANNEX] }), now);
    expect(rejection(two)).toBe(
      'documentSha256: the agreement lists no documents, so at most one SHA-256 may be quoted',
    );
  });

  it('parses documentSha256 as a string or a list, naming a bad entry by its place', () => {
    expect(parseCommand('sign', { signatory: 'vc-uob', documentSha256: ['ab'.repeat(32), 'xyz'] })).toEqual({
      ok: false,
      errors: ['documentSha256[1]: must be 64 hexadecimal characters'],
    });
    expect(parseCommand('sign', { signatory: 'vc-uob', documentSha256: 7 })).toEqual({
      ok: false,
      errors: ['documentSha256: must be a SHA-256 or a list of them'],
    });
    expect(parseCommand('sign', { signatory: 'vc-uob', documentSha256: [] })).toEqual({
      ok: false,
      errors: ['documentSha256: must list at least one SHA-256'],
    });
  });

  it('records each signature’s place in the audit trail and its proof, and carries them', () => {
    const state = inSigning();
    const decision = decide(state, command('sign', { signatory: 'vc-uob', documentSha256: [TEXT_V1, ANNEX] }), now);
    if (!decision.ok) throw new Error(decision.errors.join('; '));
    const signed = evolve(
      state,
      decision.value.map((event) => ({ ...event, actorProof: 'link:k1' })),
    );
    expect(signed.signatures[0]).toMatchObject({ sequence: state.eventCount + 1, proof: 'link:k1' });
    const carried = parseCarried(JSON.parse(JSON.stringify({ state: signed, appliedRequestIds: [] })));
    expect(carried.ok && carried.value.state.signatures).toEqual(signed.signatures);
  });
});
