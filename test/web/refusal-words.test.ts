import { describe, expect, it } from 'vitest';
import { refusalUnderRoles } from '../../src/actors/roles.ts';
import { decide } from '../../src/domain/index.ts';
import { refusalIn } from '../../src/web/refusal-words.ts';
import { phdProgramme, startedState } from '../support/agreements.ts';
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
});
