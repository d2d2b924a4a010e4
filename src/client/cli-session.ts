import type { AgreementView, CommandArgs, CommandName } from '../domain/index.ts';
import type { AppConfig } from '../shared/config.ts';
import type { AgreementsClient } from './agreements-client.ts';
import { defaultActor, print, type UpdateOptions } from './output.ts';
import type { RecordsClient } from './records-client.ts';

/**
 * What one CLI command runs with: its configuration, read once before it starts, and the clients made from it. The
 * clients are imported when first used, so that a command that needs none (or only the records) never loads the
 * Temporal client.
 */
export class CliSession {
  readonly config: AppConfig;

  constructor(config: AppConfig) {
    this.config = config;
  }

  async withClient<T>(run: (client: AgreementsClient) => Promise<T>): Promise<T> {
    const { AgreementsClient } = await import('./agreements-client.ts');
    return usingClosable(AgreementsClient.connect(this.config), run);
  }

  async withRecords<T>(run: (records: RecordsClient) => Promise<T>): Promise<T> {
    const { RecordsClient } = await import('./records-client.ts');
    return usingClosable(RecordsClient.open(this.config), run);
  }

  /** Runs one lifecycle Update and prints the new state. */
  async runUpdate<N extends CommandName>(
    id: string,
    name: N,
    args: CommandArgs<N>,
    options: UpdateOptions,
    done: (view: AgreementView) => string,
  ): Promise<void> {
    // With a token, the token names the actor; without, the claim defaults to the OS user.
    const actorToken = this.config.actorToken;
    const actor = options.actor ?? (actorToken === undefined ? defaultActor() : undefined);
    const view = await this.withClient((client) =>
      client.command(id, name, { ...args, actor }, { requestId: options.requestId, actorToken }),
    );
    // The table's code (and its text measuring) only for a person reading it.
    const described = options.json ? '' : `${done(view)}\n${(await import('./describe.ts')).describeAgreement(view)}`;
    print(options, view, described);
  }
}

/** Runs `run` on a freshly opened resource and closes it whatever happens. */
async function usingClosable<R extends { close(): Promise<void> }, T>(
  opening: Promise<R>,
  run: (resource: R) => Promise<T>,
): Promise<T> {
  const resource = await opening;
  try {
    return await run(resource);
  } finally {
    await resource.close();
  }
}
