import type { AgreementsClient } from '../src/client/agreements-client.ts';
import { AgreementError } from '../src/client/agreement-error.ts';
import type { AgreementView, Stage } from '../src/domain/index.ts';
import { phdProgramme } from '../test/support/agreements.ts';
import type { RetryingCommands } from './commands.ts';
import type { SmtpSink } from '../test/mail/support/smtp-sink.ts';

const SECOND = 1000;

/** When each dated thing of one soak agreement happens, in ms after it is created. */
export interface Schedule {
  ceremony: number;
  /** The JITRI commitment falls due while its second tranche is still outstanding: a funding-overdue notice. */
  jitriDue: number;
  launch: number;
  termEnd: number;
}

/**
 * Without kills: signing done by ~12 s, funding by ~19 s, launch at 42 s, end of term at 52 s. The launch and the
 * end of term move out by `stretchMs` (the downtime the kills will cost), so that the cohort is usually full before
 * the automatic launch and the kills land while the agreements are still running.
 */
export function scheduleWith(stretchMs: number): Schedule {
  return {
    ceremony: 7 * SECOND,
    jitriDue: 14 * SECOND,
    launch: 42 * SECOND + stretchMs,
    termEnd: 52 * SECOND + stretchMs,
  };
}

/** How long after launchAt (and the end of term) the driver waits for the workflow before acting by hand. */
const LAUNCH_GRACE = 25 * SECOND;
const TERM_GRACE = 20 * SECOND;

export const REMINDERS = {
  ceremonyNotice: ['PT3S'],
  signatureChase: { every: 'PT2S', escalateAfter: 1 },
  fundingChase: { every: 'PT3S', escalateAfter: 1 },
  launchNotice: ['PT2S'],
  renewalNotice: ['PT2S'],
};

export const COORDINATOR = 'partnerships@uob.example';

export const CANDIDATES = [
  { name: 'Li Wei', email: 'li.wei@jitri.example', party: 'jitri' },
  { name: 'Amy Jones', email: 'amy.jones@uob.example', party: 'uob' },
  { name: 'Zhang Min', email: 'zhang.min@jitri.example', party: 'jitri' },
];

/** The confirmations the driver sends: JITRI in two tranches, UoB in one. */
export const CONFIRMATIONS = [
  { commitment: 'jitri-phd', amount: 675000, reference: 'PO-1' },
  { commitment: 'uob-phd', amount: 1350000, reference: 'UOB-1' },
  { commitment: 'jitri-phd', amount: 675000, reference: 'PO-2' },
] as const;

/** The UoB–JITRI PhD programme with a unique id, every date a few seconds ahead and second-scale reminders. */
export function soakAgreement(id: string, createdAt: number, schedule: Schedule): Record<string, unknown> {
  const base = phdProgramme(createdAt, {
    ceremonyInMs: schedule.ceremony,
    launchInMs: schedule.launch,
    termInMs: schedule.termEnd,
  });
  const funding = base.funding as { currency: string; commitments: Record<string, unknown>[] };
  return {
    ...base,
    id,
    title: `UoB–JITRI joint PhD researcher programme (soak ${id})`,
    funding: {
      ...funding,
      commitments: funding.commitments.map((commitment) =>
        commitment.id === 'jitri-phd'
          ? { ...commitment, dueAt: new Date(createdAt + schedule.jitriDue).toISOString() }
          : commitment,
      ),
    },
    reminders: REMINDERS,
  };
}

export interface DriveContext {
  agreements: AgreementsClient;
  commands: RetryingCommands;
  sink: SmtpSink;
  log: (line: string) => void;
}

export interface DriveOutcome {
  id: string;
  final?: AgreementView;
  error?: string;
  /** Commands the driver sent that the workflow should have applied exactly once each. */
  signatures: number;
  confirmations: number;
  enrolled: number;
  launchedByHand: boolean;
  completedByHand: boolean;
}

/**
 * Drives one agreement through its whole lifecycle: submit, sign (one signatory late, so chases and an escalation go
 * out), confirm funding (one commitment in two tranches, after a chase), enrol three candidates, wait for the
 * automatic launch and the end of term — launching or completing by hand only if the moment passed without it.
 */
export async function driveAgreement(
  context: DriveContext,
  id: string,
  createdAt: number,
  document: Record<string, unknown>,
  schedule: Schedule,
): Promise<DriveOutcome> {
  const { commands, sink, log } = context;
  const outcome: DriveOutcome = {
    id,
    signatures: 0,
    confirmations: 0,
    enrolled: 0,
    launchedByHand: false,
    completedByHand: false,
  };
  const at = (offset: number) => createdAt + offset;
  const stageIs =
    (...stages: Stage[]) =>
    async () => {
      const described = await commands.stage(id);
      return described?.stage !== undefined && stages.includes(described.stage);
    };
  const until = async (moment: number) => {
    const wait = moment - Date.now();
    if (wait > 0) await commands.pause(wait);
  };
  /** Waits (bounded) until the sink holds the mail: delivery may lag behind a kill, the lifecycle should not. */
  const mailOrTimeout = async (key: string, maxMs: number) => {
    const deadline = Date.now() + maxMs;
    while (!sink.hasKey(id, key) && Date.now() < deadline) await commands.pause(250);
    return sink.hasKey(id, key);
  };
  /** Polls the published stage until it is one of `stages` (true) or `deadline` passes (false). */
  const reached = async (stages: Stage[], deadline: number) => {
    for (;;) {
      if (await stageIs(...stages)()) return true;
      if (Date.now() >= deadline) return false;
      await commands.pause(500);
    }
  };
  const rid = (step: string) => `${id}:${step}`;

  try {
    await startOnce(context, id, document);

    let ceremonyAt = at(schedule.ceremony);
    await commands.send(id, 'submit', {}, rid('submit'), {
      // A worker kill can hold the submit past the ceremony time: move the ceremony and submit again.
      onRejected: async (message) => {
        if (!/ceremony\.at: must be in the future/.test(message)) return false;
        ceremonyAt = Date.now() + schedule.ceremony;
        log(`${id}: the ceremony passed while the worker was down; rescheduling it`);
        await commands.send(id, 'reschedule', { at: new Date(ceremonyAt).toISOString() }, rid('reschedule'));
        await commands.send(id, 'submit', {}, rid('submit-after-reschedule'));
        return true;
      },
    });
    await commands.send(id, 'sign', { signatory: 'vc-uob' }, rid('sign-vc-uob'));
    outcome.signatures++;

    // The President signs late: chase 1 and 2 and the escalation are due 2 s and 4 s after the ceremony.
    await until(ceremonyAt + 5 * SECOND);
    await mailOrTimeout(`signature-escalation:president-jitri:${COORDINATOR}`, 8 * SECOND);
    await commands.send(id, 'sign', { signatory: 'president-jitri' }, rid('sign-president-jitri'));
    outcome.signatures++;
    const fundingFrom = Date.now();

    const [jitri1, uob, jitri2] = CONFIRMATIONS;
    await commands.send(id, 'confirmFunding', { ...jitri1 }, rid('confirm-1'));
    outcome.confirmations++;
    // UoB answers after its chase (3 s) and the escalation (6 s).
    await until(fundingFrom + 6.5 * SECOND);
    await mailOrTimeout(`funding-escalation:uob-phd:${COORDINATOR}`, 8 * SECOND);
    await commands.send(id, 'confirmFunding', { ...uob }, rid('confirm-2'));
    outcome.confirmations++;
    await commands.send(id, 'confirmFunding', { ...jitri2 }, rid('confirm-3'));
    outcome.confirmations++;

    const [first, ...rest] = CANDIDATES;
    if (first) await commands.send(id, 'enrol', first, rid('enrol-1'));
    await commands.send(id, 'enrol', { candidates: rest }, rid('enrol-2'));
    outcome.enrolled = CANDIDATES.length;

    // The launch is automatic at launchAt; if the cohort was still short then (the worker was down), launch by hand.
    // A restarted worker picks a workflow up only after its sticky queue times out (10 s) and it has bundled its
    // workflows, hence the grace.
    if (!(await reached(['active', 'completed'], at(schedule.launch) + LAUNCH_GRACE))) {
      log(
        `${id}: still in cohort ${LAUNCH_GRACE / SECOND} s after launchAt (worker down, or the cohort filled after launchAt); launching by hand`,
      );
      await commands.send(id, 'launch', {}, rid('launch'), { alreadyDone: stageIs('active', 'completed') });
      outcome.launchedByHand = true;
    }
    // The term ends by itself shortly after; complete by hand only if it has not (it always should).
    if (!(await reached(['completed'], at(schedule.termEnd) + TERM_GRACE))) {
      log(`${id}: still active ${TERM_GRACE / SECOND} s after the end of term; completing by hand`);
      await commands.send(id, 'complete', {}, rid('complete'), { alreadyDone: stageIs('completed') });
      outcome.completedByHand = true;
    }
    outcome.final = await commands.result(id);
    return outcome;
  } catch (error) {
    outcome.error = error instanceof Error ? error.message : String(error);
    return outcome;
  }
}

/** Starting needs no worker; a retry after a lost answer finds the agreement already started, which is fine. */
async function startOnce(context: DriveContext, id: string, document: Record<string, unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await context.agreements.start(document);
      return;
    } catch (error) {
      if (error instanceof AgreementError && error.kind === 'exists' && attempt > 1) return;
      if (error instanceof AgreementError && (error.kind === 'invalid' || error.kind === 'exists')) throw error;
      if (attempt >= 10) throw error;
      await context.commands.pause(1000);
    }
  }
}
