import { describe, expect, it } from 'vitest';
import { refusalUnderRoles } from '../../src/actors/roles.ts';
import { decide } from '../../src/domain/index.ts';
import { refusalIn } from '../../src/web/refusal-words.ts';
import { mou, phdProgramme, startedState } from '../support/agreements.ts';
import { amendText, documents } from '../support/documents.ts';
import { apply, command, rejection } from '../support/drive.ts';

const now = Date.now();
const stageName = (stage: string) => `<${stage}>`;

// The decider's and the roles file's own words go in, so that a change of wording there fails here, not on a page.
describe('refusals a page can meet, in the reader’s language', () => {
  it('words a command the agreement has moved past, naming the stage in the page’s words', () => {
    const wrongStage = rejection(
      decide(startedState(phdProgramme(now), now), command('sign', { signatory: 'vc-uob' }), now),
    );
    expect(refusalIn('zh-CN', wrongStage, stageName)).toBe(
      '本协议已进入其他阶段（现为：<draft>），此项操作已无需由您完成。',
    );
    expect(refusalIn('en', wrongStage, stageName)).toBe(
      'the agreement has moved on (it is now <draft>); this is no longer asked of you.',
    );
  });

  it('words a race lost to someone else’s command: signed already, funding over-confirmed', () => {
    const signing = apply(startedState(phdProgramme(now), now), 'submit', {}, now);
    const signed = apply(signing, 'sign', { signatory: 'vc-uob' }, now);
    const twice = rejection(decide(signed, command('sign', { signatory: 'vc-uob' }), now));
    expect(refusalIn('zh-CN', twice, stageName)).toBe('刚刚已有签署记录。');
    const funding = apply(signed, 'sign', { signatory: 'president-jitri' }, now);
    const over = rejection(
      decide(funding, command('confirmFunding', { commitment: 'jitri-phd', amount: 2_000_000 }), now),
    );
    expect(refusalIn('en', over, stageName)).toBe(
      'GBP 2,000,000.00 is more than the GBP 1,350,000.00 still to be confirmed.',
    );
  });

  it('words what the roles file refuses, and leaves a refusal it does not know as it is', () => {
    const roles = { actors: new Map([['legal', new Set(['sign'] as const)]]), temporalCancel: 'refuse' as const };
    const refused = refusalUnderRoles(roles, 'legal', 'approve', { approver: 'legal' });
    expect(refusalIn('zh-CN', refused ?? '', stageName)).toBe('合作办公室未授权您执行此操作，请与其联系。');
    expect(refusalIn('zh-CN', 'something new', stageName)).toBe('something new');
  });

  it('words what a variation’s page can meet: withdrawn meanwhile, a newer text, the wrong stage', () => {
    const hashes = documents.map((d) => d.sha256);
    let active = apply(startedState({ ...mou(now), documents }, now), 'submit', {}, now);
    for (const signatory of ['vc-uob', 'president-jitri']) {
      active = apply(active, 'sign', { signatory, documentSha256: hashes }, now);
    }
    const varied = apply(active, 'vary', { patch: amendText, reason: 'Clause 4 reworded', actor: 'coordinator' }, now);
    const stale = rejection(
      decide(varied, command('sign', { signatory: 'vc-uob', variation: 'v1', documentSha256: hashes }), now),
    );
    expect(refusalIn('en', stale, stageName)).toBe(
      'a document has a newer version than this page showed: "agreement-text" (Memorandum of understanding). ' +
        'Please reload the page.',
    );
    const withdrawn = apply(varied, 'withdrawVariation', { variation: 'v1', actor: 'coordinator' }, now);
    const late = rejection(decide(withdrawn, command('sign', { signatory: 'vc-uob', variation: 'v1' }), now));
    expect(refusalIn('zh-CN', late, stageName)).toBe('变更 v1 现为已撤回，此项操作已无需由您完成。');
    expect(refusalIn('en', late, stageName)).toBe('variation v1 is now withdrawn; this is no longer asked of you.');
    const unknown = rejection(decide(withdrawn, command('sign', { signatory: 'vc-uob', variation: 'v9' }), now));
    expect(refusalIn('zh-CN', unknown, stageName)).toBe('本协议没有变更 v9。');
    const unnamed = rejection(decide(withdrawn, command('sign', { signatory: 'vc-uob', documentSha256: hashes }), now));
    expect(refusalIn('en', unnamed, stageName)).toBe(
      'the agreement is already signed and active; this is no longer asked of you.',
    );
    const signing = apply(startedState(mou(now), now), 'submit', {}, now);
    const early = rejection(decide(signing, command('sign', { signatory: 'vc-uob', variation: 'v1' }), now));
    expect(refusalIn('zh-CN', early, stageName)).toBe('协议生效后才能办理变更（现为：<signing>）。');
  });
});
