import { join } from 'node:path';
import { deployFiles } from './deploy-files.ts';
import { httpOk, startProcess, waitUntilReady, type ManagedProcess } from './process.ts';

export interface UiServerOptions {
  binary: string;
  temporalAddress: string;
  namespace: string;
  port: number;
  logDir: string;
  /** A codec server for encrypted payloads (TEMPORAL_CODEC_ENDPOINT of the UI's config). */
  codecEndpoint?: string;
}

export function uiUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** The Temporal UI server on deploy/temporal-ui/config/docker.yaml, on loopback, pointed at the stack's frontend. */
export async function startUiServer(options: UiServerOptions): Promise<ManagedProcess> {
  const url = uiUrl(options.port);
  const ui = startProcess({
    name: 'Temporal UI server',
    command: options.binary,
    args: ['--root', deployFiles.uiRoot, '--config', 'config', '--env', deployFiles.uiEnvironment, 'start'],
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_UI_HOST: '127.0.0.1',
      TEMPORAL_UI_PORT: String(options.port),
      TEMPORAL_DEFAULT_NAMESPACE: options.namespace,
      TEMPORAL_CORS_ORIGINS: url,
      TEMPORAL_CODEC_ENDPOINT: options.codecEndpoint ?? '',
    },
    logFile: join(options.logDir, 'temporal-ui.log'),
  });
  try {
    await waitUntilReady(ui, () => httpOk(url), `the Temporal UI at ${url}`);
  } catch (error) {
    await ui.stop();
    throw error;
  }
  return ui;
}
