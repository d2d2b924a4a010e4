import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { agreementDocuments, parseAgreement } from '../../src/domain/index.ts';
import { phdProgramme } from '../support/agreements.ts';

const now = Date.parse('2026-11-28T12:00:00Z');
const errorsOf = (document: unknown) => {
  const result = parseAgreement(document);
  return result.ok ? [] : result.errors;
};
const withChange = (change: (doc: Record<string, unknown>) => void) => {
  const document = structuredClone(phdProgramme(now));
  change(document);
  return document;
};

describe('agreement file validation', () => {
  it('accepts every example agreement', () => {
    const files = readdirSync('examples').filter((file) => file.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) expect(errorsOf(parse(readFileSync(`examples/${file}`, 'utf8'))), file).toEqual([]);
  });

  it('names the field path of an unknown party reference', () => {
    const errors = errorsOf(withChange((doc) => ((doc.signatories as { party: string }[])[1]!.party = 'jitr')));
    expect(errors).toEqual(['signatories[1].party: unknown party "jitr"']);
  });

  it('rejects unknown keys instead of ignoring them', () => {
    expect(errorsOf(withChange((doc) => (doc.colour = 'blue')))).toEqual(['unknown key "colour"']);
    expect(errorsOf(withChange((doc) => ((doc.ceremony as Record<string, unknown>).room = 'Hall A')))).toEqual([
      'ceremony: unknown key "room"',
    ]);
  });

  it('rejects a ceremony time without an offset', () => {
    const errors = errorsOf(
      withChange((doc) => ((doc.ceremony as Record<string, unknown>).at = '2027-01-15T10:00:00')),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^ceremony\.at: must be an ISO 8601 date-time with an offset/);
  });

  it('rejects unknown timezones, duplicate ids and emails, and bad amounts', () => {
    const errors = errorsOf(
      withChange((doc) => {
        (doc.parties as { timezone: string }[])[0]!.timezone = 'Europe/Birmingham';
        const signatories = doc.signatories as { id: string; email: string }[];
        signatories[1]!.id = 'vc-uob';
        signatories[1]!.email = 'VC@uob.example';
        (doc.funding as { commitments: { amount: number }[] }).commitments[0]!.amount = 10.005;
      }),
    );
    expect(errors).toContain('parties[0].timezone: unknown timezone "Europe/Birmingham"');
    expect(errors).toContain('funding.commitments[0].amount: must have at most 2 decimals');
    const duplicates = errorsOf(
      withChange((doc) => {
        const signatories = doc.signatories as { id: string; email: string }[];
        signatories[1]!.id = 'vc-uob';
        signatories[1]!.email = 'VC@uob.example';
      }),
    );
    expect(duplicates).toEqual([
      'signatories[1].id: duplicate id "vc-uob"',
      'signatories[1].email: duplicate email "vc@uob.example"',
    ]);
  });

  it('holds amounts as integer minor units and parses both duration forms', () => {
    const result = parseAgreement(
      withChange((doc) => {
        (doc.funding as { commitments: { amount: number }[] }).commitments[0]!.amount = 500000.5;
        doc.reminders = { ceremonyNotice: ['P14D', '30s'], signatureChase: { every: '2h' } };
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.funding?.commitments[0]?.amount).toBe(50000050);
    expect(result.value.reminders.ceremonyNotice).toEqual([
      { iso: 'P14D', ms: 14 * 86400_000 },
      { iso: 'PT30S', ms: 30_000 },
    ]);
    expect(result.value.reminders.signatureChase).toEqual({ every: { iso: 'PT2H', ms: 7200_000 }, escalateAfter: 3 });
    expect(result.value.reminders.renewalNotice.map((d) => d.iso)).toEqual(['P180D', 'P90D', 'P30D']);
  });

  it('refuses line breaks in names, so no mail header can be injected', () => {
    const errors = errorsOf(
      withChange((doc) => ((doc.coordinators as { name: string }[])[0]!.name = 'Office\r\nBcc: x@evil.example')),
    );
    expect(errors).toEqual(['coordinators[0].name: must not contain line breaks or control characters']);
  });

  it('reports a missing required field as required', () => {
    expect(errorsOf(withChange((doc) => delete doc.title))).toEqual(['title: is required']);
  });

  it('splits a batch file in both list forms', () => {
    const one = phdProgramme(now);
    expect(agreementDocuments(one)).toEqual({ ok: true, value: [one] });
    expect(agreementDocuments([one, one])).toEqual({ ok: true, value: [one, one] });
    expect(agreementDocuments({ agreements: [one, one, one] })).toEqual({ ok: true, value: [one, one, one] });
  });

  it('rejects a batch file with unknown keys beside the list, a list that is not one, or nothing in it', () => {
    const one = phdProgramme(now);
    expect(agreementDocuments({ agreements: [one], bogus: 1 })).toEqual({
      ok: false,
      errors: ['unknown key "bogus" beside agreements'],
    });
    expect(agreementDocuments({ agreements: one })).toEqual({ ok: false, errors: ['agreements: must be a list'] });
    expect(agreementDocuments([])).toEqual({ ok: false, errors: ['no agreements: the list is empty'] });
    expect(agreementDocuments({ agreements: [] })).toEqual({ ok: false, errors: ['no agreements: the list is empty'] });
  });

  it('takes a locale on every person and names the field of one it does not know', () => {
    const document = withChange((doc) => {
      (doc.signatories as Record<string, unknown>[])[1]!.locale = 'zh-CN';
      (doc.coordinators as Record<string, unknown>[])[0]!.locale = 'en';
    });
    const parsed = parseAgreement(document);
    expect(parsed.ok && parsed.value.signatories[1]?.locale).toBe('zh-CN');
    expect(parsed.ok && parsed.value.signatories[0]?.locale).toBeUndefined();

    const errors = errorsOf(withChange((doc) => ((doc.signatories as Record<string, unknown>[])[1]!.locale = 'zh')));
    expect(errors).toEqual(['signatories[1].locale: must be one of en, zh-CN']);
    const contact = errorsOf(
      withChange((doc) => {
        const funding = doc.funding as { commitments: { contact: Record<string, unknown> }[] };
        funding.commitments[0]!.contact.locale = 'fr';
      }),
    );
    expect(contact).toEqual(['funding.commitments[0].contact.locale: must be one of en, zh-CN']);
  });
});
