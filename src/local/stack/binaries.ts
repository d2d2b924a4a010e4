import { ensureGoBinaries, type BuildOptions, type GoBinarySpec } from '../devserver/go-binary.ts';
import { locateTemporalCli, TEMPORAL_CLI_VERSION } from '../devserver/temporal-cli.ts';

/**
 * The versions of the production topology: the Temporal server and UI server that the pinned Temporal CLI embeds
 * (its go.mod), so the dev server, the tests and the stack all run the same Temporal. docker-compose.yml pins the same
 * versions as image tags (test/local/stack/compose.test.ts checks it, and test/local/stack/stack-versions.test.ts checks them
 * against the CLI's own `--version`).
 */
export const STACK_VERSIONS = {
  temporalServer: '1.29.1',
  temporalUi: '2.42.1',
  mailpit: '1.33.1',
} as const;

/**
 * The server, its SQL tool and the UI server are built in the CLI's module graph: every library they share with the
 * CLI is then the version the CLI was built with, and Go's build cache compiles it once for all of them.
 */
const IN_THE_CLI_GRAPH = [`github.com/temporalio/cli v${TEMPORAL_CLI_VERSION}`] as const;

export const temporalServerBinary: GoBinarySpec<'server' | 'sql'> = {
  label: `the Temporal server v${STACK_VERSIONS.temporalServer} and its SQL tool`,
  cacheName: `temporal-server-v${STACK_VERSIONS.temporalServer}`,
  packages: ['go.temporal.io/server/cmd/server', 'go.temporal.io/server/cmd/tools/sql'],
  executables: ['server', 'sql'],
  buildIn: IN_THE_CLI_GRAPH,
};

export const temporalUiBinary: GoBinarySpec<'server'> = {
  label: `the Temporal UI server v${STACK_VERSIONS.temporalUi}`,
  cacheName: `temporal-ui-server-v${STACK_VERSIONS.temporalUi}`,
  packages: ['github.com/temporalio/ui-server/v2/cmd/server'],
  executables: ['server'],
  buildIn: IN_THE_CLI_GRAPH,
};

export const mailpitBinary: GoBinarySpec<'mailpit'> = {
  label: `Mailpit v${STACK_VERSIONS.mailpit}`,
  cacheName: `mailpit-v${STACK_VERSIONS.mailpit}`,
  packages: [`github.com/axllent/mailpit@v${STACK_VERSIONS.mailpit}`],
  executables: ['mailpit'],
};

export interface StackBinaries {
  temporalServer: string;
  temporalSql: string;
  temporalUi: string;
  mailpit: string;
  /** The Temporal CLI the deploy/ scripts call for the namespace and search attributes. */
  temporalCli: string;
}

export class MissingGoError extends Error {
  override name = 'MissingGoError';
}

async function required<E extends string>(spec: GoBinarySpec<E>, opts: BuildOptions): Promise<Record<E, string>> {
  const paths = await ensureGoBinaries(spec, opts);
  if (!paths) throw new MissingGoError(`${spec.label} is not built yet and there is no Go on PATH to build it`);
  return paths;
}

/**
 * Every binary of the stack, each built once per machine, one after another (the builds share two cores); the CLI
 * first, so the server and UI builds find its libraries compiled.
 */
export async function ensureStackBinaries(opts: BuildOptions = {}): Promise<StackBinaries> {
  const cli = await locateTemporalCli(opts);
  if (!cli) throw new MissingGoError('the Temporal CLI is not built yet and there is no Go on PATH to build it');
  const server = await required(temporalServerBinary, opts);
  const ui = await required(temporalUiBinary, opts);
  const mailpit = await required(mailpitBinary, opts);
  return {
    temporalServer: server.server,
    temporalSql: server.sql,
    temporalUi: ui.server,
    mailpit: mailpit.mailpit,
    temporalCli: cli,
  };
}
