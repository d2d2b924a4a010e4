import PDFDocument from 'pdfkit';
import type { CertificateFacts } from '../domain/certificate.ts';
import { certificateFonts } from './font.ts';
import { utcTime, zoneTime } from './times.ts';

const MARGIN = 56;
const MUTED = '#555555';
const INK = '#111111';

/**
 * The certificate of completion as a PDF (SPEC 18), with pdfkit. Deterministic: the same facts give the same bytes
 * (its dates are the moment the last signature was in, and pdfkit derives the file id from them), so a retried
 * activity stores the same certificate under the same SHA-256.
 */
export function renderCertificate(facts: CertificateFacts): Promise<Uint8Array> {
  const issued = new Date(facts.issuedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: {
      Title: `Certificate of completion: ${facts.title}`,
      Subject: facts.agreementId,
      Author: 'agreements',
      Creator: 'agreements',
      Producer: 'agreements (pdfkit)',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  const fonts = certificateFonts();
  doc.registerFont('body', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  write(doc, facts);
  doc.end();
  return done;
}

type Doc = InstanceType<typeof PDFDocument>;

function write(doc: Doc, facts: CertificateFacts): void {
  doc.font('bold').fontSize(20).fillColor(INK).text('Certificate of completion');
  doc.font('body').fontSize(12).fillColor(MUTED).text('签署完成证明');
  doc.moveDown(0.8);
  doc.font('bold').fontSize(15).fillColor(INK).text(facts.title);
  fact(doc, 'Agreement', `${facts.agreementId} (${facts.kind})`);
  const variation = facts.variation;
  // A variation's certificate: its signatures and approvals below are the variation's, the documents as it made them.
  if (variation)
    fact(
      doc,
      `Variation ${variation.id}`,
      `${variation.reason} (proposed at audit row #${variation.proposedSequence})`,
    );
  const moment = `${zoneTime(facts.issuedAt, facts.timezone)}  ·  ${utcTime(facts.issuedAt)}`;
  fact(doc, variation ? 'Variation applied' : 'All signed', moment);
  fact(doc, 'Audit row', `#${facts.sequence}`);

  heading(doc, 'Parties');
  for (const party of facts.parties) fact(doc, party.name, `${party.id}, ${party.timezone}`);

  if (facts.documents.length > 0) {
    heading(doc, 'Documents');
    for (const document of facts.documents) {
      const language = document.language ? `, ${document.language}` : '';
      fact(doc, document.title, `${document.id}${language}`);
      hash(doc, document.sha256);
    }
  }

  heading(doc, 'Signatures');
  for (const signature of facts.signatures) {
    const title = signature.title ? `, ${signature.title}` : '';
    doc.moveDown(0.3);
    doc.font('bold').fontSize(11).fillColor(INK).text(`${signature.name}${title}`);
    fact(doc, 'For', `${signature.party} (${signature.signatory}, ${signature.email})`);
    fact(doc, 'Signed', zoneTime(signature.signedAt, signature.timezone));
    fact(doc, 'In UTC', utcTime(signature.signedAt));
    fact(doc, 'Proof', signature.proof);
    if (signature.sequence !== undefined) fact(doc, 'Audit row', `#${signature.sequence}`);
  }

  if (facts.approvals.length > 0) {
    heading(doc, 'Approvals');
    for (const approval of facts.approvals) {
      doc.moveDown(0.3);
      doc.font('bold').fontSize(11).fillColor(INK).text(`${approval.name} (${approval.approver})`);
      fact(doc, 'Approved', zoneTime(approval.approvedAt, approval.timezone));
      fact(doc, 'In UTC', utcTime(approval.approvedAt));
      if (approval.note !== undefined) fact(doc, 'Note', approval.note);
      fact(doc, 'Proof', approval.proof);
      if (approval.sequence !== undefined) fact(doc, 'Audit row', `#${approval.sequence}`);
    }
  }

  heading(doc, 'Audit trail');
  doc
    .font('body')
    .fontSize(9)
    .fillColor(MUTED)
    .text(
      "Each row number above is the event's sequence in the agreement's audit trail (agreements history " +
        `${facts.agreementId}). Proof: claimed = the actor as the command named it; token:<key> = an actor token the ` +
        'workers verified; link:<key> = the signed mail link the person acted from.',
    );
}

function heading(doc: Doc, text: string): void {
  doc.moveDown(0.9);
  doc.font('bold').fontSize(13).fillColor(INK).text(text);
  doc.moveDown(0.2);
}

function fact(doc: Doc, label: string, value: string): void {
  doc.font('bold').fontSize(10).fillColor(MUTED).text(`${label}: `, { continued: true });
  doc.font('body').fillColor(INK).text(value);
}

/** A SHA-256 in full on one line, small enough to fit the page's width. */
function hash(doc: Doc, sha256: string): void {
  doc.font('Courier').fontSize(8.5).fillColor(INK).text(`SHA-256 ${sha256}`);
}
