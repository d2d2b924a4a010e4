import { ensureGoBinaries, type BuildOptions, type GoBinarySpec } from '../devserver/go-binary.ts';
import { locateTemporalCli } from '../devserver/temporal-cli.ts';

/**
 * The versions of the production topology. docker-compose.yml pins the same ones as image tags
 * (test/stack/compose.test.ts checks it), so the stack and compose run the same software.
 */
export const STACK_VERSIONS = {
  // UI 2.58.x needs go.temporal.io/api v1.64.0, which the module proxy does not serve; 2.56.4 is the newest that builds.
  temporalServer: '1.32.2',
  temporalUi: '2.56.4',
  mailpit: '1.33.1',
} as const;

/**
 * Server v1.30+ and UI server v2.56+ declare `go 1.26.10`, newer than the machine's Go may be; this is the one newer
 * toolchain the go command may fetch for them (from the module proxy, like any module).
 */
const NEWER_TOOLCHAIN = 'go1.27.3';

export const temporalServerBinary: GoBinarySpec<'server' | 'sql'> = {
  label: `the Temporal server v${STACK_VERSIONS.temporalServer} and its SQL tool`,
  cacheName: `temporal-server-v${STACK_VERSIONS.temporalServer}`,
  packages: [
    `go.temporal.io/server/cmd/server@v${STACK_VERSIONS.temporalServer}`,
    `go.temporal.io/server/cmd/tools/sql@v${STACK_VERSIONS.temporalServer}`,
  ],
  executables: ['server', 'sql'],
  env: { GOTOOLCHAIN: NEWER_TOOLCHAIN },
};

export const temporalUiBinary: GoBinarySpec<'server'> = {
  label: `the Temporal UI server v${STACK_VERSIONS.temporalUi}`,
  cacheName: `temporal-ui-server-v${STACK_VERSIONS.temporalUi}`,
  packages: [`github.com/temporalio/ui-server/v2/cmd/server@v${STACK_VERSIONS.temporalUi}`],
  executables: ['server'],
  env: { GOTOOLCHAIN: NEWER_TOOLCHAIN },
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

/** Every binary of the stack, each built once per machine (one after another: the builds share two cores). */
export async function ensureStackBinaries(opts: BuildOptions = {}): Promise<StackBinaries> {
  const server = await required(temporalServerBinary, opts);
  const ui = await required(temporalUiBinary, opts);
  const mailpit = await required(mailpitBinary, opts);
  const cli = await locateTemporalCli(opts);
  if (!cli) throw new MissingGoError('the Temporal CLI is not built yet and there is no Go on PATH to build it');
  return {
    temporalServer: server.server,
    temporalSql: server.sql,
    temporalUi: ui.server,
    mailpit: mailpit.mailpit,
    temporalCli: cli,
  };
}
