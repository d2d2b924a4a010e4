import { Option, type Command } from 'commander';
import type { Stage } from '../../domain/state.ts';
import { AgreementError } from '../agreement-error.ts';
import { print, type Output } from '../output.ts';
import { jsonOption, stageOption, type CommandContext } from './context.ts';

type Format = 'table' | 'json' | 'csv';

const formatOption = () =>
  new Option('--format <format>', 'output format (csv and json keep ISO times)')
    .choices(['table', 'json', 'csv'])
    .default('table');

/** `--json` is `--format json`; tables show times in the reader's zone (TZ, else the machine's). */
const formatOf = (options: Output & { format: Format }): Format => (options.json ? 'json' : options.format);

/** `7d` after now, for a `--…-within` option; undefined when the option is absent. */
async function withinFromNow(option: string, text: string | undefined): Promise<Date | undefined> {
  if (text === undefined) return undefined;
  const { durationFromText } = await import('../../domain/duration.ts');
  const within = durationFromText(text);
  if (!within) throw new AgreementError('invalid', `${option}: must be a duration like 7d or P7D, got "${text}"`);
  return new Date(Date.now() + within.ms);
}

/** The commands that read: an agreement's state from Temporal, the records (trail, mail, register) from the store. */
export function addReadCommands(program: Command, context: CommandContext): void {
  const format = async () => import('../records-format.ts');

  program
    .command('show')
    .description('the current state of an agreement')
    .argument('<id>', 'agreement id')
    .addOption(jsonOption())
    .action(async (id: string, options: Output) => {
      const session = await context.open();
      // The server's HTTP API where configured (no gRPC client to load); else, or when it cannot answer, the client.
      const { stateOverHttp } = await import('../http-state-query.ts');
      const view = (await stateOverHttp(session.config, id)) ?? (await session.withClient((client) => client.show(id)));
      // The table's code (and its text measuring) only for a person reading it.
      const described = options.json ? '' : (await import('../describe.ts')).describeAgreement(view);
      print(options, view, described);
    });

  program
    .command('list')
    .description('agreements from Temporal visibility')
    .addOption(stageOption())
    .option('--reminders-due-within <duration>', 'only those with a reminder due within this time (e.g. 7d, P7D)')
    .option('--obligations-due-within <duration>', 'only those with an open obligation due within this time (e.g. 30d)')
    .option('--query <visibility-query>', 'an extra Temporal visibility query')
    .option(
      '--build <build-id>',
      'only agreements whose current run is on this build (agreements upgrade shows builds)',
    )
    .addOption(jsonOption())
    .action(
      async (
        options: Output & {
          stage?: Stage;
          remindersDueWithin?: string;
          obligationsDueWithin?: string;
          query?: string;
          build?: string;
        },
      ) => {
        const filter = {
          stage: options.stage,
          remindersDueBefore: await withinFromNow('--reminders-due-within', options.remindersDueWithin),
          obligationsDueBefore: await withinFromNow('--obligations-due-within', options.obligationsDueWithin),
          query: options.query,
          build: options.build,
        };
        const session = await context.open();
        const agreements = await session.withClient((client) => client.list(filter));
        const { describeList } = await import('../describe.ts');
        print(options, agreements, describeList(agreements));
      },
    );

  program
    .command('history')
    .description('the audit trail of an agreement, from the records store')
    .argument('<id>', 'agreement id')
    .addOption(formatOption())
    .addOption(jsonOption())
    .action(async (id: string, options: Output & { format: Format }) => {
      const session = await context.open();
      const rows = await session.withRecords((records) => records.history(id));
      process.stdout.write((await format()).formatHistory(rows, formatOf(options)));
    });

  program
    .command('mail')
    .description("the sent-mail log of an agreement: each mail's status and resends, from the records store")
    .argument('<id>', 'agreement id')
    .addOption(formatOption())
    .addOption(jsonOption())
    .action(async (id: string, options: Output & { format: Format }) => {
      const session = await context.open();
      const { rows, missing } = await session.withRecords(async (records) => ({
        rows: await records.sentMail(id),
        missing: records.missing,
      }));
      process.stdout.write((await format()).formatSentMail(rows, formatOf(options)));
      if (missing) await warnNoRecords('no mail is recorded', missing);
    });

  program
    .command('certificate')
    .description('the certificate of completion (PDF) of an agreement, from the records store')
    .argument('<id>', 'agreement id')
    .option('--out <file>', 'write the PDF to this file (without it: to standard output, unless that is a terminal)')
    .option('--variation <id>', 'the certificate of this variation (v1, v2, …), issued when it applied')
    .option(
      '--sequence <n>',
      'the certificate issued at this audit row (default: the latest; a variation that applies issues one too)',
    )
    .addOption(jsonOption())
    .action(async (id: string, options: Output & { out?: string; sequence?: string; variation?: string }) => {
      const { sequence, variation } = options;
      if (sequence !== undefined && !/^[1-9]\d{0,8}$/.test(sequence)) {
        throw new AgreementError('invalid', `--sequence: must be an audit row number such as 12 (got "${sequence}")`);
      }
      if (sequence !== undefined && variation !== undefined) {
        throw new AgreementError('invalid', '--variation, --sequence: give one of them, not both');
      }
      const session = await context.open();
      const certificate = await session.withRecords(async (records) => {
        const row = variation === undefined ? undefined : await records.variationAppliedAt(id, variation);
        return records.certificate(id, row ?? (sequence === undefined ? undefined : Number(sequence)));
      });
      const { writeCertificate } = await import('../certificate-output.ts');
      await writeCertificate(certificate, options);
    });

  program
    .command('register')
    .description('the register of agreements, from the records store')
    .addOption(stageOption())
    .addOption(formatOption())
    .addOption(jsonOption())
    .action(async (options: Output & { stage?: Stage; format: Format }) => {
      const session = await context.open();
      const { rows, missing } = await session.withRecords(async (records) => ({
        rows: await records.register(options.stage ? { stage: options.stage } : {}),
        missing: records.missing,
      }));
      process.stdout.write((await format()).formatRegister(rows, formatOf(options)));
      if (missing) await warnNoRecords('the register is empty', missing);
    });
}

async function warnNoRecords(what: string, missing: string): Promise<void> {
  const { noRecordsYet } = await import('../records-client.ts');
  process.stderr.write(`agreements: ${what}: ${noRecordsYet(missing)}\n`);
}
