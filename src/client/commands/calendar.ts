import type { Command } from 'commander';
import { print, type Output } from '../output.ts';
import { jsonOption, type CommandContext } from './context.ts';

interface CalendarOptions extends Output {
  coordinator: string;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

/**
 * `agreements calendar --coordinator EMAIL`: the coordinator's calendar feed URL (SPEC 17). Signed here with the link
 * keys (AGREEMENTS_LINK_KEYS, or the keyring `npm run dev` made under AGREEMENTS_HOME); needs no Temporal.
 */
export function addCalendarCommand(program: Command, context: CommandContext): void {
  program
    .command('calendar')
    .description("a coordinator's calendar feed URL, to subscribe to in Outlook or Google Calendar")
    .requiredOption('--coordinator <email>', 'the coordinator whose agreements the feed shows')
    .addOption(jsonOption())
    .action(async (options: CalendarOptions) => {
      const [{ AgreementError }, { calendarUrl, CALENDAR_TTL_MS, normalEmail }, { localLinkKeys }] = await Promise.all([
        import('../agreement-error.ts'),
        import('../../links/coordinator-token.ts'),
        import('../link-keys.ts'),
      ]);
      const email = normalEmail(options.coordinator);
      if (!EMAIL.test(email))
        throw new AgreementError('invalid', `--coordinator: "${options.coordinator}" is not an email address`);
      const { config } = await context.open();
      const keys = config.linkKeys ?? (await localLinkKeys(config.home));
      if (!keys)
        throw new AgreementError(
          'invalid',
          'AGREEMENTS_LINK_KEYS is not set (use the keys of the workers and the web server), and npm run dev has made none under AGREEMENTS_HOME',
        );
      const now = Date.now();
      const url = await calendarUrl(keys, config.webPublicUrl, email, now);
      const expiresAt = new Date(now - (now % 86_400_000) + CALENDAR_TTL_MS).toISOString();
      print(options, { coordinator: email, url, expiresAt }, url);
    });
}
