import type { Command } from 'commander';
import type { AgreementView, CommandArgs, CommandName, VariationView } from '../../domain/index.ts';
import { plural, type UpdateOptions } from '../output.ts';
import { updateCommand } from './context.ts';

/** Sends one Update and prints the new state, the line `done` makes of it first (lifecycle.ts's runner). */
export type RunUpdate = <N extends CommandName>(
  id: string,
  name: N,
  args: CommandArgs<N>,
  options: UpdateOptions,
  done: (view: AgreementView) => string,
) => Promise<void>;

const signatories = (n: number) => plural(n, 'signatory', 'signatories');
const count = (acted: readonly { at: string | null }[]) => `${acted.filter((a) => a.at).length}/${acted.length}`;

function variationIn(view: AgreementView, id: string | undefined): VariationView | undefined {
  return id === undefined ? view.variations.at(-1) : view.variations.find((v) => v.id === id);
}

/** Where a variation has gone on its way: to its approvers, to its signatories, or applied. */
function nextStep(variation: VariationView): string {
  if (variation.status === 'approval') return `requests going to ${plural(variation.approvals.length, 'approver')}`;
  if (variation.status === 'signing') return `invitations going to ${signatories(variation.signatures.length)}`;
  const funders = new Set(variation.sets.commitments.map((commitment) => commitment.funder));
  return funders.size > 0 ? `applied; funding requested of ${plural(funders.size, 'funder')}` : 'applied';
}

/** `approve --variation`: who approved it and how many have, or that it goes to the signatories now. */
export function variationApproved(id: string, variation: string, approver: string) {
  return (view: AgreementView): string => {
    const found = variationIn(view, variation);
    if (!found) return `${id}: variation ${variation} approved by ${approver}`;
    if (found.status !== 'approval') {
      return `${id}: variation ${variation} approved by ${approver}; all approvals given, ${nextStep(found)}`;
    }
    const approvals = found.approvals.map((a) => ({ at: a.approvedAt }));
    return `${id}: variation ${variation} approved by ${approver} (${count(approvals)})`;
  };
}

/** `sign --variation`: who signed it and how many have, or that it applies now. */
export function variationSigned(id: string, variation: string, signatory: string) {
  return (view: AgreementView): string => {
    const found = variationIn(view, variation);
    if (!found) return `${id}: variation ${variation} signed by ${signatory}`;
    const signed = `${id}: variation ${variation} signed by ${signatory} (${count(found.signatures.map((s) => ({ at: s.signedAt })))})`;
    return found.status === 'applied' ? `${signed}; ${nextStep(found)}` : signed;
  };
}

/** The commands of a variation of an active agreement (SPEC 18): propose one, and withdraw it. */
export function addVariationCommands(
  program: Command,
  run: RunUpdate,
  readMapping: (file: string, what: string) => Promise<Record<string, unknown>>,
): void {
  updateCommand(
    program,
    'vary',
    'propose a variation of an active agreement: to its approvers, then its signatories; applies when all have signed',
  )
    .requiredOption(
      '--file <patch>',
      'YAML or JSON merge patch on term, cohort.capacity, funding.commitments, obligations or documents (- reads standard input)',
    )
    .requiredOption('--reason <text>', 'why (in the audit trail and every mail of the variation)')
    .action(async (id: string, options: UpdateOptions & { file: string; reason: string }) => {
      const patch = await readMapping(options.file, 'a merge patch');
      await run(id, 'vary', { patch, reason: options.reason }, options, (view) => {
        const variation = variationIn(view, undefined);
        return variation
          ? `${id}: variation ${variation.id} proposed, ${nextStep(variation)}`
          : `${id}: variation proposed`;
      });
    });

  updateCommand(program, 'withdraw-variation', 'withdraw a variation still awaiting approval or signature')
    .requiredOption('--variation <id>', 'variation id (v1, v2, … as show lists them)')
    .option('--reason <text>', 'why (in the audit trail)')
    .action((id: string, options: UpdateOptions & { variation: string; reason?: string }) =>
      run(
        id,
        'withdrawVariation',
        { variation: options.variation, reason: options.reason },
        options,
        () => `${id}: variation ${options.variation} withdrawn`,
      ),
    );
}
