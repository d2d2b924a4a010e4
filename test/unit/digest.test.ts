import { describe, expect, it } from 'vitest';
import {
  buildDigests,
  calendarDate,
  digestSnapshot,
  type AgreementState,
  type DigestChange,
} from '../../src/domain/index.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { FROM } from '../mail/support/reference-agreement.ts';
import { startedState } from '../support/agreements.ts';
import { phdProgramme } from '../support/agreements.ts';
import { apply } from '../support/drive.ts';

const DAY = 24 * 3600_000;
const now = Date.parse('2026-12-07T08:00:00Z');
const window = {
  since: new Date(now - 7 * DAY).toISOString(),
  now: new Date(now).toISOString(),
  until: new Date(now + 7 * DAY).toISOString(),
};

/** In signing, its ceremony two days ago, one of two signatures in: an overdue signature, and chases due. */
function signingAfterTheCeremony(): AgreementState {
  const document = phdProgramme(now - 20 * DAY, { ceremonyInMs: 18 * DAY }, { id: 'digest-phd' });
  let state = apply(startedState(document, now - 20 * DAY), 'submit', {}, now - 20 * DAY);
  state = apply(state, 'sign', { signatory: 'vc-uob' }, now - DAY);
  return state;
}

const signed: DigestChange = {
  at: new Date(now - DAY).toISOString(),
  actor: 'registry',
  event: {
    at: new Date(now - DAY).toISOString(),
    actor: 'registry',
    type: 'signed',
    signatory: 'vc-uob',
    signedAt: '',
  },
};

describe('the weekly digest', () => {
  it('gives each coordinator their agreements: due, overdue and changed since the last digest', () => {
    const state = signingAfterTheCeremony();
    const [mail, ...others] = buildDigests(
      [digestSnapshot(state)],
      new Map([['digest-phd', [signed]]]),
      window,
      '2026-12-07',
    );
    expect(others).toEqual([]);
    expect(mail?.notification.key).toBe('digest:2026-12-07:partnerships@uob.example');
    const [agreement] = mail?.digest.agreements ?? [];
    expect(agreement?.overdue).toEqual([
      { what: 'signatures', since: state.agreement.ceremony?.at, missing: ['Professor Qing Liu'] },
    ]);
    expect(agreement?.due.some((item) => item.what === 'reminder' && item.kind === 'signature-chase')).toBe(true);
    expect(agreement?.changes).toEqual([signed]);

    const rendered = renderNotification(mail!, { from: FROM });
    expect(rendered.subject).toMatch(/^\[digest\] Weekly digest, 7 Dec 2026: \d+ due in 7 days, 1 overdue, 1 changed$/);
    expect(rendered.text).toContain('signatures missing since the ceremony of 5 Dec 2026');
    expect(rendered.text).toContain('6 Dec 2026, 08:00 GMT — signed by vc-uob (by registry)');
  });

  it('says an empty week in one line', () => {
    const quiet = startedState(phdProgramme(now, { ceremonyInMs: 60 * DAY }, { id: 'quiet' }), now - 30 * DAY);
    const [mail] = buildDigests([digestSnapshot(quiet)], new Map(), window, '2026-12-07');
    expect(mail?.digest.agreements).toEqual([]);
    const rendered = renderNotification(mail!, { from: FROM });
    expect(rendered.text).toContain(
      'Nothing falls due in the next 7 days, nothing is overdue and nothing changed since the last digest.',
    );
  });

  it('writes a Chinese digest with no English template text', () => {
    const state = signingAfterTheCeremony();
    const [mail] = buildDigests([digestSnapshot(state)], new Map([['digest-phd', [signed]]]), window, '2026-12-07');
    const zh = {
      ...mail!,
      notification: { ...mail!.notification, recipient: { ...mail!.notification.recipient, locale: 'zh-CN' as const } },
    };
    const rendered = renderNotification(zh, { from: FROM });
    // The subject's [digest] stands where an agreement's id stands in every other mail.
    const quoted = [
      '[digest]',
      state.agreement.title,
      'digest-phd',
      'Partnerships Office',
      'Professor Qing Liu',
      'Nanjing',
      'vc-uob',
      'registry',
      zh.notification.key,
    ];
    const rest = quoted.reduce((text, value) => text.split(value).join(' '), `${rendered.subject}\n${rendered.text}`);
    expect(rest.match(/[A-Za-z]{2,}/g) ?? [], rest).toEqual([]);
    expect(rendered.text).toContain(
      '  逾期事项：\n    - 签约仪式（2026年12月5日 08:00 (英国时间)）后尚缺签署：Professor Qing Liu',
    );
  });
});

describe("the digest run's date", () => {
  it('is the date where the schedule runs, not in UTC', () => {
    // Monday 07:00 in Shanghai is still Sunday in UTC.
    const mondayMorningInShanghai = new Date('2027-01-10T23:00:00Z');
    expect(calendarDate(mondayMorningInShanghai, 'Asia/Shanghai')).toBe('2027-01-11');
    expect(calendarDate(mondayMorningInShanghai, 'UTC')).toBe('2027-01-10');
    expect(calendarDate(new Date('2027-01-11T08:00:00Z'), 'Europe/London')).toBe('2027-01-11');
  });
});
