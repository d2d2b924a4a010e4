import { describe, expect, it } from 'vitest';
import {
  buildDigests,
  calendarDate,
  decide,
  digestSnapshot,
  evolve,
  type AgreementState,
  type DigestChange,
  type DigestMailInput,
} from '../../src/domain/index.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { FROM } from '../mail/support/reference-agreement.ts';
import { mou, startedState } from '../support/agreements.ts';
import { phdProgramme } from '../support/agreements.ts';
import { apply, command } from '../support/drive.ts';

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

/** Applies a command as the workflow does, and keeps its events as the audit trail gives them to the digest. */
function recorded(state: AgreementState, name: string, args: unknown, at: number, trail: DigestChange[]) {
  const decision = decide(state, command(name, args), at);
  if (!decision.ok) throw new Error(`${name} rejected: ${decision.errors.join('; ')}`);
  trail.push(...decision.value.map((event) => ({ at: event.at, actor: event.actor, event })));
  return evolve(state, decision.value);
}

/** The same digest for a reader of Chinese. */
const inChinese = (mail: DigestMailInput): DigestMailInput => ({
  ...mail,
  notification: { ...mail.notification, recipient: { ...mail.notification.recipient, locale: 'zh-CN' } },
});

/** What is left of a rendered mail once the quoted values (names, ids, user text) are taken out. */
const englishWords = (text: string, quoted: string[]) =>
  quoted.reduce((rest, value) => rest.split(value).join(' '), text).match(/[A-Za-z]{2,}/g) ?? [];

describe('an agreement that ended since the last digest', () => {
  const reason = 'Funding withdrawn by the funder';

  function cancelled(at: number): { state: AgreementState; trail: DigestChange[] } {
    const trail: DigestChange[] = [];
    const state = recorded(signingAfterTheCeremony(), 'cancel', { reason, actor: 'registry' }, at, trail);
    return { state, trail };
  }

  it('is listed under its final stage, with the change that ended it and why', () => {
    const { state, trail } = cancelled(now - 2 * 3600_000);
    expect(state.stage).toBe('cancelled');
    const [mail] = buildDigests([digestSnapshot(state)], new Map([['digest-phd', trail]]), window, '2026-12-07');
    const [agreement] = mail?.digest.agreements ?? [];
    expect(agreement).toMatchObject({ id: 'digest-phd', stage: 'cancelled', due: [], overdue: [] });
    expect(agreement?.changes.map((change) => change.event)).toMatchObject([
      { type: 'stage-changed', from: 'signing', to: 'cancelled', detail: reason },
    ]);

    const english = renderNotification(mail!, { from: FROM }).text;
    expect(english).toContain('UoB–JITRI joint PhD researcher programme (digest-phd) · stage: cancelled');
    expect(english).toContain(`7 Dec 2026, 06:00 GMT — stage signing → cancelled: ${reason} (by registry)`);
    const chinese = renderNotification(inChinese(mail!), { from: FROM }).text;
    expect(chinese).toContain('UoB–JITRI joint PhD researcher programme（digest-phd）· 阶段：已取消');
    expect(chinese).toContain(`阶段：签署 → 已取消（原因：${reason}）（操作人：registry）`);
  });

  it('is left out once it ended before the window', () => {
    const { state, trail } = cancelled(now - 8 * DAY);
    const [mail] = buildDigests([digestSnapshot(state)], new Map([['digest-phd', trail]]), window, '2026-12-07');
    expect(mail?.digest.agreements).toEqual([]);
  });
});

describe('obligations in the digest', () => {
  const owner = { name: 'JITRI Programme Office', email: 'programme@jitri.example', timezone: 'Asia/Shanghai' };
  const obligation = (id: string, title: string, dueInMs: number) => ({
    id,
    title,
    due: new Date(now + dueInMs).toISOString(),
    owner,
  });

  /** Active since ten days ago: one obligation due in three days, one two days overdue, one fulfilled, one later. */
  function activeWithObligations() {
    const trail: DigestChange[] = [];
    const document = {
      ...mou(now - 20 * DAY, 'digest-mou'),
      obligations: [
        obligation('report-2026', 'Annual progress report', 3 * DAY),
        obligation('audit-2026', 'Financial audit', -2 * DAY),
        obligation('visit-2026', 'Exchange visit', 2 * DAY),
        obligation('review-2027', 'Mid-term review', 30 * DAY),
      ],
    };
    let state = apply(startedState(document, now - 20 * DAY), 'submit', {}, now - 20 * DAY);
    state = apply(state, 'sign', { signatory: 'vc-uob' }, now - 10 * DAY);
    state = apply(state, 'sign', { signatory: 'president-jitri' }, now - 10 * DAY);
    state = recorded(
      state,
      'fulfil',
      { obligation: 'visit-2026', reference: 'V-17', actor: 'registry' },
      now - DAY,
      trail,
    );
    return { state, trail };
  }

  it('lists what falls due in the week and what is overdue, from the obligations themselves', () => {
    const { state, trail } = activeWithObligations();
    expect(state.stage).toBe('active');
    const [mail] = buildDigests([digestSnapshot(state, now)], new Map([['digest-mou', trail]]), window, '2026-12-07');
    const [agreement] = mail?.digest.agreements ?? [];
    expect(agreement?.due.filter((item) => item.what === 'obligation')).toEqual([
      {
        what: 'obligation',
        at: new Date(now + 3 * DAY).toISOString(),
        obligation: 'report-2026',
        title: 'Annual progress report',
        owner: 'JITRI Programme Office',
      },
    ]);
    expect(agreement?.overdue).toEqual([
      {
        what: 'obligation',
        since: new Date(now - 2 * DAY).toISOString(),
        obligation: 'audit-2026',
        title: 'Financial audit',
        owner: 'JITRI Programme Office',
      },
    ]);

    const english = renderNotification(mail!, { from: FROM }).text;
    expect(english).toContain(
      '10 Dec 2026, 08:00 GMT — obligation Annual progress report (report-2026) falls due; owner: JITRI Programme Office',
    );
    expect(english).toContain('10 Dec 2026, 08:00 GMT — reminder: obligation overdue');
    expect(english).toContain(
      'obligation Financial audit (audit-2026) not fulfilled, due 5 Dec 2026, 08:00 GMT; owner: JITRI Programme Office',
    );
    expect(english).toContain('6 Dec 2026, 08:00 GMT — obligation visit-2026 fulfilled (reference V-17) (by registry)');

    const zh = inChinese(mail!);
    const rendered = renderNotification(zh, { from: FROM });
    const chinese = rendered.text;
    expect(chinese).toContain(
      '2026年12月10日 08:00 (英国时间) — 义务“Annual progress report”（report-2026）到期；负责方：JITRI Programme Office',
    );
    expect(chinese).toContain(
      '义务“Financial audit”（audit-2026）已于2026年12月5日 08:00 (英国时间)到期，尚未履行；负责方：JITRI Programme Office',
    );
    expect(chinese).toContain('义务visit-2026已履行（编号：V-17）（操作人：registry）');
    const quoted = [
      '[digest]',
      state.agreement.title,
      'digest-mou',
      'Partnerships Office',
      'JITRI Programme Office',
      'Annual progress report',
      'Financial audit',
      'report-2026',
      'audit-2026',
      'visit-2026',
      'V-17',
      'registry',
      zh.notification.key,
    ];
    expect(englishWords(`${rendered.subject}\n${chinese}`, quoted)).toEqual([]);
  });

  it('leaves out obligations once the agreement has ended, and the fulfilled ones', () => {
    const { state } = activeWithObligations();
    const ended = apply(state, 'complete', {}, now - 3600_000);
    const [mail] = buildDigests([digestSnapshot(ended, now)], new Map(), window, '2026-12-07');
    expect(mail?.digest.agreements).toEqual([]);
    const [active] = buildDigests([digestSnapshot(state, now)], new Map(), window, '2026-12-07');
    const listed = [...(active?.digest.agreements[0]?.due ?? []), ...(active?.digest.agreements[0]?.overdue ?? [])];
    expect(listed.map((item) => (item.what === 'obligation' ? item.obligation : item.what))).not.toContain(
      'visit-2026',
    );
  });

  it("reads the view's overdue flags at the moment the snapshot is taken", () => {
    const { state } = activeWithObligations();
    const overdue = (at?: number) =>
      digestSnapshot(state, at)
        .view.obligations.filter((o) => o.overdue)
        .map((o) => o.id);
    expect(overdue()).toEqual(['audit-2026']);
    expect(overdue(now + 4 * DAY)).toEqual(['report-2026', 'audit-2026']);
  });
});

describe('approval reminders in the digest', () => {
  it('names the chase and the escalation in both languages', () => {
    const trail: DigestChange[] = [];
    const document = {
      ...phdProgramme(now - 2 * DAY, { ceremonyInMs: 40 * DAY }, { id: 'digest-approvals' }),
      approvals: [
        { id: 'legal', name: 'Legal Services', email: 'contracts@uob.example', timezone: 'Europe/London' },
        { id: 'finance', name: 'Research Finance', email: 'finance@uob.example' },
      ],
      approvalChase: { every: 'P2D', escalateAfter: 2 },
    };
    let state = apply(startedState(document, now - 2 * DAY), 'submit', {}, now - 2 * DAY);
    state = recorded(state, 'approve', { approver: 'legal', actor: 'legal-office' }, now - DAY, trail);
    expect(state.stage).toBe('approval');
    const [mail] = buildDigests(
      [digestSnapshot(state, now)],
      new Map([['digest-approvals', trail]]),
      window,
      '2026-12-07',
    );
    expect(mail?.digest.agreements[0]?.due.map((item) => (item.what === 'reminder' ? item.kind : item.what))).toEqual([
      'approval-chase',
      'approval-escalation',
    ]);

    const english = renderNotification(mail!, { from: FROM }).text;
    expect(english).toContain('7 Dec 2026, 08:00 GMT — reminder: approval chase');
    expect(english).toContain('11 Dec 2026, 08:00 GMT — reminder: approval escalation');
    expect(english).toContain('6 Dec 2026, 08:00 GMT — approved by legal (by legal-office)');
    const chinese = renderNotification(inChinese(mail!), { from: FROM }).text;
    expect(chinese).toContain('2026年12月7日 08:00 (英国时间) — 提醒：审批提醒');
    expect(chinese).toContain('2026年12月11日 08:00 (英国时间) — 提醒：审批升级提醒');
    expect(chinese).toContain('legal已审批通过（操作人：legal-office）');
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

describe('an agreement stopped in Temporal', () => {
  it('says it was stopped and lists nothing as falling due or overdue, in both languages', () => {
    const state = signingAfterTheCeremony();
    const stoppedAt = new Date(now - 2 * 3600_000).toISOString();
    const snapshot = { ...digestSnapshot(state, now), stopped: { how: 'terminated' as const, at: stoppedAt } };
    const [mail] = buildDigests([snapshot], new Map([['digest-phd', [signed]]]), window, '2026-12-07');
    const [agreement] = mail?.digest.agreements ?? [];
    expect(agreement).toMatchObject({ stage: 'signing', due: [], overdue: [], stopped: { how: 'terminated' } });
    expect(agreement?.changes).toHaveLength(1);

    const english = renderNotification(mail!, { from: FROM }).text;
    expect(english).toContain('Stopped in Temporal:');
    expect(english).toContain(
      '7 Dec 2026, 06:00 GMT — its workflow was terminated outside the lifecycle: no reminder or mail about it will go out',
    );
    expect(english).not.toContain('Overdue:');
    const chinese = renderNotification(inChinese(mail!), { from: FROM }).text;
    expect(chinese).toContain('已在 Temporal 中停止：');
    expect(chinese).toContain('该协议的工作流在生命周期之外被终止：此后不会再发送任何提醒或邮件');

    // Stopped with nothing else to say, it is still listed: that it stopped is the news.
    const quiet = buildDigests(
      [{ ...digestSnapshot(state, now), stopped: { how: 'timed-out' as const, at: stoppedAt } }],
      new Map(),
      window,
      '2026-12-07',
    );
    expect(quiet[0]?.digest.agreements.map((a) => a.stopped?.how)).toEqual(['timed-out']);
    expect(renderNotification(quiet[0]!, { from: FROM }).text).toContain(
      'its workflow timed out outside the lifecycle',
    );
  });
});

describe('variations in the digest', () => {
  /** An active MoU whose variation, proposed twelve days ago, adds a fund due five days ago: one has signed it. */
  function activeWithAVariation(): AgreementState {
    const start = now - 30 * DAY;
    let state = startedState(mou(start, 'digest-variation'), start);
    state = apply(state, 'submit', {}, start);
    state = apply(state, 'sign', { signatory: 'vc-uob' }, start);
    state = apply(state, 'sign', { signatory: 'president-jitri' }, start);
    const fund = {
      id: 'jitri-fund',
      funder: 'jitri',
      amount: 2700000,
      dueAt: new Date(now - 5 * DAY).toISOString(),
      contact: { name: 'JITRI Finance', email: 'finance@jitri.example', locale: 'zh-CN' },
    };
    state = apply(
      state,
      'vary',
      { patch: { funding: { currency: 'GBP', commitments: [fund] } }, reason: 'fund' },
      now - 12 * DAY,
    );
    return apply(state, 'sign', { signatory: 'vc-uob', variation: 'v1' }, now - 11 * DAY);
  }

  it('lists a variation waiting longer than a week, and then its funding overdue once it applies, in both languages', () => {
    let state = activeWithAVariation();
    const overdue = (s: AgreementState) =>
      buildDigests([digestSnapshot(s)], new Map(), window, '2026-12-07')[0]?.digest.agreements[0]?.overdue;
    expect(overdue(state)).toEqual([
      {
        what: 'variation',
        since: new Date(now - 12 * DAY).toISOString(),
        variation: 'v1',
        status: 'signing',
        missing: ['Professor Qing Liu'],
      },
    ]);
    state = apply(state, 'sign', { signatory: 'president-jitri', variation: 'v1' }, now - DAY);
    expect(overdue(state)).toEqual([
      {
        what: 'funding',
        since: new Date(now - 5 * DAY).toISOString(),
        commitment: 'jitri-fund',
        outstanding: 2700000,
        currency: 'GBP',
      },
    ]);
    const waiting = buildDigests([digestSnapshot(activeWithAVariation())], new Map(), window, '2026-12-07')[0];
    const english = renderNotification(waiting!, { from: FROM }).text;
    expect(english).toContain('variation v1 awaiting signatures since 25 Nov 2026');
    const chinese = buildDigests(
      [
        {
          ...digestSnapshot(activeWithAVariation()),
          coordinators: [{ ...digestSnapshot(state).coordinators[0]!, locale: 'zh-CN' }],
        },
      ],
      new Map(),
      window,
      '2026-12-07',
    )[0];
    expect(renderNotification(chinese!, { from: FROM }).text).toContain('变更v1自');
  });
});
