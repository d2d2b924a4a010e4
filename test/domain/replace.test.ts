import { describe, expect, it } from 'vitest';
import { agreementView, decide, linkedPersonRefusal, markNotified, plan } from '../../src/domain/index.ts';
import { phdProgramme, startedState } from '../support/agreements.ts';
import { apply, applyWithMail, command, rejection } from '../support/drive.ts';

const now = Date.parse('2026-11-28T12:00:00Z');
const DAY = 24 * 3600_000;

const APPROVALS = [
  { id: 'legal', name: 'Legal Services', email: 'contracts@uob.example', timezone: 'Europe/London' },
  { id: 'finance', name: 'Research Finance', email: 'research-finance@uob.example' },
];
const DEPUTY = {
  name: 'Professor Wei Chen',
  email: 'vp@jitri.example',
  title: 'Vice President',
  locale: 'zh-CN',
  reason: 'The President delegates the signature',
};

const signing = () => apply(startedState(phdProgramme(now), now), 'submit', {}, now);

describe('replace (SPEC §18)', () => {
  it('in signing: the new person keeps the id, gets the invitation with its invite; what others did stands', () => {
    const signed = apply(signing(), 'sign', { signatory: 'vc-uob' }, now + 1000);
    const { state, mail, events } = applyWithMail(
      signed,
      'replace',
      { signatory: 'president-jitri', ...DEPUTY },
      now + 2000,
    );
    expect(events).toMatchObject([
      {
        type: 'replaced',
        role: 'signatory',
        id: 'president-jitri',
        previous: { name: 'Professor Qing Liu', email: 'president@jitri.example' },
        name: 'Professor Wei Chen',
        email: 'vp@jitri.example',
        reason: DEPUTY.reason,
      },
    ]);
    expect(state.stage).toBe('signing');
    expect(state.signatures.map((s) => s.signatory)).toEqual(['vc-uob']);
    const replaced = state.agreement.signatories.find((s) => s.id === 'president-jitri');
    expect(replaced).toMatchObject({ name: 'Professor Wei Chen', email: 'vp@jitri.example', party: 'jitri' });
    expect(agreementView(state).signatures[1]).toMatchObject({
      signatory: 'president-jitri',
      email: 'vp@jitri.example',
    });
    expect(mail.map((n) => n.key)).toEqual([
      'person-replaced:replace4:partnerships@uob.example',
      'person-replaced:replace4:president@jitri.example',
      'invitation:1-replace4:vp@jitri.example',
    ]);
    expect(mail[2]?.recipient).toMatchObject({ name: 'Professor Wei Chen', locale: 'zh-CN', role: 'signatory' });
    // The old person's signature can no longer be given under their address; the id now means the new person.
    const after = apply(state, 'sign', { signatory: 'president-jitri' }, now + 3000);
    expect(after.stage).toBe('funding');
  });

  it('in approval: the new approver gets the approval request; in draft, nothing is sent but the notice', () => {
    const document = phdProgramme(now, {}, { approvals: APPROVALS });
    const approval = apply(
      apply(startedState(document, now), 'submit', {}, now),
      'approve',
      { approver: 'legal' },
      now,
    );
    const args = { approver: 'finance', name: 'Finance Office', email: 'finance-office@uob.example', reason: 'merged' };
    const inApproval = applyWithMail(approval, 'replace', args, now + 1000);
    expect(inApproval.mail.map((n) => n.key)).toContain('approval-request:1-replace4:finance-office@uob.example');
    expect(inApproval.state.approvals.map((a) => a.approver)).toEqual(['legal']);
    const inDraft = applyWithMail(startedState(document, now), 'replace', args, now);
    expect(inDraft.mail.map((n) => n.kind)).toEqual(['person-replaced', 'person-replaced']);
  });

  it('sends the new person no reminder meant for before they took over, and chases them from then on', () => {
    const state = signing();
    const ceremonyAt = Date.parse(state.agreement.ceremony!.at);
    // Five days after the ceremony: two chases (every P2D) went to the old address.
    const late = ceremonyAt + 5 * DAY;
    const due = plan(state).filter((a) => a.at <= late && a.type === 'notify');
    let chased = markNotified(
      state,
      due.flatMap((a) => (a.type === 'notify' ? [a.notification.key] : [])),
    );
    chased = markNotified(chased, ['signature-chase:2:president@jitri.example']);
    const replaced = apply(chased, 'replace', { signatory: 'president-jitri', ...DEPUTY }, late);
    const toDeputy = plan(replaced).filter(
      (a) => a.type === 'notify' && a.notification.recipient.email === DEPUTY.email,
    );
    expect(toDeputy.every((a) => a.at >= late)).toBe(true);
    expect(toDeputy.map((a) => (a.type === 'notify' ? a.notification.key : ''))).toEqual([
      'signature-chase:3:vp@jitri.example',
    ]);
  });

  it('refuses with one line: unknown person, one who already acted, the same address, a taken address, both or neither', () => {
    const signed = apply(signing(), 'sign', { signatory: 'vc-uob' }, now);
    const refuse = (args: Record<string, unknown>, state = signed) =>
      rejection(decide(state, command('replace', { ...DEPUTY, ...args }), now));
    expect(refuse({ signatory: 'dean' })).toBe(
      'signatory: unknown signatory "dean" (expected one of: vc-uob, president-jitri)',
    );
    expect(refuse({ signatory: 'vc-uob' })).toBe(
      'signatory: "vc-uob" has already signed, and that stands; there is nothing to hand over',
    );
    expect(refuse({ signatory: 'president-jitri', email: 'president@jitri.example' })).toBe(
      "email: president@jitri.example is already president-jitri's; the replacement needs an address of their own",
    );
    expect(refuse({ signatory: 'president-jitri', email: 'vc@uob.example' })).toBe(
      'signatories[1].email: duplicate email "vc@uob.example"',
    );
    expect(refuse({ signatory: 'president-jitri', actor: 'president-jitri' })).toBe(
      'replace: only a coordinator may replace a person (president-jitri is not one)',
    );
    expect(() => command('replace', { ...DEPUTY })).toThrow(/either a signatory or an approver/);
    expect(() => command('replace', { ...DEPUTY, signatory: 'a', approver: 'b' })).toThrow(/either/);
    const funding = apply(signed, 'sign', { signatory: 'president-jitri' }, now);
    expect(refuse({ signatory: 'president-jitri' }, funding)).toBe(
      'replace is not allowed in stage "funding" (allowed in: draft, approval, signing)',
    );
  });

  it('refuses a mail link made for the person replaced, by its email; the new person and others still act', () => {
    const replaced = apply(signing(), 'replace', { signatory: 'president-jitri', ...DEPUTY }, now);
    const link = (id: string, email: string) => linkedPersonRefusal(replaced, { role: 'signatory', id, email });
    expect(link('president-jitri', 'president@jitri.example')).toBe(
      'this mail link was made for president@jitri.example, who is no longer the signatory "president-jitri"; ask the coordinators',
    );
    expect(link('president-jitri', 'VP@jitri.example')).toBeUndefined();
    expect(link('vc-uob', 'vc@uob.example')).toBeUndefined();
  });
});
