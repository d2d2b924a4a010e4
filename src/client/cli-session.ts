import { userInfo } from 'node:os';
import type { AgreementView, CommandArgs, CommandName } from '../domain/index.ts';
import type { AppConfig } from '../shared/config.ts';
import { AgreementsClient } from './agreements-client.ts';
import { describeAgreement } from './describe.ts';
import { RecordsClient } from './records-client.ts';

export interface Output {
  json?: boolean;
}
export interface UpdateOptions extends Output {
  requestId?: string;
  actor?: string;
}

export function print(options: Output, json: unknown, text: string): void {
  process.stdout.write(`${options.json ? JSON.stringify(json, null, 2) : text}\n`);
}

export function defaultActor(): string {
  if (process.env.AGREEMENTS_ACTOR) return process.env.AGREEMENTS_ACTOR;
  try {
    return userInfo().username || 'coordinator';
  } catch {
    return 'coordinator';
  }
}

/** What one CLI command runs with: its configuration, read once before it starts, and the clients made from it. */
export class CliSession {
  private loaded: AppConfig | undefined;

  private readonly loadConfig: () => AppConfig;

  constructor(loadConfig: () => AppConfig) {
    this.loadConfig = loadConfig;
  }

  load(): AppConfig {
    this.loaded = this.loadConfig();
    return this.loaded;
  }

  get config(): AppConfig {
    return this.loaded ?? this.load();
  }

  withClient<T>(run: (client: AgreementsClient) => Promise<T>): Promise<T> {
    return usingClosable(AgreementsClient.connect(this.config), run);
  }

  withRecords<T>(run: (records: RecordsClient) => Promise<T>): Promise<T> {
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
    print(options, view, `${done(view)}\n${describeAgreement(view)}`);
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
