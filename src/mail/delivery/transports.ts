import path from 'node:path';
import type { MailTransport } from '../../ports/mail-transport.ts';
import { outboxTransport } from './outbox-transport.ts';
import { smtpTransport } from './smtp-transport.ts';

export { outboxFileName, outboxTransport } from './outbox-transport.ts';
export { deliveryError, smtpTransport } from './smtp-transport.ts';

/** SMTP when SMTP_URL is set, otherwise `.eml` files in `<home>/outbox`. */
export function transportFromConfig(config: { smtpUrl?: string; home: string }): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl) : outboxTransport(path.join(config.home, 'outbox'));
}
