/** Why a command did not happen; the CLI maps each to its exit code. */
export type AgreementErrorKind = 'invalid' | 'rejected' | 'not-found' | 'exists' | 'unreachable';

/**
 * A command refused with one clear line. Kept apart from errors.ts (which reads the Temporal client's errors), so that
 * the CLI's offline paths (--help, validate) can throw and catch it without loading @temporalio/client.
 */
export class AgreementError extends Error {
  override name = 'AgreementError';
  readonly kind: AgreementErrorKind;

  constructor(kind: AgreementErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }

  get exitCode(): number {
    return this.kind === 'unreachable' ? 3 : 1;
  }
}
