import type { SendNotificationInput } from '../domain/index.ts';
import type { MailAttachment } from '../ports/mail-transport.ts';
import type { RecordsStore } from '../ports/records-store.ts';

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
  const certificate = sequence === undefined ? undefined : await records.certificate(agreementId, sequence);
  if (!certificate) throw new Error(`the certificate of completion of ${agreementId} (#${sequence}) is not recorded`);
  return [{ filename: certificateFileName(agreementId), content: certificate.pdf, contentType: 'application/pdf' }];
}

export const certificateFileName = (agreementId: string): string => `${agreementId}-certificate-of-completion.pdf`;
