import { hash } from 'node:crypto';
import { InvalidNotificationError } from './errors.ts';

const AGREEMENT_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * The Message-ID for a notification key: the same key always yields the same id, so a resend after a crash is
 * recognisably the same message to every mail system on the way.
 */
export function messageIdFor(key: string, agreementId: string): string {
  if (!AGREEMENT_ID.test(agreementId))
    throw new InvalidNotificationError(`invalid agreement id ${JSON.stringify(agreementId.slice(0, 80))}`);
  const digest = hash('sha256', key, 'hex').slice(0, 32);
  return `<${digest}.${agreementId}@agreements.local>`;
}
