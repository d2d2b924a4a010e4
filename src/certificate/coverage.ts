import { create, type Font } from 'fontkit';
import type { CertificateFacts } from '../domain/certificate.ts';
import { certificateFonts } from './font.ts';

let font: Font | undefined;

/**
 * The characters of a certificate's names and titles its font has no glyph for: its some 30,000 cover the hanzi of
 * names in use (喆 and 堃 among them), not the rarest extensions (𠀀). They would print as empty boxes, so the worker
 * says which.
 */
export function unsetCharacters(facts: CertificateFacts): string[] {
  font ??= firstFont(create(certificateFonts().regular));
  const missing = new Set<string>();
  for (const text of namesAndTitles(facts)) {
    for (const character of text) {
      const codePoint = character.codePointAt(0) ?? 0;
      if (codePoint > 0x20 && !font.hasGlyphForCodePoint(codePoint)) missing.add(character);
    }
  }
  return [...missing];
}

function namesAndTitles(facts: CertificateFacts): string[] {
  return [
    facts.title,
    ...facts.parties.map((party) => party.name),
    ...facts.documents.map((document) => document.title),
    ...facts.signatures.flatMap((signature) => [signature.name, signature.title ?? '', signature.party]),
    ...facts.approvals.flatMap((approval) => [approval.name, approval.note ?? '']),
  ];
}

function firstFont(loaded: ReturnType<typeof create>): Font {
  if ('fonts' in loaded) {
    const [first] = loaded.fonts;
    if (!first) throw new Error('the certificate font file holds no font');
    return first;
  }
  return loaded;
}
