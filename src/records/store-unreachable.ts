/** The records store could not be reached; the message is one line that is safe to print (no password). */
export class RecordsStoreUnreachableError extends Error {
  override name = 'RecordsStoreUnreachableError';

  readonly target: string;
  readonly reason: string;

  // Plain fields, not parameter properties: the CLI runs this file with Node's type stripping.
  constructor(target: string, reason: string, options?: ErrorOptions) {
    super(`records store unreachable: ${target} (${reason})`, options);
    this.target = target;
    this.reason = reason;
  }
}

const REASONS_BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  // PostgreSQL SQLSTATEs
  '3D000': 'database does not exist',
  '57P03': 'server is starting up or shutting down',
  SQLITE_CANTOPEN: 'cannot open database file',
  // The SQLite file is created (0600) before SQLite opens it, so these come from that step.
  EISDIR: 'cannot open database file',
  ENOTDIR: 'cannot open database file',
  EACCES: 'cannot open database file',
  EPERM: 'cannot open database file',
  EROFS: 'cannot open database file',
};

/** Why a connection to the store failed, when `error` (or anything it wraps) says so; otherwise undefined. */
export function connectionFailureReason(error: unknown): string | undefined {
  for (const candidate of errorChain(error)) {
    const code = propertyOf(candidate, 'code');
    if (typeof code === 'string' && code in REASONS_BY_CODE) return REASONS_BY_CODE[code];
    // Class 28 (invalid authorization): the server's own line names the role and never the password.
    if (typeof code === 'string' && /^28[0-9A-Z]{3}$/.test(code) && candidate instanceof Error)
      return candidate.message;
    // pg reports its own connect timeout with a message only.
    if (candidate instanceof Error && /connection timeout/i.test(candidate.message)) return 'connection timed out';
  }
  return undefined;
}

/**
 * One clear line when `error` means the records store is unreachable (the CLI prints it and exits 3),
 * otherwise undefined.
 */
export function describeStoreUnreachable(error: unknown): string | undefined {
  for (const candidate of errorChain(error)) {
    if (candidate instanceof RecordsStoreUnreachableError) return candidate.message;
  }
  const reason = connectionFailureReason(error);
  if (reason === undefined) return undefined;
  const address = socketAddressOf(error);
  return address ? `records store unreachable: ${address} (${reason})` : `records store unreachable (${reason})`;
}

/** `postgres://user:secret@db:5432/x?password=y` → `postgres://…@db:5432/x`: never shows credentials. */
export function redactRecordsUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//…@').replace(/\?.*$/, '');
  }
  const credentials = parsed.username || parsed.password ? '…@' : '';
  const port = parsed.port || (/^postgres(ql)?:$/.test(parsed.protocol) ? '5432' : '');
  return `${parsed.protocol}//${credentials}${parsed.hostname}${port ? `:${port}` : ''}${parsed.pathname}`;
}

function socketAddressOf(error: unknown): string | undefined {
  for (const candidate of errorChain(error)) {
    const address = propertyOf(candidate, 'address');
    const port = propertyOf(candidate, 'port');
    if (typeof address === 'string') return typeof port === 'number' ? `${address}:${port}` : address;
  }
  return undefined;
}

/** The error, its causes, and the errors of an AggregateError (Node reports one per address it tried). */
function* errorChain(error: unknown, depth = 0): Generator<unknown> {
  if (error === undefined || error === null || depth > 8) return;
  yield error;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) yield* errorChain(inner, depth + 1);
  }
  yield* errorChain(propertyOf(error, 'cause'), depth + 1);
}

function propertyOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
