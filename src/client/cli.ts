import { Command, CommanderError, Option } from 'commander';
import { durationFromText, LOCALES, STAGES, type CommandArgs, type Locale, type Stage } from '../domain/index.ts';
import { ConfigError, loadConfig } from '../shared/config.ts';
import { addActorsCommand } from './actors-command.ts';
import { CliSession, defaultActor, print, type Output, type UpdateOptions } from './cli-session.ts';
import { describeAgreement, describeList, money } from './describe.ts';
import { addDigestCommand } from './digest-command.ts';
import { AgreementError } from './errors.ts';
import { readCandidatesCsv, readDataFile } from './files.ts';
import { noRecordsYet } from './records-client.ts';
import { formatHistory, formatSentMail, formatRegister } from './records-format.ts';

/** `500000.50` → 500000.5. Anything but plain decimal notation (`0x10`, `1e6`, an empty value) is not a number. */
function amountOption(text: string): number {
  return /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** A usage error in one line (commander puts its "Did you mean …?" on a second one), with where to look. */
function usageLine(message: string): string {
  return `agreements: ${message
    .trim()
    .split(/\s*\n\s*/)
    .join(' ')} (run with --help for usage)`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `7d` after now, for a `--…-within` option; undefined when the option is absent. */
function withinFromNow(option: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const within = durationFromText(text);
  if (!within) throw new AgreementError('invalid', `${option}: must be a duration like 7d or P7D, got "${text}"`);
  return new Date(Date.now() + within.ms);
}

const stageOption = () => new Option('--stage <stage>', 'only agreements in this stage').choices(STAGES);

function updateCommand(program: Command, name: string, description: string) {
  return program
    .command(name)
    .description(description)
    .argument('<id>', 'agreement id')
    .option('--json', 'machine-readable output')
    .option('--request-id <id>', 'idempotency key: a retried command with the same id applies once')
    .option('--actor <name>', 'who is acting, for the audit trail (default: $AGREEMENTS_ACTOR or your user name)');
}

export function buildProgram(env: NodeJS.ProcessEnv = process.env): Command {
  const session = new CliSession(() => loadConfig(env));
  const program = new Command('agreements')
    .description('Drive partnership agreements through draft → approval → signing → funding → cohort → active.')
    // One line for a usage error too: commander's message, with the hint on the same line.
    .configureOutput({ outputError: (message, write) => write(`${usageLine(message.replace(/^error: /, ''))}\n`) })
    .exitOverride()
    // A bad configuration stops the command before it does anything.
    .hook('preAction', () => {
      session.load();
    });

  program
    .command('start')
    .description('validate agreement files and start one workflow per agreement')
    .argument(
      '<files...>',
      'YAML or JSON agreement files (one agreement, a list, or agreements: [...]); - reads standard input',
    )
    .option('--json', 'machine-readable output')
    .option(
      '--actor <name>',
      'who is starting them, for the audit trail (default: $AGREEMENTS_ACTOR or your user name)',
    )
    .action(async (files: string[], options: Output & { actor?: string }) => {
      const sources = await Promise.all(
        files.map(async (file) => ({ label: files.length > 1 ? file : '', content: await readDataFile(file) })),
      );
      const actor = options.actor ?? defaultActor();
      const started = await session.withClient((client) => client.startBatch(sources, { actor }));
      print(options, started, started.map((s) => `started ${s.id} (workflow ${s.workflowId})`).join('\n'));
    });

  updateCommand(program, 'amend', 'merge-patch the draft (RFC 7396) and re-validate')
    .requiredOption('--file <patch>', 'YAML or JSON merge patch (- reads standard input)')
    .action(async (id: string, options: UpdateOptions & { file: string }) => {
      const patch = (await readDataFile(options.file)) as Record<string, unknown>;
      await session.runUpdate(id, 'amend', { patch }, options, () => `${id}: amended`);
    });

  updateCommand(program, 'submit', 'send the draft for signature (→ signing)').action(
    (id: string, options: UpdateOptions) =>
      session.runUpdate(id, 'submit', {}, options, (v) =>
        v.stage === 'approval'
          ? `${id}: submitted for approval, requests going to ${plural(v.approvals.length, 'approver')}`
          : `${id}: submitted, invitations going to ${plural(v.signatures.length, 'signatory', 'signatories')}`,
      ),
  );

  updateCommand(program, 'approve', 'record one internal approval (all approved → signing)')
    .requiredOption('--approver <id>', 'approver id')
    .option('--note <text>', 'a note for the record')
    .action((id: string, options: UpdateOptions & { approver: string; note?: string }) =>
      session.runUpdate(id, 'approve', { approver: options.approver, note: options.note }, options, (v) =>
        v.stage === 'signing'
          ? `${id}: approved by ${options.approver}; all approvals given, invitations going to ${plural(v.signatures.length, 'signatory', 'signatories')}`
          : `${id}: approved by ${options.approver} (${v.approvals.filter((a) => a.approvedAt).length}/${v.approvals.length})`,
      ),
    );

  updateCommand(program, 'request-changes', 'send the agreement back to draft with a reason (approvals cleared)')
    .requiredOption('--approver <id>', 'approver id')
    .requiredOption('--reason <text>', 'what must change')
    .action((id: string, options: UpdateOptions & { approver: string; reason: string }) =>
      session.runUpdate(
        id,
        'requestChanges',
        { approver: options.approver, reason: options.reason },
        options,
        () => `${id}: changes requested by ${options.approver}; back to draft`,
      ),
    );

  updateCommand(program, 'reschedule', 'move the signing ceremony')
    .requiredOption('--at <iso>', 'new ceremony time, ISO 8601 with offset')
    .option('--venue <venue>', 'new venue')
    .action((id: string, options: UpdateOptions & { at: string; venue?: string }) =>
      session.runUpdate(
        id,
        'reschedule',
        { at: options.at, venue: options.venue },
        options,
        (v) => `${id}: ceremony moved to ${v.ceremony?.at}`,
      ),
    );

  updateCommand(program, 'sign', 'record one signature')
    .requiredOption('--signatory <id>', 'signatory id')
    .option('--at <iso>', 'when it was signed (default: now)')
    .option('--document-sha256 <hex>', 'SHA-256 of the signed document')
    .action((id: string, options: UpdateOptions & { signatory: string; at?: string; documentSha256?: string }) =>
      session.runUpdate(
        id,
        'sign',
        {
          signatory: options.signatory,
          at: options.at,
          documentSha256: options.documentSha256,
        },
        options,
        (v) =>
          `${id}: signed by ${options.signatory} (${v.signatures.filter((s) => s.signedAt).length}/${v.signatures.length})`,
      ),
    );

  updateCommand(program, 'confirm-funding', 'confirm all or part (a tranche) of a funding commitment')
    .requiredOption('--commitment <id>', 'commitment id')
    .requiredOption('--amount <n>', 'amount in major units (e.g. 500000.50)')
    .option('--reference <ref>', 'purchase order or transfer reference')
    .action((id: string, options: UpdateOptions & { commitment: string; amount: string; reference?: string }) => {
      const amount = amountOption(options.amount);
      return session.runUpdate(
        id,
        'confirmFunding',
        {
          commitment: options.commitment,
          amount,
          reference: options.reference,
        },
        options,
        (v) => {
          const currency = v.funding?.currency ?? '';
          const total = v.funding
            ? ` (${money(v.funding.confirmed, currency)} of ${money(v.funding.required, currency)} confirmed)`
            : '';
          return `${id}: confirmed ${money(amount, currency)} on ${options.commitment}${total}`;
        },
      );
    });

  updateCommand(program, 'enrol', 'enrol candidates in the cohort')
    .option('--name <name>', 'candidate name')
    .option('--email <email>', 'candidate email')
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
        if (options.csv !== undefined) args = { candidates: await readCandidatesCsv(options.csv) };
        else if (options.name !== undefined && options.email !== undefined)
          args = {
            name: options.name,
            email: options.email,
            party: options.party,
            locale: options.locale,
          };
        else throw new CommanderError(2, 'usage', 'enrol needs --name and --email, or --csv FILE');
        await session.runUpdate(
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
      session.runUpdate(
        id,
        'withdraw',
        { candidate: options.candidate },
        options,
        () => `${id}: withdrew ${options.candidate}`,
      ),
    );

  updateCommand(program, 'launch', 'launch the cohort (→ active)').action((id: string, options: UpdateOptions) =>
    session.runUpdate(id, 'launch', {}, options, () => `${id}: launched`),
  );

  updateCommand(program, 'renew', 'extend the term')
    .requiredOption('--until <iso>', 'new end of term, ISO 8601 with offset')
    .action((id: string, options: UpdateOptions & { until: string }) =>
      session.runUpdate(
        id,
        'renew',
        { until: options.until },
        options,
        (v) => `${id}: term extended to ${v.term?.endsAt}`,
      ),
    );

  updateCommand(program, 'fulfil', 'mark an obligation fulfilled')
    .requiredOption('--obligation <id>', 'obligation id')
    .option('--reference <ref>', 'where the report or deliverable is filed')
    .action((id: string, options: UpdateOptions & { obligation: string; reference?: string }) =>
      session.runUpdate(
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
      const obligation = (await readDataFile(options.file)) as Record<string, unknown>;
      await session.runUpdate(
        id,
        'addObligation',
        { obligation },
        options,
        (v) => `${id}: obligation added (${v.obligations.length} in all)`,
      );
    });

  updateCommand(program, 'complete', 'complete the agreement (→ completed)').action(
    (id: string, options: UpdateOptions) => session.runUpdate(id, 'complete', {}, options, () => `${id}: completed`),
  );

  updateCommand(program, 'cancel', 'cancel the agreement (→ cancelled)')
    .requiredOption('--reason <text>', 'why')
    .action((id: string, options: UpdateOptions & { reason: string }) =>
      session.runUpdate(id, 'cancel', { reason: options.reason }, options, () => `${id}: cancelled`),
    );

  program
    .command('show')
    .description('the current state of an agreement')
    .argument('<id>', 'agreement id')
    .option('--json', 'machine-readable output')
    .action(async (id: string, options: Output) => {
      const view = await session.withClient((client) => client.show(id));
      print(options, view, describeAgreement(view));
    });

  program
    .command('list')
    .description('agreements from Temporal visibility')
    .addOption(stageOption())
    .option('--reminders-due-within <duration>', 'only those with a reminder due within this time (e.g. 7d, P7D)')
    .option('--obligations-due-within <duration>', 'only those with an open obligation due within this time (e.g. 30d)')
    .option('--query <visibility-query>', 'an extra Temporal visibility query')
    .option('--json', 'machine-readable output')
    .action(
      async (
        options: Output & { stage?: Stage; remindersDueWithin?: string; obligationsDueWithin?: string; query?: string },
      ) => {
        const agreements = await session.withClient((client) =>
          client.list({
            stage: options.stage,
            remindersDueBefore: withinFromNow('--reminders-due-within', options.remindersDueWithin),
            obligationsDueBefore: withinFromNow('--obligations-due-within', options.obligationsDueWithin),
            query: options.query,
          }),
        );
        print(options, agreements, describeList(agreements));
      },
    );

  program
    .command('history')
    .description('the audit trail of an agreement, from the records store')
    .argument('<id>', 'agreement id')
    .option('--json', 'machine-readable output')
    .action(async (id: string, options: Output) => {
      const rows = await session.withRecords((records) => records.history(id));
      process.stdout.write(formatHistory(rows, options.json ? 'json' : 'table'));
    });

  program
    .command('mail')
    .description("the sent-mail log of an agreement: each mail's status and resends, from the records store")
    .argument('<id>', 'agreement id')
    .option('--json', 'machine-readable output')
    .action(async (id: string, options: Output) => {
      const { rows, missing } = await session.withRecords(async (records) => ({
        rows: await records.sentMail(id),
        missing: records.missing,
      }));
      process.stdout.write(formatSentMail(rows, options.json ? 'json' : 'table'));
      if (missing) process.stderr.write(`agreements: no mail is recorded: ${noRecordsYet(missing)}\n`);
    });

  program
    .command('register')
    .description('the register of agreements, from the records store')
    .addOption(stageOption())
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--json', 'same as --format json')
    .action(async (options: Output & { stage?: Stage; format: 'table' | 'json' | 'csv' }) => {
      const { rows, missing } = await session.withRecords(async (records) => ({
        rows: await records.register(options.stage ? { stage: options.stage } : {}),
        missing: records.missing,
      }));
      process.stdout.write(formatRegister(rows, options.json ? 'json' : options.format));
      if (missing) process.stderr.write(`agreements: the register is empty: ${noRecordsYet(missing)}\n`);
    });

  addDigestCommand(program, session);
  addActorsCommand(program, session);

  return program;
}

/** Runs the CLI and returns the exit code: 0 done, 1 rejected/invalid, 2 usage, 3 unreachable. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0)
        return 0;
      if (error.code === 'usage') process.stderr.write(`${usageLine(error.message)}\n`);
      return 2;
    }
    if (error instanceof AgreementError) {
      process.stderr.write(`agreements: ${error.message.split('\n').join('; ')}\n`);
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`agreements: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`agreements: unexpected error: ${message.split('\n')[0]}\n`);
    return 1;
  }
}
