// The UoB–JITRI programme driven on the production topology, and what a finished one must have left behind: shared by
// the stack's tests (test/local/stack).
import { expect } from 'vitest';
import type { CommandArgs, CommandName } from '../../src/domain/index.ts';
import { phdProgramme, programmeMailKeys } from './agreements.ts';
import { mailFor } from './mailpit.ts';
import type { ProductionStack } from './production-stack.ts';
import { eventually } from './worker.ts';

/** The programme's commands from draft to completed, as the coordinators would issue them. */
export type ProgrammeStep = { [N in CommandName]: { name: N; args: CommandArgs<N> } }[CommandName];
export const PROGRAMME_COMMANDS: ProgrammeStep[] = [
  { name: 'submit', args: {} },
  { name: 'sign', args: { signatory: 'vc-uob', documentSha256: 'ab'.repeat(32) } },
  { name: 'sign', args: { signatory: 'president-jitri' } },
  { name: 'confirmFunding', args: { commitment: 'jitri-phd', amount: 675000, reference: 'PO-1' } },
  { name: 'confirmFunding', args: { commitment: 'jitri-phd', amount: 675000 } },
  { name: 'confirmFunding', args: { commitment: 'uob-phd', amount: 1350000 } },
  { name: 'enrol', args: { name: 'Li Wei', email: 'li.wei@jitri.example', party: 'jitri' } },
  { name: 'enrol', args: { name: 'Amy Jones', email: 'amy.jones@uob.example', party: 'uob' } },
  { name: 'launch', args: {} },
  { name: 'complete', args: {} },
];

/**
 * Starts the programme and drives it through every stage; `between(step)` runs after command `step` (1-based), where
 * a test breaks something. Returns the stage after each command.
 */
export async function driveProgramme(
  production: ProductionStack,
  id: string,
  between: (step: number) => Promise<void> = async () => {},
) {
  const { agreements } = production;
  await agreements.start({ ...phdProgramme(Date.now()), id });
  const stages: string[] = [];
  for (const [index, step] of PROGRAMME_COMMANDS.entries()) {
    const view = await sendProgrammeCommand(production, id, step);
    stages.push(view.stage);
    await between(index + 1);
  }
  return stages;
}

/** The audit trail once it holds `events` rows: numbered 1..n, no gap, no repeat. */
async function auditTrail(production: ProductionStack, id: string, events: number) {
  return eventually(
    async () => {
      const rows = await production.records.history(id);
      return rows.length >= events ? rows : undefined;
    },
    60_000,
    `${events} audit rows for ${id}`,
  );
}

/** Mailpit's inbox for the agreement once `count` messages are there (delivery runs behind the commands). */
async function inbox(production: ProductionStack, id: string, count: number) {
  return eventually(
    async () => {
      const mail = await mailFor(production.stack.env.MAILPIT_URL, id);
      return mail.length >= count ? mail : undefined;
    },
    60_000,
    `${count} messages for ${id} in Mailpit`,
  );
}

/** Everything a finished programme must have left: every event once, every mail once, the register completed. */
export async function expectCompleteRecordsAndMail(production: ProductionStack, id: string) {
  const final = await production.agreements.result(id);
  expect(final.stage).toBe('completed');
  const trail = await auditTrail(production, id, final.events);
  expect(trail.map((row) => row.sequence)).toEqual(Array.from({ length: final.events }, (_, i) => i + 1));
  expect(trail.filter((row) => row.type === 'stage-changed')).toHaveLength(5);

  const keys = programmeMailKeys(id);
  const mail = await inbox(production, id, keys.length);
  // Give a late duplicate the chance to arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const settled = await mailFor(production.stack.env.MAILPIT_URL, id);
  expect([...new Set(settled.map((m) => m.notificationKey))].sort()).toEqual(keys);
  const sentLog = await production.records.sentMail(id);
  expect(sentLog.map((row) => row.key).sort()).toEqual(keys);
  // One copy of each mail, except where a worker died after the server's reply and before the log: the copy sent
  // again has the same Message-ID, and the log owns to it as a resend (spec §5).
  for (const row of sentLog) {
    const copies = settled.filter((m) => m.notificationKey === row.key);
    expect(new Set(copies.map((m) => m.messageId)).size, `one Message-ID for ${row.key}`).toBe(1);
    expect(copies.length, `copies of ${row.key}`).toBeLessThanOrEqual(1 + row.resends);
  }
  expect(mail.length).toBeGreaterThanOrEqual(keys.length);
  return { final, mail: settled };
}

/** Sends one of the programme's commands to agreement `id`; the new state comes back. */
export function sendProgrammeCommand<N extends CommandName>(
  production: ProductionStack,
  id: string,
  step: { name: N; args: CommandArgs<N> },
) {
  return production.agreements.command(id, step.name, step.args);
}

/** Sends the programme's commands `from` (0-based, inclusive) up to `to` (exclusive) to agreement `id`. */
export async function sendProgrammeCommands(production: ProductionStack, id: string, from: number, to: number) {
  for (const step of PROGRAMME_COMMANDS.slice(from, to)) await sendProgrammeCommand(production, id, step);
}
