import type { SendNotificationInput } from '../domain/index.ts';
import type { MailAttachment } from '../ports/mail-transport.ts';
import type { RecordsStore } from '../ports/records-store.ts';
import { MailPartUnavailableError } from './errors.ts';

/**
 * The certificate of completion a `completion-certificate` mail carries, read from the records: the same bytes the
 * register's SHA-256 is of and `agreements certificate` writes. The records activity keeps it before the mail goes.
 */
export async function certificateAttachments(
  records: Pick<RecordsStore, 'certificate'>,
  input: SendNotificationInput,
): Promise<MailAttachment[]> {
  if ('digest' in input || input.notification.kind !== 'completion-certificate') return [];
  const { agreementId } = input;
  const sequence = input.notification.about.certificate?.sequence;
  if (sequence === undefined) throw new Error('a completion-certificate mail must name its certificate');
  const certificate = await records.certificate(agreementId, sequence).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MailPartUnavailableError(`the certificate of completion of ${agreementId} could not be read: ${reason}`);
  });
  // Kept before its mail is sent; were it missing, a later attempt may find it (and the retries end in a report).
  if (!certificate) {
    throw new MailPartUnavailableError(
      `the certificate of completion of ${agreementId} (#${sequence}) is not recorded`,
    );
  }
  return [{ filename: certificateFileName(agreementId), content: certificate.pdf, contentType: 'application/pdf' }];
}

export const certificateFileName = (agreementId: string): string => `${agreementId}-certificate-of-completion.pdf`;
