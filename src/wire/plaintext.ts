/**
 * What a worker that requires encryption (AGREEMENTS_CODEC_KEYS set) hands its workflows in place of a payload that was
 * not encrypted with its keys: the codec cannot fail a payload without failing the whole workflow task (retried for
 * ever, the sender told nothing), so it marks it, and the workflow refuses the start or the Update that carried it.
 */
export const PLAINTEXT_MARK = '$agreementsPlaintextRefused';

/** The value a refused payload decodes to. */
export const plaintextMark = (): Record<string, true> => ({ [PLAINTEXT_MARK]: true });

export function isPlaintextMark(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[PLAINTEXT_MARK] === true;
}

/** Why a start or a command with a payload in clear is refused (the failure type is `PlaintextRefused`). */
export const PLAINTEXT_REFUSAL =
  'refused: a payload is not encrypted with the agreements keys (the workers require encryption: send it through a client with AGREEMENTS_CODEC_KEYS)';
export const PLAINTEXT_REFUSED_TYPE = 'PlaintextRefused';
