// Records the workflow histories under test/histories/ that test/workflows/replay.test.ts replays, one per shape of run
// (full lifecycle, approvals and obligations, cancellation, continue-as-new, encrypted payloads, the digest), on a
// Temporal dev server of its own: node scripts/record-histories.ts (npm run record-histories).
// Workflow code changes without patched(): running agreements stay pinned to the build they started on (spec §19), so a
// change in behaviour re-records these histories (run this and commit them) instead of keeping old recordings beside
// new ones (docs/architecture.md, "Contributing"; docs/operations.md, "Deploying new versions").
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { issueActorToken } from '../src/actors/actor-token.ts';
import { AgreementsClient } from '../src/client/agreements-client.ts';
import { startDevServer } from '../src/local/devserver/dev-server.ts';
import { loadConfig } from '../src/shared/config.ts';
import { createLogger } from '../src/shared/logger.ts';
import { startWorker } from '../src/worker/run-worker.ts';
import { dataConverterFor } from '../src/codec/data-converter.ts';
import { DIGEST_WORKFLOW_TYPE, WORKFLOW_TYPE, workflowIdFor } from '../src/wire/contract.ts';
import { mou, phdProgramme } from '../test/support/agreements.ts';
import { ANNEX, TEXT_V1, TEXT_V2, addJitriFund, amendText, documents } from '../test/support/documents.ts';
import { freePort } from '../test/support/global-setup.ts';
import { HISTORY_TEST_CODEC_KEYS } from '../test/support/history-codec-key.ts';

// Ports the OS picks: startDevServer reuses a server already answering on its port, and this one must be our own.
const server = await startDevServer({ port: await freePort(), uiPort: await freePort() });
const home = await mkdtemp(join(tmpdir(), 'record-histories-'));
const config = loadConfig({
  TEMPORAL_ADDRESS: server.address,
  AGREEMENTS_HOME: home,
  TEMPORAL_TASK_QUEUE: 'record-histories',
});
const worker = await startWorker(config, createLogger({ level: 'warn' }));
const connection = await Connection.connect({ address: server.address });
const raw = new Client({ connection });
const client = AgreementsClient.fromClient(raw, config.taskQueue);

/** Saves a run's history as Temporal stores it (encrypted payloads stay encrypted); the latest run unless `runId`. */
async function save(name: string, workflowId: string, runId?: string) {
  const history = await raw.workflow.getHandle(workflowId, runId).fetchHistory();
  await mkdir('test/histories', { recursive: true });
  await writeFile(join('test/histories', `${name}.json`), historyToJSON(history));
  process.stdout.write(`recorded ${name} (${history.events?.length} events)\n`);
}

const now = Date.now();
// 1. The PhD programme through every stage, with tranches, a reschedule, a reminder and an automatic launch.
const phd = 'history-phd-programme';
await client.start(
  {
    ...phdProgramme(now, { ceremonyInMs: 6_000, launchInMs: 16_000 }),
    id: phd,
    reminders: {
      ceremonyNotice: ['PT3S'],
      signatureChase: { every: 'PT2S', escalateAfter: 1 },
      fundingChase: { every: 'PT3S' },
    },
  },
  { actor: 'Partnerships Office' },
);
await client.command(phd, 'submit', {});
await client.command(phd, 'reschedule', { at: new Date(now + 7_000).toISOString() });
await client.command(phd, 'sign', { signatory: 'vc-uob' });
await new Promise((resolve) => setTimeout(resolve, 7_000));
await client.command(phd, 'sign', { signatory: 'president-jitri' });
await client.command(phd, 'confirmFunding', { commitment: 'jitri-phd', amount: 675000, reference: 'PO-1' });
await new Promise((resolve) => setTimeout(resolve, 3_500));
await client.command(phd, 'confirmFunding', { commitment: 'jitri-phd', amount: 675000 });
await client.command(phd, 'confirmFunding', { commitment: 'uob-phd', amount: 1350000 });
await client.command(phd, 'enrol', {
  candidates: [
    { name: 'Li Wei', email: 'li.wei@jitri.example' },
    { name: 'Amy Jones', email: 'amy@uob.example' },
  ],
});
await client.command(phd, 'withdraw', { candidate: 'amy@uob.example' });
await client.command(phd, 'enrol', { name: 'Tom Clarke', email: 'tom@uob.example' });
await raw.workflow.getHandle(workflowIdFor(phd)).query('state');
while ((await client.show(phd)).stage !== 'active') await new Promise((resolve) => setTimeout(resolve, 500));
await client.command(phd, 'renew', { until: new Date(now + 400 * 24 * 3600_000).toISOString() });
await client.command(phd, 'complete', {});
await client.result(phd);
await save('phd-programme-full-lifecycle', workflowIdFor(phd));

// 2. An MoU amended in draft, then cancelled during signing.
const memo = 'history-mou';
await client.start(mou(now, memo));
await client.command(memo, 'amend', { patch: { title: 'MoU with NBLSRI (revised)' } });
await client.command(memo, 'submit', {});
await client.command(memo, 'sign', { signatory: 'vc-uob' });
await client.command(memo, 'cancel', { reason: 'superseded by a research agreement' });
await client.result(memo);
await save('mou-cancelled-in-signing', workflowIdFor(memo));

// 3. An MoU cancelled by a cancellation request in Temporal (the UI's Cancel) during signing.
const requested = 'history-mou-cancel-requested';
await client.start(mou(now, requested));
await client.command(requested, 'submit', {});
await raw.workflow.getHandle(workflowIdFor(requested)).cancel();
await client.result(requested);
await save('mou-cancel-requested-in-signing', workflowIdFor(requested));

// 3b. An MoU declined by a signatory during signing, resubmitted into a second signing round, and signed by both.
const declined = 'history-mou-declined';
await client.start(mou(now, declined));
await client.command(declined, 'submit', {});
await client.command(declined, 'sign', { signatory: 'vc-uob' });
await client.command(declined, 'decline', {
  signatory: 'president-jitri',
  reason: 'clause 7 must name both institutes',
});
await client.command(declined, 'submit', {});
await client.command(declined, 'sign', { signatory: 'president-jitri' });
await client.command(declined, 'sign', { signatory: 'vc-uob' });
await client.command(declined, 'cancel', { reason: 'recorded' });
await client.result(declined);
await save('mou-declined-resubmitted-signed', workflowIdFor(declined));

// 3c. An MoU whose signing deadline (counted from the ceremony a moment away) is extended once, then passes.
const lapsing = 'history-mou-signing-deadline';
const lapsingMou = mou(now, lapsing);
await client.start({
  ...lapsingMou,
  ceremony: { ...(lapsingMou.ceremony as object), at: new Date(Date.now() + 2_000).toISOString() },
  deadlines: { signing: 'PT2S' },
});
await client.command(lapsing, 'submit', {});
await client.command(lapsing, 'extend', { until: new Date(Date.now() + 6_000).toISOString() });
await client.result(lapsing);
await save('mou-signing-deadline-extended-passed', workflowIdFor(lapsing));

// 3d. An MoU whose signatory is replaced during signing; the new one signs.
const handedOver = 'history-mou-replaced';
await client.start(mou(now, handedOver));
await client.command(handedOver, 'submit', {});
await client.command(handedOver, 'sign', { signatory: 'vc-uob' });
await client.command(handedOver, 'replace', {
  signatory: 'president-jitri',
  name: 'Professor Wei Chen',
  email: 'vp@jitri.example',
  locale: 'zh-CN',
  reason: 'the President delegates the signature',
});
await client.command(handedOver, 'sign', { signatory: 'president-jitri' });
await client.command(handedOver, 'cancel', { reason: 'recorded' });
await client.result(handedOver);
await save('mou-signatory-replaced-signed', workflowIdFor(handedOver));

// 3e. An MoU that lists its documents: a stale hash refused, the text amended after a decline, then signed by both
// against the current hashes, which issues the certificate of completion.
const documented = 'history-mou-documents';
await client.start({ ...mou(now, documented), documents });
await client.command(documented, 'submit', {});
await client.command(documented, 'decline', { signatory: 'president-jitri', reason: 'clause 4' });
await client.command(documented, 'amend', { patch: amendText });
await client.command(documented, 'submit', {});
await client.command(documented, 'sign', { signatory: 'vc-uob', documentSha256: [TEXT_V1, ANNEX] }).then(
  () => Promise.reject(new Error('a stale document hash was accepted')),
  () => undefined,
);
await client.command(documented, 'sign', { signatory: 'vc-uob', documentSha256: [TEXT_V2, ANNEX] });
await client.command(documented, 'sign', { signatory: 'president-jitri', documentSha256: [TEXT_V2, ANNEX] });
await client.command(documented, 'cancel', { reason: 'recorded' });
await client.result(documented);
await save('mou-documents-signed-certificate', workflowIdFor(documented));

// 3f. Variations of an active MoU (SPEC 18): one withdrawn, one sent back by its approver, one declined by a
// signatory; then one adding JITRI's fund and the text's second version,
// approved and signed by all while active, which applies it, asks the new commitment's contact, chases it once and
// takes its confirmation, the agreement staying active.
const varied = 'history-mou-variation';
await client.start({
  ...mou(now, varied),
  documents,
  approvals: [{ id: 'legal', name: 'Legal Services', email: 'contracts@uob.example' }],
  reminders: { fundingChase: { every: 'PT2S' } },
});
await client.command(varied, 'submit', {});
await client.command(varied, 'approve', { approver: 'legal' });
await client.command(varied, 'sign', { signatory: 'vc-uob', documentSha256: [TEXT_V1, ANNEX] });
await client.command(varied, 'sign', { signatory: 'president-jitri', documentSha256: [TEXT_V1, ANNEX] });
const variedText = { documents: amendText.documents };
await client.command(varied, 'vary', { patch: variedText, reason: 'superseded' });
await client.command(varied, 'withdrawVariation', { variation: 'v1', reason: 'combined with the fund' });
await client.command(varied, 'vary', { patch: variedText, reason: 'the text alone' });
await client.command(varied, 'requestChanges', { approver: 'legal', variation: 'v2', reason: 'with the fund' });
await client.command(varied, 'vary', { patch: variedText, reason: 'the text, once more' });
await client.command(varied, 'approve', { approver: 'legal', variation: 'v3' });
await client.command(varied, 'decline', { signatory: 'vc-uob', variation: 'v3', reason: 'with the fund' });
await client.command(varied, 'vary', {
  reason: 'the £2.7m joint fund',
  patch: {
    ...variedText,
    ...addJitriFund,
  },
});
await client.command(varied, 'approve', { approver: 'legal', variation: 'v4' });
await client.command(varied, 'sign', { signatory: 'vc-uob', variation: 'v4', documentSha256: [TEXT_V2, ANNEX] });
await client.command(varied, 'sign', {
  signatory: 'president-jitri',
  variation: 'v4',
  documentSha256: [TEXT_V2, ANNEX],
});
await new Promise((resolve) => setTimeout(resolve, 2_500));
await client.command(varied, 'confirmFunding', { commitment: 'jitri-fund', amount: 2700000 });
await client.command(varied, 'complete', {});
await client.result(varied);
await save('mou-variation-applied-funded', workflowIdFor(varied));

// 4. An MoU through internal approval (changes requested, resubmitted, approved) and an obligation noticed, overdue,
// fulfilled, with a second added while active.
const approved = 'history-approvals-obligations';
const begun = Date.now();
const at = (ms: number) => new Date(begun + ms).toISOString();
await client.start({
  ...mou(now, approved),
  ceremony: { at: at(60_000), venue: 'Nanjing', timezone: 'Asia/Shanghai' },
  term: { endsAt: at(400 * 24 * 3600_000) },
  approvals: [
    { id: 'legal', name: 'Legal Services', email: 'contracts@uob.example' },
    { id: 'finance', name: 'Research Finance', email: 'research-finance@uob.example' },
  ],
  approvalChase: { every: 'PT2S', escalateAfter: 1 },
  obligations: [
    {
      id: 'report-1',
      title: 'Progress report',
      due: at(16_000),
      owner: { name: 'JITRI Programme Office', email: 'programme@jitri.example', timezone: 'Asia/Shanghai' },
      notice: ['PT4S'],
    },
  ],
  obligationChase: { every: 'PT2S' },
});
await client.command(approved, 'submit', {});
await client.command(approved, 'approve', { approver: 'legal' });
await client.command(approved, 'requestChanges', { approver: 'finance', reason: 'Budget line 4 unclear' });
await client.command(approved, 'amend', { patch: { summary: 'Budget line 4 clarified.' } });
await client.command(approved, 'submit', {});
await client.command(approved, 'approve', { approver: 'legal' });
await new Promise((resolve) => setTimeout(resolve, 2_500));
await client.command(approved, 'approve', { approver: 'finance', note: 'agreed' });
await client.command(approved, 'sign', { signatory: 'vc-uob' });
await client.command(approved, 'sign', { signatory: 'president-jitri' });
await client.command(approved, 'addObligation', {
  obligation: {
    id: 'report-2',
    title: 'Second report',
    due: at(300 * 24 * 3600_000),
    owner: { name: 'Partnerships Office', email: 'partnerships@uob.example' },
  },
});
while (Date.now() < begun + 19_000) await new Promise((resolve) => setTimeout(resolve, 500));
await client.command(approved, 'fulfil', { obligation: 'report-1', reference: 'DOC-1' });
await client.command(approved, 'complete', {});
await client.result(approved);
await save('approvals-obligations', workflowIdFor(approved));

// 5. A programme that continues as new (a tiny history limit forces it) while funding: the first run, which ends by
// continuing as new, and the last, which starts from the state it carried (request ids too) and is cancelled.
const hopping = 'history-continue-as-new';
const hoppingId = workflowIdFor(hopping);
const first = await raw.workflow.start(WORKFLOW_TYPE, {
  workflowId: hoppingId,
  taskQueue: config.taskQueue,
  args: [{ ...phdProgramme(now), id: hopping }, { continueAsNewAfterEvents: 40 }],
});
await client.command(hopping, 'submit', {});
await client.command(hopping, 'sign', { signatory: 'vc-uob' });
await client.command(hopping, 'sign', { signatory: 'president-jitri' });
for (let tranche = 1; tranche <= 3; tranche++) {
  await client.command(
    hopping,
    'confirmFunding',
    { commitment: 'jitri-phd', amount: 1000 },
    { requestId: `t${tranche}` },
  );
}
// The run continues as new once its handlers and deliveries are done.
for (let waited = 0; (await raw.workflow.getHandle(hoppingId).describe()).runId === first.firstExecutionRunId;) {
  if ((waited += 500) > 30_000) throw new Error(`${hopping} did not continue as new`);
  await new Promise((resolve) => setTimeout(resolve, 500));
}
// A command retried after the hop with its request id from the first run applies once.
await client.command(hopping, 'confirmFunding', { commitment: 'jitri-phd', amount: 1000 }, { requestId: 't1' });
await client.command(hopping, 'confirmFunding', { commitment: 'uob-phd', amount: 1350000 });
await client.command(hopping, 'cancel', { reason: 'programme merged into another' });
await client.result(hopping);
await save('phd-programme-continued-as-new', hoppingId, first.firstExecutionRunId);
await save('phd-programme-after-continue-as-new', hoppingId);

// 6. An MoU signed and completed on a worker and client with the AES-GCM codec, under the fixed test-only key that
// the replay test decrypts with.
const encryptedConfig = loadConfig({
  AGREEMENTS_CODEC_KEYS: HISTORY_TEST_CODEC_KEYS,
  TEMPORAL_ADDRESS: server.address,
  AGREEMENTS_HOME: await mkdtemp(join(tmpdir(), 'record-histories-encrypted-')),
  TEMPORAL_TASK_QUEUE: 'record-histories-encrypted',
});
const encryptedWorker = await startWorker(encryptedConfig, createLogger({ level: 'warn' }));
const encryptedClient = AgreementsClient.fromClient(
  new Client({ connection, dataConverter: dataConverterFor(encryptedConfig.keyring) }),
  encryptedConfig.taskQueue,
);
const secret = 'history-mou-encrypted';
await encryptedClient.start(mou(now, secret));
await encryptedClient.command(secret, 'submit', {});
await encryptedClient.command(secret, 'sign', { signatory: 'vc-uob' });
await encryptedClient.command(secret, 'sign', { signatory: 'president-jitri' });
await encryptedClient.command(secret, 'complete', {});
await encryptedClient.result(secret);
await save('mou-encrypted-signed-completed', workflowIdFor(secret));
await encryptedWorker.shutdown();

// 6b. An MoU on a worker with actor keys and a roles file without `temporal-cancel: allow`: a cancel requested in
// Temporal is recorded and refused, the agreement carries on (a signature), then is cancelled by a proven command.
const keyedHome = await mkdtemp(join(tmpdir(), 'record-histories-keyed-'));
await writeFile(join(keyedHome, 'roles.yaml'), 'partnerships: [start, submit, cancel]\nvc-uob: [sign]\n');
const keyedConfig = loadConfig({
  AGREEMENTS_ACTOR_KEYS: HISTORY_TEST_CODEC_KEYS,
  AGREEMENTS_ROLES: join(keyedHome, 'roles.yaml'),
  TEMPORAL_ADDRESS: server.address,
  AGREEMENTS_HOME: keyedHome,
  TEMPORAL_TASK_QUEUE: 'record-histories-keyed',
});
const keyedWorker = await startWorker(keyedConfig, createLogger({ level: 'warn' }));
const keyedClient = AgreementsClient.fromClient(raw, keyedConfig.taskQueue);
const tokenOf = (actor: string) => {
  if (!keyedConfig.actorKeys) throw new Error('no actor keys');
  return issueActorToken(keyedConfig.actorKeys, actor, Date.now() + 3_600_000);
};
const refused = 'history-mou-temporal-cancel-refused';
await keyedClient.start(mou(now, refused), { actor: 'partnerships', actorToken: tokenOf('partnerships') });
await keyedClient.command(refused, 'submit', { actor: 'partnerships' }, { actorToken: tokenOf('partnerships') });
await raw.workflow.getHandle(workflowIdFor(refused)).cancel();
for (let waited = 0; (await keyedClient.show(refused)).events < 3; waited += 200) {
  if (waited > 30_000) throw new Error(`${refused}: the refused cancel was not recorded`);
  await new Promise((resolve) => setTimeout(resolve, 200));
}
await keyedClient.command(refused, 'sign', { signatory: 'vc-uob', actor: 'vc-uob' }, { actorToken: tokenOf('vc-uob') });
await keyedClient.command(
  refused,
  'cancel',
  { reason: 'recorded', actor: 'partnerships' },
  { actorToken: tokenOf('partnerships') },
);
await keyedClient.result(refused);
await save('mou-temporal-cancel-refused', workflowIdFor(refused));
await keyedWorker.shutdown();

// 7. One run of the weekly digest over the agreements on its task queue (started directly, as a Schedule would).
const digestId = 'history-digest';
await raw.workflow.execute(DIGEST_WORKFLOW_TYPE, {
  workflowId: digestId,
  taskQueue: config.taskQueue,
  args: [{ scheduleId: digestId, timezone: 'Europe/London' }],
});
await save('digest-run', digestId);

await connection.close();
await worker.shutdown();
await server.stop();
await rm(home, { recursive: true, force: true });
await rm(keyedHome, { recursive: true, force: true });
