import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgreementError } from '../../src/client/agreement-error.ts';
import type { AgreementView } from '../../src/domain/index.ts';
import { mou, phdProgramme, PROGRAMME_STAGES, programmeMailKeys } from '../support/agreements.ts';
import { eventually, startTestStack, type TestStack } from '../support/worker.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const uniqueId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const DAY = 24 * 3600_000;

async function rejected(promise: Promise<unknown>): Promise<AgreementError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AgreementError);
  return error as AgreementError;
}

/** Waits until the records store holds the workflow's events (the outbox delivers them in the background). */
async function auditTrailOf(id: string, events: number) {
  return eventually(
    async () => {
      const rows = await stack.dependencies.records.history(id);
      return rows.length >= events ? rows : undefined;
    },
    30_000,
    `${events} audit rows for ${id}`,
  );
}

async function sentKeys(id: string, count: number): Promise<string[]> {
  const rows = await eventually(
    async () => {
      const sent = await stack.dependencies.records.sentMail(id);
      return sent.length >= count ? sent : undefined;
    },
    30_000,
    `${count} sent mails for ${id}`,
  );
  return rows.map((row) => row.key).sort();
}

describe('agreement lifecycle on a real Temporal server', () => {
  it('drives the PhD programme from draft to completed, with one audit row per event and every notice sent', async () => {
    const id = uniqueId('phd');
    const { client } = stack;
    await client.start({ ...phdProgramme(Date.now()), id });
    const stages: string[] = [];
    const step = async (...args: Parameters<typeof client.command>) => {
      const view = await client.command(...args);
      stages.push(view.stage);
      return view;
    };
    await step(id, 'submit', {});
    await step(id, 'sign', { signatory: 'vc-uob', documentSha256: 'ab'.repeat(32) });
    await step(id, 'sign', { signatory: 'president-jitri' });
    await step(id, 'confirmFunding', { commitment: 'jitri-phd', amount: 675000, reference: 'PO-1' });
    await step(id, 'confirmFunding', { commitment: 'jitri-phd', amount: 675000 });
    const funded = await step(id, 'confirmFunding', { commitment: 'uob-phd', amount: 1350000 });
    expect(funded.funding).toMatchObject({ currency: 'GBP', required: 2700000, confirmed: 2700000 });
    await step(id, 'enrol', { name: 'Li Wei', email: 'li.wei@jitri.example', party: 'jitri' });
    await step(id, 'enrol', { candidates: [{ name: 'Amy Jones', email: 'amy.jones@uob.example', party: 'uob' }] });
    await step(id, 'launch', {});
    await step(id, 'complete', {});
    expect(stages).toEqual(PROGRAMME_STAGES);
    const final = await client.result(id);
    expect(final.stage).toBe('completed');
    expect(final.signatures.map((s) => s.signedAt !== null)).toEqual([true, true]);
    expect(final.cohort?.enrolled.map((c) => c.email)).toEqual(['li.wei@jitri.example', 'amy.jones@uob.example']);

    const trail = await auditTrailOf(id, final.events);
    expect(trail.map((row) => row.sequence)).toEqual(Array.from({ length: final.events }, (_, i) => i + 1));
    expect(trail.map((row) => row.type)).toEqual([
      'started',
      'stage-changed',
      'signed',
      'signed',
      'stage-changed',
      'funding-confirmed',
      'funding-confirmed',
      'funding-confirmed',
      'stage-changed',
      'enrolled',
      'enrolled',
      'stage-changed',
      'stage-changed',
    ]);

    const keys = await sentKeys(id, 27);
    expect(keys).toEqual(programmeMailKeys(id));
    const register = await stack.dependencies.records.register();
    expect(register.find((row) => row.id === id)).toMatchObject({
      stage: 'completed',
      fundingConfirmed: 270000000,
      cohortSize: 2,
    });
  });

  it('rejects every bad command with a clear message and writes nothing', async () => {
    const id = uniqueId('reject');
    const { client } = stack;
    await client.start({ ...phdProgramme(Date.now()), id });
    const cases: [() => Promise<unknown>, RegExp][] = [
      [
        () => client.command(id, 'sign', { signatory: 'vc-uob' }),
        /^sign is not allowed in stage "draft" \(allowed in: signing, active\)$/,
      ],
      [
        () => client.command(id, 'amend', { patch: { cohort: { minimum: 99 } } }),
        /^cohort\.minimum: must not exceed capacity$/,
      ],
      [() => client.command(id, 'amend', { patch: { id: 'another' } }), /^id: cannot be changed/],
      [() => client.command(id, 'launch', {}), /^launch is not allowed in stage "draft"/],
      [
        () => client.command(id, 'confirmFunding', { commitment: 'jitri-phd', amount: -5 }),
        /^amount: must be positive$/,
      ],
    ];
    for (const [attempt, message] of cases) expect((await rejected(attempt())).message).toMatch(message);
    await client.command(id, 'submit', {});
    const more: [() => Promise<unknown>, RegExp][] = [
      [() => client.command(id, 'sign', { signatory: 'jitr' }), /unknown signatory "jitr"/],
      [() => client.command(id, 'reschedule', { at: '2020-01-01T00:00:00Z' }), /^at: must be in the future/],
      [
        () => client.command(id, 'reschedule', { at: '2027-01-15T10:00:00' }),
        /^at: must be an ISO 8601 date-time with an offset/,
      ],
    ];
    for (const [attempt, message] of more) expect((await rejected(attempt())).message).toMatch(message);
    await client.command(id, 'sign', { signatory: 'vc-uob' });
    expect((await rejected(client.command(id, 'sign', { signatory: 'vc-uob' }))).message).toBe(
      'signatory: "vc-uob" has already signed',
    );

    const view = await client.show(id);
    expect(view.events).toBe(3);
    const trail = await auditTrailOf(id, 3);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await stack.dependencies.records.history(id)).length).toBe(trail.length);
    expect(trail.map((row) => row.type)).toEqual(['started', 'stage-changed', 'signed']);
    const sent = await sentKeys(id, 5);
    expect(sent.map((key) => key.split(':')[0]).sort()).toEqual(
      ['started', 'invitation', 'invitation', 'invitation', 'signature-recorded'].sort(),
    );
    await client.command(id, 'cancel', { reason: 'test over' });
  });

  it('skips absent stages: an MoU goes from signing straight to active', async () => {
    const id = uniqueId('mou');
    const { client } = stack;
    await client.start(mou(Date.now(), id));
    await client.command(id, 'submit', {});
    await client.command(id, 'sign', { signatory: 'vc-uob' });
    const view = await client.command(id, 'sign', { signatory: 'president-jitri' });
    expect(view.stage).toBe('active');
    expect(view.funding).toBeNull();
    expect(view.cohort).toBeNull();
    await client.command(id, 'complete', {});
    expect((await client.result(id)).stage).toBe('completed');
  });

  it('launches automatically at launchAt when the minimum is enrolled', async () => {
    const id = uniqueId('autolaunch');
    const { client } = stack;
    const start = Date.now();
    await client.start({ ...phdProgramme(start, { launchInMs: 8_000 }), id, funding: undefined });
    await client.command(id, 'submit', {});
    await client.command(id, 'sign', { signatory: 'vc-uob' });
    await client.command(id, 'sign', { signatory: 'president-jitri' });
    await client.command(id, 'enrol', {
      candidates: [
        { name: 'Li Wei', email: 'li.wei@jitri.example' },
        { name: 'Amy Jones', email: 'amy.jones@uob.example' },
      ],
    });
    expect((await client.show(id)).stage).toBe('cohort');
    const active = await eventually(
      async () => {
        const view = await client.show(id);
        return view.stage === 'active' ? view : undefined;
      },
      30_000,
      'automatic launch',
    );
    expect(Date.now()).toBeGreaterThanOrEqual(start + 8_000);
    expect(active.events).toBe(8);
    const trail = await auditTrailOf(id, 8);
    expect(trail.at(-1)?.data).toMatchObject({
      type: 'stage-changed',
      to: 'active',
      reason: 'launched-automatically',
      actor: 'system',
    });
    await client.command(id, 'cancel', { reason: 'test over' });
  });

  it('cancels from every non-final stage and then accepts nothing more', async () => {
    const { client } = stack;
    const drives: Record<string, (id: string) => Promise<unknown>> = {
      draft: async () => undefined,
      signing: (id) => client.command(id, 'submit', {}),
      funding: async (id) => {
        await client.command(id, 'submit', {});
        await client.command(id, 'sign', { signatory: 'vc-uob' });
        await client.command(id, 'sign', { signatory: 'president-jitri' });
      },
      cohort: async (id) => {
        await drives.funding!(id);
        await client.command(id, 'confirmFunding', { commitment: 'jitri-phd', amount: 1350000 });
        await client.command(id, 'confirmFunding', { commitment: 'uob-phd', amount: 1350000 });
      },
      active: async (id) => {
        await drives.cohort!(id);
        await client.command(id, 'enrol', {
          candidates: [
            { name: 'A', email: 'a@x.example' },
            { name: 'B', email: 'b@x.example' },
          ],
        });
        await client.command(id, 'launch', {});
      },
    };
    await Promise.all(
      Object.entries(drives).map(async ([stage, drive]) => {
        const id = uniqueId(`cancel-${stage}`);
        await client.start({ ...phdProgramme(Date.now()), id });
        await drive(id);
        expect((await client.show(id)).stage).toBe(stage);
        const view = await client.command(id, 'cancel', { reason: `JITRI withdrew during ${stage}` });
        expect(view.stage).toBe('cancelled');
        const final: AgreementView = await client.result(id);
        expect(final).toMatchObject({ stage: 'cancelled', cancelReason: `JITRI withdrew during ${stage}` });
        const error = await rejected(client.command(id, 'cancel', { reason: 'again' }));
        expect(error.message).toMatch(/has ended/);
      }),
    );
  });

  it("treats a cancellation request in Temporal (the UI's Cancel) as cancel: records and mail still go out", async () => {
    const id = uniqueId('ui-cancel');
    const { client } = stack;
    await client.start({ ...mou(Date.now(), id) });
    await client.command(id, 'submit', {});
    await stack.env.client.workflow.getHandle(`agreement-${id}`).cancel();

    const final: AgreementView = await client.result(id);
    expect(final).toMatchObject({ stage: 'cancelled', cancelReason: 'cancellation requested in Temporal' });
    const trail = await auditTrailOf(id, final.events);
    // Without actor keys a Temporal cancel request still cancels, recorded as what it is: nobody proven.
    expect(trail.at(-1)).toMatchObject({
      type: 'stage-changed',
      actor: 'temporal',
      actorProof: 'unverified',
      data: { from: 'signing', to: 'cancelled' },
    });
    // The coordinator and both signatories hear of it.
    const cancelledMail = await eventually(
      async () => {
        const keys = (await stack.dependencies.records.sentMail(id))
          .map((row) => row.key)
          .filter((key) => key.startsWith('cancelled:'));
        return keys.length >= 3 ? keys : undefined;
      },
      30_000,
      'the cancelled mail',
    );
    expect(cancelledMail.map((key) => key.split(':')[2]).sort()).toEqual([
      'partnerships@uob.example',
      'president@jitri.example',
      'vc@uob.example',
    ]);
  });

  it('applies a retried command with the same request id once', async () => {
    const id = uniqueId('retry');
    const { client } = stack;
    await client.start({ ...phdProgramme(Date.now()), id });
    await client.command(id, 'submit', {}, { requestId: 'req-submit-1' });
    const first = await client.command(id, 'sign', { signatory: 'vc-uob' }, { requestId: 'req-sign-1' });
    const again = await client.command(id, 'sign', { signatory: 'vc-uob' }, { requestId: 'req-sign-1' });
    expect(again.events).toBe(first.events);
    expect(again.signatures.filter((s) => s.signedAt)).toHaveLength(1);
    const error = await rejected(client.command(id, 'sign', { signatory: 'vc-uob' }, { requestId: 'req-sign-2' }));
    expect(error.message).toMatch(/already signed/);
    await client.command(id, 'cancel', { reason: 'test over' });
  });

  it('refuses to start an agreement whose id exists, and a file with errors', async () => {
    const id = uniqueId('dup');
    const { client } = stack;
    await client.start({ ...phdProgramme(Date.now()), id });
    const error = await rejected(client.start({ ...phdProgramme(Date.now()), id }));
    expect(error.kind).toBe('exists');
    expect(error.message).toBe(`agreement "${id}" already exists (workflow id agreement-${id})`);
    const invalid = await rejected(
      client.startAll({
        agreements: [
          { ...phdProgramme(Date.now()), id: uniqueId('ok') },
          { ...phdProgramme(Date.now()), id: 'X' },
        ],
      }),
    );
    expect(invalid.kind).toBe('invalid');
    expect(invalid.message).toMatch(/^agreements\[1\]\.id: must use only lowercase letters/);
    await client.command(id, 'cancel', { reason: 'test over' });
  });

  it('publishes stage, parties and dates as search attributes, with a title and current details', async () => {
    const id = uniqueId('visible');
    const { client } = stack;
    const now = Date.now();
    await client.start({ ...phdProgramme(now, { ceremonyInMs: 20 * DAY }), id });
    await client.command(id, 'submit', {});
    await client.command(id, 'sign', { signatory: 'vc-uob' });
    const handle = stack.env.client.workflow.getHandle(`agreement-${id}`);
    const description = await eventually(async () => {
      const described = await handle.describe();
      return described.searchAttributes.AgreementStage?.[0] === 'signing' ? described : undefined;
    });
    expect(description.searchAttributes).toMatchObject({
      AgreementKind: ['phd-programme'],
      AgreementParties: ['uob', 'jitri'],
    });
    expect(description.searchAttributes.CeremonyAt?.[0]).toEqual(new Date(now + 20 * DAY));
    const reminder = (await client.show(id)).nextReminderAt;
    expect(reminder).not.toBeNull();
    expect((description.searchAttributes.NextReminderAt?.[0] as Date).toISOString()).toBe(reminder);
    expect(await description.staticSummary()).toBe('UoB–JITRI joint PhD researcher programme');
    expect(await description.staticDetails()).toContain(
      '**Parties:** University of Birmingham, Jiangsu Industry Technology Research Institute',
    );
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('- **Stage:** signing');
    expect(metadata.currentDetails).toContain('- **Signatures:** 1 of 2');
    expect(metadata.currentDetails).toContain('**Next reminder:** ceremony notice P14D');

    const listed = await eventually(async () => {
      const found = await client.list({ stage: 'signing', query: `WorkflowId = "agreement-${id}"` });
      return found.length === 1 ? found : undefined;
    });
    expect(listed[0]).toMatchObject({ id, stage: 'signing', title: 'UoB–JITRI joint PhD researcher programme' });
    const dueSoon = await client.list({
      remindersDueBefore: new Date(now + 3600_000),
      query: `WorkflowId = "agreement-${id}"`,
    });
    expect(dueSoon).toEqual([]);
    await client.command(id, 'cancel', { reason: 'test over' });
  });

  it('lists an amended draft under its new title', async () => {
    const id = uniqueId('retitled');
    const { client } = stack;
    await client.start({ ...phdProgramme(Date.now()), id });
    await client.command(id, 'amend', { patch: { title: 'UoB–JITRI joint PhD programme (revised)' } });
    const listed = await eventually(async () => {
      const found = await client.list({ query: `WorkflowId = "agreement-${id}"` });
      return found[0]?.title === 'UoB–JITRI joint PhD programme (revised)' ? found : undefined;
    });
    expect(listed).toHaveLength(1);
    await client.command(id, 'cancel', { reason: 'test over' });
  });
});
