import type { Agreement } from './agreement.ts';
import type { DocumentVersion } from './events.ts';
import type { Result } from './validation.ts';

/** What a signature records of the documents it was given: their checked versions, or the one hash quoted. */
export type SignedDocuments = { documents: DocumentVersion[] } | { documentSha256: string } | Record<string, never>;

/**
 * The documents a signature binds to (SPEC 18). Where the agreement lists documents, the hashes quoted must be exactly
 * their current ones: each document not quoted at its current version is named, so a signer holding an older text
 * knows which one to fetch again. Without documents, one hash may be quoted and is kept as given.
 */
export function signedDocuments(agreement: Agreement, quoted: readonly string[] = []): Result<SignedDocuments> {
  const { documents } = agreement;
  if (documents.length === 0) {
    if (quoted.length > 1) {
      return refuse('the agreement lists no documents, so at most one SHA-256 may be quoted');
    }
    return { ok: true, value: quoted[0] === undefined ? {} : { documentSha256: quoted[0] } };
  }
  const given = new Set(quoted);
  const unquoted = documents.filter((document) => !given.has(document.sha256));
  if (unquoted.length > 0) {
    const named = unquoted.map((document) => `"${document.id}" (${document.title})`).join(', ');
    const why = quoted.length === 0 ? 'no SHA-256 was quoted' : 'a SHA-256 quoted is stale or missing';
    return refuse(
      `${why}: sign against the current version of ${named}, as \`agreements show\` lists it (--document-sha256)`,
    );
  }
  const current = new Set(documents.map((document) => document.sha256));
  const unknown = quoted.filter((hash) => !current.has(hash));
  if (unknown.length > 0) {
    return refuse(`${unknown.join(', ')} is not the current SHA-256 of any of the agreement's documents`);
  }
  return { ok: true, value: { documents: documents.map(({ id, sha256 }) => ({ id, sha256 })) } };
}

function refuse(message: string): Result<never> {
  return { ok: false, errors: [`documentSha256: ${message}`] };
}
