import { writeFile } from 'node:fs/promises';
import type { CertificateRow } from '../ports/records-store.ts';
import { AgreementError } from './agreement-error.ts';
import { print, type Output } from './output.ts';

/**
 * Writes a certificate of completion where `agreements certificate` was told: to `--out`, or to standard output when
 * that is not a terminal (a PDF is bytes); `--json` prints what was written (and, without `--out`, the PDF in base64).
 */
export async function writeCertificate(certificate: CertificateRow, options: Output & { out?: string }): Promise<void> {
  const { agreementId, sequence, issuedAt, sha256, pdf } = certificate;
  const facts = { agreementId, sequence, issuedAt, sha256, bytes: pdf.byteLength };
  if (options.out === undefined) {
    if (options.json) return print(options, { ...facts, pdfBase64: Buffer.from(pdf).toString('base64') }, '');
    if (process.stdout.isTTY) {
      throw new AgreementError(
        'invalid',
        '--out: the certificate is a PDF; give --out FILE, or redirect standard output',
      );
    }
    process.stdout.write(pdf);
    return;
  }
  try {
    await writeFile(options.out, pdf);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new AgreementError('invalid', `--out: cannot write ${options.out} (${reason})`);
  }
  print(
    options,
    { ...facts, out: options.out },
    `${agreementId}: certificate of completion written to ${options.out} (${pdf.byteLength} bytes, SHA-256 ${sha256})`,
  );
}
