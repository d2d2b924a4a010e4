import { readFileSync } from 'node:fs';

/**
 * Noto Sans Hans (Simplified Chinese with Latin, some 30,000 characters) from the npm package @embedpdf/fonts-sc: one
 * font sets every name, Chinese or not, and pdfkit embeds only the glyphs a certificate uses. Read from node_modules,
 * never downloaded; the worker image keeps only the two weights used (Dockerfile).
 */
const FONT_FILES = { regular: 'NotoSansHans-Regular.otf', bold: 'NotoSansHans-Bold.otf' } as const;

let loaded: { regular: Buffer; bold: Buffer } | undefined;

export function certificateFonts(): { regular: Buffer; bold: Buffer } {
  if (!loaded) {
    // The package exports only its index; the fonts sit beside its dist/ folder.
    const at = (file: string) => new URL(`../fonts/${file}`, import.meta.resolve('@embedpdf/fonts-sc'));
    loaded = { regular: readFileSync(at(FONT_FILES.regular)), bold: readFileSync(at(FONT_FILES.bold)) };
  }
  return loaded;
}
