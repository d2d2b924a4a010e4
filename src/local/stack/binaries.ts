import { ensureGoBinaries, type BuildOptions, type GoBinarySpec } from '../devserver/go-binary.ts';
import { locateTemporalCli } from '../devserver/temporal-cli.ts';

/**
 * The versions of the production topology. The server is newer than the one the pinned CLI's dev server embeds
 * (1.29.1): safe deploys need a server that moves a pinned run onto the current build when it continues as new
 * (upgrade on continue-as-new, server 1.30+; spec §19), so the stack runs 1.32 and the UI release of its time.
 * docker-compose.yml pins the same versions as image tags (test/local/stack/compose.test.ts checks it, and
 * test/local/stack/stack-versions.test.ts checks the built binaries' own `--version`).
 */
export const STACK_VERSIONS = {
  temporalServer: '1.32.2',
  temporalUi: '2.56.4',
  mailpit: '1.33.1',
} as const;

/** Server 1.32 and UI server 2.56 name Go 1.26.10 in their go.mod, newer than the machine's 1.26.8. */
const GO_TOOLCHAIN = 'go1.27.3';

export const temporalServerBinary: GoBinarySpec<'server' | 'sql'> = {
  label: `the Temporal server v${STACK_VERSIONS.temporalServer} and its SQL tool`,
  cacheName: `temporal-server-v${STACK_VERSIONS.temporalServer}`,
  packages: [
    `go.temporal.io/server/cmd/server@v${STACK_VERSIONS.temporalServer}`,
    `go.temporal.io/server/cmd/tools/sql@v${STACK_VERSIONS.temporalServer}`,
  ],
  executables: ['server', 'sql'],
  toolchain: GO_TOOLCHAIN,
};

export const temporalUiBinary: GoBinarySpec<'server'> = {
  label: `the Temporal UI server v${STACK_VERSIONS.temporalUi}`,
  cacheName: `temporal-ui-server-v${STACK_VERSIONS.temporalUi}`,
  packages: [`github.com/temporalio/ui-server/v2/cmd/server@v${STACK_VERSIONS.temporalUi}`],
  executables: ['server'],
  toolchain: GO_TOOLCHAIN,
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
