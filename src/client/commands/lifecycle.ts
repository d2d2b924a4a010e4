import { CommanderError, Option, type Command } from 'commander';
import type { AgreementView, CommandArgs, CommandName } from '../../domain/index.ts';
import { LOCALES, type Locale } from '../../domain/locale.ts';
import { AgreementError } from '../agreement-error.ts';
import { localTime } from '../human-times.ts';
import { money } from '../money.ts';
import { plural, type UpdateOptions } from '../output.ts';
import { updateCommand, type CommandContext } from './context.ts';
import { addVariationCommands, variationApproved, variationSigned, type RunUpdate } from './variations.ts';

/** `500000.50` → 500000.5. Anything but plain decimal notation (`0x10`, `1e6`, an empty value) is not a number. */
function amountOption(text: string): number {
  return /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** One hash goes as a string, as before lists were accepted; several as a list (one per document). */
function quotedHashes(hashes: string[] = []): string | string[] | undefined {
  return hashes.length > 1 ? hashes : hashes[0];
}

const signatories = (n: number) => plural(n, 'signatory', 'signatories');

/** The commands that move an agreement through its stages, in the order they come up. */
export function addLifecycleCommands(program: Command, context: CommandContext): void {
  /**
   * Checks the arguments as the workflow will (so a bad value is named as such even when Temporal is down), then
   * sends one Update through the session (the Temporal client is loaded only now) and prints the new state.
   */
  const run: RunUpdate = async <N extends CommandName>(
    id: string,
    name: N,
    args: CommandArgs<N>,
    options: UpdateOptions,
    done: (view: AgreementView) => string,
  ) => {
    const { parseCommand } = await import('../../domain/commands.ts');
    const parsed = parseCommand(name, args);
    if (!parsed.ok) throw new AgreementError('invalid', parsed.errors.join('; '));
    return (await context.open()).runUpdate(id, name, args, options, done);
  };
  const readMapping = async (file: string, what: string) => (await import('../files.ts')).readDataMapping(file, what);

  updateCommand(program, 'amend', 'merge-patch the draft (RFC 7396) and re-validate')
    .requiredOption('--file <patch>', 'YAML or JSON merge patch (- reads standard input)')
    .action(async (id: string, options: UpdateOptions & { file: string }) => {
      const patch = await readMapping(options.file, 'a merge patch');
      await run(id, 'amend', { patch }, options, () => `${id}: amended`);
    });

  updateCommand(
    program,
    'submit',
    'submit the draft: to its approvers when it has any (→ approval), else for signature (→ signing)',
  ).action((id: string, options: UpdateOptions) =>
    run(id, 'submit', {}, options, (v) =>
      v.stage === 'approval'
        ? `${id}: submitted for approval, requests going to ${plural(v.approvals.length, 'approver')}`
        : `${id}: submitted, invitations going to ${signatories(v.signatures.length)}`,
    ),
  );

  updateCommand(program, 'approve', 'record one internal approval (all approved → signing), or of a variation')
    .requiredOption('--approver <id>', 'approver id')
    .option('--note <text>', 'a note for the record')
    .option('--variation <id>', 'approve this variation of the active agreement (v1, v2, …)')
    .action((id: string, options: UpdateOptions & { approver: string; note?: string; variation?: string }) => {
      const { approver, note, variation } = options;
      if (variation !== undefined) {
        return run(id, 'approve', { approver, note, variation }, options, variationApproved(id, variation, approver));
      }
      return run(id, 'approve', { approver, note }, options, (v) =>
        v.stage === 'signing'
          ? `${id}: approved by ${options.approver}; all approvals given, invitations going to ${signatories(v.signatures.length)}`
          : `${id}: approved by ${options.approver} (${v.approvals.filter((a) => a.approvedAt).length}/${v.approvals.length})`,
      );
    });

  updateCommand(
    program,
    'request-changes',
    'send the agreement back to draft with a reason (approvals cleared), or a variation back (withdrawn)',
  )
    .requiredOption('--approver <id>', 'approver id')
    .requiredOption('--reason <text>', 'what must change')
    .option('--variation <id>', 'send this variation of the active agreement back instead (v1, v2, …)')
    .action((id: string, options: UpdateOptions & { approver: string; reason: string; variation?: string }) => {
      const { approver, reason, variation } = options;
      return run(id, 'requestChanges', { approver, reason, variation }, options, () =>
        variation === undefined
          ? `${id}: changes requested by ${approver}; back to draft`
          : `${id}: changes to variation ${variation} requested by ${approver}; it is withdrawn`,
      );
    });

  updateCommand(program, 'reschedule', 'move the signing ceremony (in draft, approval or signing)')
    .requiredOption('--at <iso>', 'new ceremony time, ISO 8601 with offset')
    .option('--venue <venue>', 'new venue')
    .action((id: string, options: UpdateOptions & { at: string; venue?: string }) =>
      run(id, 'reschedule', { at: options.at, venue: options.venue }, options, (v) =>
        v.ceremony ? `${id}: ceremony moved to ${localTime(v.ceremony.at)}` : `${id}: ceremony moved`,
      ),
    );

  updateCommand(program, 'sign', 'record one signature (all signed → the next stage), or of a variation')
    .requiredOption('--signatory <id>', 'signatory id')
    .option('--at <iso>', 'when it was signed (default: now)')
    .option(
      '--document-sha256 <hex>',
      'the current SHA-256 of a document signed; repeat it for each document the agreement lists',
      (hex: string, earlier: string[] = []) => [...earlier, hex],
    )
    .option('--variation <id>', 'sign this variation of the active agreement (v1, v2, …), quoting its documents')
    .action(
      (
        id: string,
        options: UpdateOptions & { signatory: string; at?: string; documentSha256?: string[]; variation?: string },
      ) => {
        const { signatory, at, variation } = options;
        const args = { signatory, at, documentSha256: quotedHashes(options.documentSha256) };
        if (variation !== undefined) {
          return run(id, 'sign', { ...args, variation }, options, variationSigned(id, variation, signatory));
        }
        return run(
          id,
          'sign',
          args,
          options,
          (v) =>
            `${id}: signed by ${signatory} (${v.signatures.filter((s) => s.signedAt).length}/${v.signatures.length})`,
        );
      },
    );

  updateCommand(
    program,
    'decline',
    'a signatory declines to sign: back to draft, signatures cleared; or declines a variation (withdrawn)',
  )
    .requiredOption('--signatory <id>', 'signatory id')
    .requiredOption('--reason <text>', 'why they decline (told to the coordinators)')
    .option('--variation <id>', 'decline this variation of the active agreement instead (v1, v2, …)')
    .action((id: string, options: UpdateOptions & { signatory: string; reason: string; variation?: string }) => {
      const { signatory, reason, variation } = options;
      return run(id, 'decline', { signatory, reason, variation }, options, () =>
        variation === undefined
          ? `${id}: ${signatory} declined to sign; back to draft (submit again to start a new signing round)`
          : `${id}: ${signatory} declined variation ${variation}; it is withdrawn, the agreement stands as it was`,
      );
    });

  updateCommand(program, 'extend', 'move the current stage’s deadline (approval or signing; coordinators only)')
    .requiredOption('--until <iso>', 'the new deadline, ISO 8601 with offset')
    .action((id: string, options: UpdateOptions & { until: string }) =>
      run(id, 'extend', { until: options.until }, options, (v) =>
        v.deadline
          ? `${id}: ${v.deadline.stage} deadline moved to ${localTime(v.deadline.at)}`
          : `${id}: deadline moved`,
      ),
    );

  updateCommand(
    program,
    'replace',
    'hand a signatory’s or approver’s part to another person (in draft, approval or signing)',
  )
    .option('--signatory <id>', 'the signatory to replace (or --approver)')
    .option('--approver <id>', 'the approver to replace (or --signatory)')
    .requiredOption('--name <name>', 'the new person’s name')
    .requiredOption('--email <email>', 'the new person’s email')
    .option('--title <title>', 'the new signatory’s title')
    .addOption(new Option('--locale <locale>', 'the language the new person’s mail is written in').choices(LOCALES))
    .requiredOption('--reason <text>', 'why (in the audit trail and the mail)')
    .action(
      (
        id: string,
        options: UpdateOptions & {
          signatory?: string;
          approver?: string;
          name: string;
          email: string;
          title?: string;
          locale?: Locale;
          reason: string;
        },
      ) => {
        if ((options.signatory === undefined) === (options.approver === undefined)) {
          throw new CommanderError(2, 'usage', 'replace needs exactly one of --signatory and --approver');
        }
        const { signatory, approver, name, email, title, locale, reason } = options;
        const who = signatory ?? approver;
        return run(
          id,
          'replace',
          { signatory, approver, name, email, title, locale, reason },
          options,
          () => `${id}: ${who} is now ${name} <${email}>`,
        );
      },
    );

  updateCommand(
    program,
    'confirm-funding',
    'confirm all or part (a tranche) of a funding commitment (all confirmed → the next stage)',
  )
    .requiredOption('--commitment <id>', 'commitment id')
    .requiredOption('--amount <n>', 'amount in major units (e.g. 500000.50)')
    .option('--reference <ref>', 'purchase order or transfer reference')
    .action((id: string, options: UpdateOptions & { commitment: string; amount: string; reference?: string }) => {
      const amount = amountOption(options.amount);
      const args = { commitment: options.commitment, amount, reference: options.reference };
      return run(id, 'confirmFunding', args, options, (v) => {
        const currency = v.funding?.currency ?? '';
        const total = v.funding
          ? ` (${money(v.funding.confirmed, currency)} of ${money(v.funding.required, currency)} confirmed)`
          : '';
        return `${id}: confirmed ${money(amount, currency)} on ${options.commitment}${total}`;
      });
    });

  updateCommand(program, 'enrol', 'enrol candidates in the cohort: --name and --email, or --csv FILE')
    .option('--name <name>', 'candidate name (with --email)')
    .option('--email <email>', 'candidate email (with --name)')
    .option('--party <id>', 'the candidate’s party')
    .addOption(new Option('--locale <locale>', 'the language the candidate’s mail is written in').choices(LOCALES))
    .option('--csv <file>', 'CSV with a header row: name,email[,party][,locale] (- reads standard input)')
    .action(
      async (
        id: string,
        options: UpdateOptions & { name?: string; email?: string; party?: string; locale?: Locale; csv?: string },
      ) => {
        if (
          options.csv !== undefined &&
          (options.name !== undefined ||
            options.email !== undefined ||
            options.party !== undefined ||
            options.locale !== undefined)
        ) {
          throw new CommanderError(
            2,
            'usage',
            'give either --csv or --name/--email [--party] [--locale], not both (the CSV has its own party and locale columns)',
          );
        }
        let args: CommandArgs<'enrol'>;
        if (options.csv !== undefined) {
          const { readCandidatesCsv } = await import('../files.ts');
          args = { candidates: await readCandidatesCsv(options.csv) };
        } else if (options.name !== undefined && options.email !== undefined)
          args = { name: options.name, email: options.email, party: options.party, locale: options.locale };
        else throw new CommanderError(2, 'usage', 'enrol needs --name and --email, or --csv FILE');
        await run(
          id,
          'enrol',
          args,
          options,
          (v) => `${id}: ${v.cohort?.enrolled.length} enrolled of ${v.cohort?.capacity}`,
        );
      },
    );

  updateCommand(program, 'withdraw', 'remove a candidate from the cohort')
    .requiredOption('--candidate <email>', 'candidate email')
    .action((id: string, options: UpdateOptions & { candidate: string }) =>
      run(id, 'withdraw', { candidate: options.candidate }, options, () => `${id}: withdrew ${options.candidate}`),
    );

  updateCommand(program, 'launch', 'launch the cohort (→ active); needs the minimum enrolled').action(
    (id: string, options: UpdateOptions) => run(id, 'launch', {}, options, () => `${id}: launched`),
  );

  updateCommand(program, 'renew', 'extend the term')
    .requiredOption('--until <iso>', 'new end of term, ISO 8601 with offset')
    .action((id: string, options: UpdateOptions & { until: string }) =>
      run(id, 'renew', { until: options.until }, options, (v) =>
        v.term ? `${id}: term extended to ${localTime(v.term.endsAt)}` : `${id}: term extended`,
      ),
    );

  updateCommand(program, 'fulfil', 'mark an obligation fulfilled')
    .requiredOption('--obligation <id>', 'obligation id')
    .option('--reference <ref>', 'where the report or deliverable is filed')
    .action((id: string, options: UpdateOptions & { obligation: string; reference?: string }) =>
      run(
        id,
        'fulfil',
        { obligation: options.obligation, reference: options.reference },
        options,
        (v) =>
          `${id}: ${options.obligation} fulfilled (${v.obligations.filter((o) => !o.fulfilledAt).length} still open)`,
      ),
    );

  updateCommand(program, 'add-obligation', 'add an obligation (id, title, due, owner, notice) to a live agreement')
    .requiredOption('--file <obligation>', 'YAML or JSON file with one obligation (- reads standard input)')
    .action(async (id: string, options: UpdateOptions & { file: string }) => {
      const obligation = await readMapping(options.file, 'an obligation');
      await run(
        id,
        'addObligation',
        { obligation },
        options,
        (v) => `${id}: obligation added (${v.obligations.length} in all)`,
      );
    });

  addVariationCommands(program, run, readMapping);

  updateCommand(program, 'complete', 'complete the agreement (→ completed)').action(
    (id: string, options: UpdateOptions) => run(id, 'complete', {}, options, () => `${id}: completed`),
  );

  updateCommand(program, 'cancel', 'cancel the agreement (→ cancelled)')
    .requiredOption('--reason <text>', 'why')
    .action((id: string, options: UpdateOptions & { reason: string }) =>
      run(id, 'cancel', { reason: options.reason }, options, () => `${id}: cancelled`),
    );
}
