import { hash, randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { TransportFailure, type MailTransport } from '../../ports/mail-transport.ts';
import { makePrivateDirectory, PRIVATE_FILE_MODE } from '../../shared/private-files.ts';
import { toNodemailerMessage } from './nodemailer-message.ts';

const MAX_NAME = 180;
const DIGEST_LENGTH = 10;

/**
 * `ceremony-notice:P7D:vc@uob.example` → `ceremony-notice_P7D_vc_uob.example-<digest>.eml`: readable, and one file per
 * key. Making the key safe for a file name is lossy (`a+b@x`, `a_b@x` and `a'b@x` all read `a_b_x`), so the name ends
 * with a digest of the whole key.
 */
export function outboxFileName(key: string): string {
  const safe = key.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, MAX_NAME - DIGEST_LENGTH - 1);
  const digest = hash('sha256', key, 'hex').slice(0, DIGEST_LENGTH);
  return `${safe}-${digest}.eml`;
}

/**
 * Writes each message as an RFC 822 `.eml` file in a folder per agreement (keys are unique within one agreement);
 * sending the same notification key again replaces its file. Files are 0600 and the folders it creates 0700.
 */
export function outboxTransport(directory: string): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    async send(mail) {
      const notificationKey = mail.headers['X-Notification-Key'] ?? mail.messageId;
      const { message } = await composer.sendMail(toNodemailerMessage(mail));
      if (!Buffer.isBuffer(message)) throw new Error('stream transport did not buffer the message');
      const agreementId = (mail.headers['X-Agreement-Id'] ?? 'unknown').replace(/[^a-z0-9-]/g, '_');
      const folder = path.join(directory, agreementId);
      const target = path.join(folder, outboxFileName(notificationKey));
      // Write then rename, so a reader (or a crash) never sees half a message.
      const temporary = path.join(folder, `.${randomUUID()}.tmp`);
      try {
        // Messages hold personal data: the owner's alone (0600 files, 0700 folders), whatever the umask.
        await makePrivateDirectory(folder);
        const file = await open(temporary, 'wx', PRIVATE_FILE_MODE);
        try {
          await file.chmod(PRIVATE_FILE_MODE);
          await file.writeFile(message);
        } finally {
          await file.close();
        }
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw new TransportFailure(`could not write to the outbox: ${messageOf(error)}`, 'before-data', false, {
          cause: error,
        });
      }
      return { messageId: mail.messageId };
    },
    async close() {
      composer.close();
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
