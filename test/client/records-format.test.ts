import { describe, expect, it } from 'vitest';
import type { AuditRow, SentMailRow } from '../../src/ports/records-store.ts';
import type { RegisterRow } from '../../src/domain/index.ts';
import { formatHistory, formatRegister, formatSentMail } from '../../src/client/records-format.ts';
import { auditRowsOf, lifecycleEvents, registerAfter } from '../records/support/agreement-events.ts';
import { parseCsv } from '../records/support/parse-csv.ts';

const events = lifecycleEvents(9);
const awkward: RegisterRow = {
  ...registerAfter('ag-2025-uob-jitri', events),
  title: 'UoB, JITRI "joint" PhD\r\nsecond line\nthird',
  fundingRequired: 1_350_000_05,
  fundingConfirmed: 7,
};
const plain: RegisterRow = {
  ...registerAfter('ag-b', events.slice(0, 2)),
  currency: null,
  ceremonyAt: null,
  fundingRequired: 0,
  fundingConfirmed: 0,
  certificateSha256: 'ab'.repeat(32),
};

describe('formatRegister', () => {
  it('writes RFC 4180 CSV that reads back to the same fields', () => {
    const csv = formatRegister([awkward, plain], 'csv');
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, first, second, ...rest] = parseCsv(csv);
    expect(rest).toEqual([]);
    expect(header).toEqual([
      'id',
      'title',
      'kind',
      'parties',
      'stage',
      'ceremony_at',
      'currency',
      'funding_required',
      'funding_confirmed',
      'cohort_size',
      'approved_at',
      'obligations_open',
      'obligations_overdue',
      'started_at',
      'updated_at',
      'updated_by',
      'updated_by_proof',
      'certificate_sha256',
    ]);
    expect(first).toEqual([
      awkward.id,
      awkward.title,
      'joint-phd',
      'uob;jitri',
      'cohort',
      '2025-04-10T14:00:00+08:00',
      'GBP',
      '1350000.05',
      '0.07',
      '1',
      '',
      '0',
      '0',
      awkward.startedAt,
      awkward.updatedAt,
      '',
      '',
      '',
    ]);
    expect(second).toEqual([
      'ag-b',
      plain.title,
      'joint-phd',
      'uob;jitri',
      'signing',
      '',
      '',
      '0.00',
      '0.00',
      '0',
      '',
      '0',
      '0',
      plain.startedAt,
      plain.updatedAt,
      '',
      '',
      'ab'.repeat(32),
    ]);
  });

  it('writes a JSON array with amounts in major units', () => {
    const parsed: unknown = JSON.parse(formatRegister([awkward], 'json'));
    expect(parsed).toEqual([
      { ...awkward, fundingRequired: 1_350_000.05, fundingConfirmed: 0.07, obligationsOverdue: 0 },
    ]);
    expect(formatRegister([], 'json')).toBe('[]\n');
  });

  it('aligns the table columns and keeps each agreement on one line', () => {
    const lines = formatRegister([awkward, plain], 'table').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const [header, first, second] = lines as [string, string, string];
    for (const column of ['STAGE', 'KIND', 'TITLE', 'CEREMONY', 'FUNDING', 'COHORT']) {
      const start = header.indexOf(column);
      expect(start).toBeGreaterThan(0);
      expect(first[start - 1]).toBe(' ');
      expect(second[start - 1]).toBe(' ');
    }
    expect(first.slice(header.indexOf('STAGE'))).toMatch(/^cohort\s/);
    expect(first).toContain('GBP 0.07 / 1,350,000.05');
    expect(first).toContain('UoB, JITRI "joint" PhD second line third');
    expect(second.slice(header.indexOf('CEREMONY'))).toMatch(/^-\s+-\s+0\s+-\s+-$/);
  });

  it('shows the ceremony in the reader’s zone in the table, as given in CSV', () => {
    // 2025-04-10T14:00:00+08:00 is 07:00 in London (BST).
    expect(formatRegister([awkward], 'table', Date.now(), 'Europe/London')).toContain('10 Apr 2025, 07:00 BST');
    expect(formatRegister([awkward], 'table', Date.now(), 'Europe/London')).not.toContain('2025-04-10T');
  });

  it('gives when approval completed, and counts the open obligations past due when read (while active)', () => {
    const now = Date.parse('2027-12-05T00:00:00Z');
    const active: RegisterRow = {
      ...plain,
      stage: 'active',
      approvedAt: '2026-12-01T10:00:00.000Z',
      obligationsOpen: 2,
      obligationsDue: ['2027-12-01T17:00:00+08:00', '2028-12-01T17:00:00Z'],
    };
    const [header, row] = parseCsv(formatRegister([active], 'csv', now));
    const cell = (name: string) => row?.[header?.indexOf(name) ?? -1];
    expect([cell('approved_at'), cell('obligations_open'), cell('obligations_overdue')]).toEqual([
      '2026-12-01T10:00:00.000Z',
      '2',
      '1',
    ]);
    expect(JSON.parse(formatRegister([active], 'json', now))).toMatchObject([{ obligationsOverdue: 1 }]);
    expect(formatRegister([active], 'table', now)).toMatch(/ 2 \/ 1 /);
    expect(JSON.parse(formatRegister([{ ...active, stage: 'completed' }], 'json', now))).toMatchObject([
      { obligationsOverdue: 0 },
    ]);
  });

  it('shows who made the last change and how that was established', () => {
    const changed = { ...awkward, updatedBy: 'finance-office', updatedByProof: 'token:k1' };
    expect(formatRegister([changed], 'table')).toMatch(/finance-office \(token:k1\)\n$/);
    const [, row] = parseCsv(formatRegister([changed], 'csv'));
    expect(row?.slice(-3, -1)).toEqual(['finance-office', 'token:k1']);
    expect(JSON.parse(formatRegister([changed], 'json'))).toMatchObject([{ updatedByProof: 'token:k1' }]);
  });
});

describe('formatHistory', () => {
  const rows = auditRowsOf('ag-1', events.slice(0, 3));

  it('writes a JSON array of the rows', () => {
    const parsed: unknown = JSON.parse(formatHistory(rows, 'json'));
    expect(parsed).toEqual(rows);
  });

  it('writes one aligned line per event with its own fields as details, the time in the reader’s zone', () => {
    const lines = formatHistory(rows, 'table', 'Asia/Shanghai').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SEQ\s+AT\s+TYPE\s+ACTOR\s+PROOF\s+DETAIL$/);
    // 2025-03-03T09:00:00.000Z, read in Shanghai.
    expect(lines[1]).toMatch(
      /^1\s+3 Mar 2025, 17:00 CST\s+started\s+coordinator@bham.example\s+claimed\s+title=UoB–JITRI joint PhD programme$/,
    );
    expect(lines[2]).toContain('from=draft to=signing reason=submitted');
    expect(lines[3]).toContain(`signatory=vc-uob signedAt=${rows[2]?.at} documentSha256=${'a1'.repeat(32)}`);
  });

  it('shows confirmed amounts in major units, as every other output does (the trail keeps minor units)', () => {
    const at = '2025-04-01T09:00:00.000Z';
    const confirmed: AuditRow = {
      agreementId: 'ag-1',
      sequence: 4,
      type: 'funding-confirmed',
      at,
      actor: 'finance@jitri.example',
      actorProof: 'token:k1',
      data: {
        type: 'funding-confirmed',
        at,
        actor: 'finance@jitri.example',
        commitment: 'jitri-phd',
        tranche: 1,
        amount: 67500050,
      },
    };
    const parsed = JSON.parse(formatHistory([confirmed], 'json')) as AuditRow[];
    expect(parsed[0]?.data).toMatchObject({ commitment: 'jitri-phd', amount: 675000.5 });
    expect(formatHistory([confirmed], 'table')).toContain('commitment=jitri-phd tranche=1 amount=675000.50');
  });

  it('writes CSV with ISO times, inert in a spreadsheet', () => {
    const hostile: AuditRow = { ...(rows[0] as AuditRow), actor: '=HYPERLINK("http://evil.example")' };
    const [header, first, ...rest] = parseCsv(formatHistory([hostile, ...rows.slice(1)], 'csv'));
    expect(header).toEqual(['sequence', 'at', 'type', 'actor', 'actor_proof', 'detail']);
    expect(first).toEqual([
      '1',
      '2025-03-03T09:00:00.000Z',
      'started',
      `'${hostile.actor}`,
      'claimed',
      'title=UoB–JITRI joint PhD programme',
    ]);
    expect(rest).toHaveLength(2);
  });
});

describe('formatSentMail', () => {
  const sent: SentMailRow = {
    key: 'invitation:ceremony:vc@uob.example',
    agreementId: 'ag-1',
    kind: 'invitation',
    recipient: 'vc@uob.example',
    subject: 'Invitation',
    messageId: '<a@agreements.local>',
    sentAt: '2026-12-01T09:00:00.000Z',
    status: 'sent',
    resends: 1,
  };
  const refused: SentMailRow = {
    ...sent,
    key: 'invitation:ceremony:bounce@uob.example',
    recipient: 'bounce@uob.example',
    status: 'refused',
    resends: 0,
    detail: '550 No such mailbox',
  };

  it('writes one aligned line per mail with its status, resends and the refusal', () => {
    const lines = formatSentMail([sent, refused], 'table', 'Europe/London').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AT\s+KIND\s+TO\s+STATUS\s+RESENDS\s+DETAIL$/);
    expect(lines[1]).toMatch(/^1 Dec 2026, 09:00 GMT\s+invitation\s+vc@uob.example\s+sent\s+1\s*$/);
    expect(lines[2]).toMatch(/bounce@uob.example\s+refused\s+0\s+550 No such mailbox$/);
  });

  it('writes a JSON array of the rows', () => {
    expect(JSON.parse(formatSentMail([sent, refused], 'json'))).toEqual([sent, refused]);
  });

  it('writes CSV with ISO times', () => {
    const [header, first, second, ...rest] = parseCsv(
      formatSentMail([sent, { ...refused, subject: '@SUM(A1)' }], 'csv'),
    );
    expect(rest).toEqual([]);
    expect(header).toEqual(['sent_at', 'kind', 'recipient', 'subject', 'status', 'resends', 'detail']);
    expect(first).toEqual(['2026-12-01T09:00:00.000Z', 'invitation', 'vc@uob.example', 'Invitation', 'sent', '1', '']);
    expect(second?.slice(3)).toEqual(["'@SUM(A1)", 'refused', '0', '550 No such mailbox']);
  });
});
