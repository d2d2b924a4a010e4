import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { deployFiles } from './deploy-files.ts';
import { httpOk, startProcess, waitUntilReady, type ManagedProcess } from './process.ts';

export interface MailpitOptions {
  binary: string;
  smtpPort: number;
  httpPort: number;
  logDir: string;
}

export function mailpitUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** Mailpit with deploy/mailpit/mailpit.env, SMTP and web/API on loopback, its inbox in memory (gone on stop). */
export async function startMailpit(options: MailpitOptions): Promise<ManagedProcess> {
  const shared = parseEnv(await readFile(deployFiles.mailpitEnv, 'utf8'));
  const url = mailpitUrl(options.httpPort);
  const mailpit = startProcess({
    name: 'Mailpit',
    command: options.binary,
    args: [],
    env: {
      ...process.env,
      ...shared,
      MP_SMTP_BIND_ADDR: `127.0.0.1:${options.smtpPort}`,
      MP_UI_BIND_ADDR: `127.0.0.1:${options.httpPort}`,
    },
    logFile: join(options.logDir, 'mailpit.log'),
  });
  try {
    await waitUntilReady(mailpit, () => httpOk(`${url}/readyz`), `Mailpit at ${url}`);
  } catch (error) {
    await mailpit.stop();
    throw error;
  }
  return mailpit;
}
