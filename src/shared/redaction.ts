/**
 * What the logs must never carry, found at any depth and whatever the key's case: secrets (replaced outright) and
 * addresses (masked to `p***@uob.example`). Used by the logger on every argument, binding and error it writes.
 */

const REDACTED = '[redacted]';
/** Deeper than this the walk stops and writes a marker: whatever lies below is not looked at, so it is not logged. */
const MAX_DEPTH = 16;

/** Key fragments (lower case, no `_`/`-`) that make a value a secret: `db.Password`, `SMTP_PASS`, `x-api-key`, `tls.privateKey`. */
const SECRET_KEY_PARTS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'authorization',
  'apikey',
  'privatekey',
  'credential',
  'cookie',
  'certificate',
  'smtpurl',
  'recordsurl',
];
/** Whole keys (normalised) that are secrets: short names for passwords and certificate data. */
const SECRET_KEYS = new Set(['pass', 'pwd', 'auth', 'cert', 'certs', 'crt', 'ca', 'pfx', 'p12', 'signature', 'mac']);
/** Under a TLS or certificate parent (`tls.clientCertPair.key`), `key` is a private key, not a notification key. */
const KEY_PARENTS = /tls|ssl|cert|pair|keypair|crypto/;
/** Keys whose value is an address or a list of them: masked at every level. */
const ADDRESS_KEYS = new Set(['recipient', 'recipients', 'email', 'to', 'cc', 'bcc', 'from', 'replyto']);

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;
/**
 * A URL's password runs to the last `@` before the path (as a URL parser reads it), so one containing `@`, `:`, `?` or
 * `#` is hidden whole; when the text after the host has an `@` before any `/`, more is hidden, never less. (A `/` ends
 * the authority: a password holding one must be percent-encoded to be a password at all.)
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'<>]*:)[^\s/"'<>]*@/gi;
/** Names whose value is a secret in a query string, a libpq connection string or an assignment. */
const SECRET_NAME = String.raw`[a-z0-9_-]*(?:password|passwd|passphrase|secret|token)|pass|pwd|auth|api[_-]?key|apikey|sslkey|credentials?`;
const SECRET_QUERY = new RegExp(
  String.raw`([?&;](?:${SECRET_NAME}|key|access[_-]?key|sig|signature)=)[^&#\s"']*`,
  'gi',
);
/** libpq's `password=…` (also quoted, `password='a b'`), and `NAME=value` for secret names. */
const SECRET_ASSIGNMENT = new RegExp(
  String.raw`(^|[\s,;({\[])((?:${SECRET_NAME})\s*=\s*)(?:'(?:\\.|[^'\\])*'?|"(?:\\.|[^"\\])*"?|\S+)`,
  'gi',
);
/** A JSON field in text: `"password":"…"`, `"AGREEMENTS_ACTOR_KEYS": "…"`. */
const SECRET_JSON = new RegExp(String.raw`("(?:${SECRET_NAME}|[a-z0-9_-]*_keys?)"\s*:\s*)"(?:\\.|[^"\\])*"?`, 'gi');
/** An environment variable holding keys or a secret, in text: `AGREEMENTS_CODEC_KEYS=k1:…`. */
const SECRET_VARIABLE = /\b([A-Z][A-Z0-9_]*_(?:KEYS?|TOKEN|SECRET|PASSWORD)\s*=\s*)\S+/g;
/** An actor token, `agt1.<key id>.<claims>.<secret>` (src/actors/actor-token.ts). */
const ACTOR_TOKEN = /\bagt1\.[A-Za-z0-9._-]+/g;
/** A keyring entry, `id:` and 32 bytes in base64 (AGREEMENTS_CODEC_KEYS, AGREEMENTS_ACTOR_KEYS, AGREEMENTS_LINK_KEYS). */
const KEY_ENTRY = /([A-Za-z0-9._-]{1,64}:)[A-Za-z0-9+/_-]{43}=?(?![A-Za-z0-9+/=_-])/g;
const PEM = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;

const normalise = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** An environment variable's name, as a field: `AGREEMENTS_CODEC_KEYS`, `AGREEMENTS_LINK_KEYS`, `SMTP_TOKEN`, `x-api-secret`. */
const SECRET_VARIABLE_KEY = /[_-](?:keys?|token|secret)$/i;

/** Whether the value under `key` (inside `parent`) is a secret. */
export function isSecretKey(key: string, parent = ''): boolean {
  if (SECRET_VARIABLE_KEY.test(key)) return true;
  const name = normalise(key);
  if (SECRET_KEYS.has(name) || /(?:pass|pwd)$/.test(name)) return true; // SMTP_PASS, dbPwd
  if (SECRET_KEY_PARTS.some((part) => name.includes(part))) return true;
  return name === 'key' && KEY_PARENTS.test(normalise(parent));
}

/**
 * Credentials in free text: URL passwords (whatever their characters), secret query parameters (`?password=`,
 * `client_secret=`, `token=`, `key=`), libpq's `password=…`, secret variables (`AGREEMENTS_ACTOR_KEYS=…`) and JSON
 * fields, actor tokens, keyring entries, bearer tokens, PEM blocks (keys, certificates).
 */
export function maskSecrets(text: string): string {
  return text
    .replace(PEM, REDACTED)
    .replace(URL_CREDENTIALS, '$1***@')
    .replace(SECRET_QUERY, '$1***')
    .replace(SECRET_VARIABLE, '$1***')
    .replace(SECRET_JSON, '$1"***"')
    .replace(SECRET_ASSIGNMENT, '$1$2***')
    .replace(ACTOR_TOKEN, 'agt1.***')
    .replace(KEY_ENTRY, '$1***')
    .replace(BEARER, '$1 ***');
}

/** `partnerships@uob.example` → `p***@uob.example`, plus everything `maskSecrets` hides. */
export function maskText(text: string): string {
  return maskSecrets(text).replace(EMAIL, '$1***@$2');
}

export interface RedactOptions {
  /** Mask addresses in free text too (from `info` up); address fields are masked regardless. */
  freeTextAddresses: boolean;
}

/**
 * A copy of `value` fit for a log line: secret fields replaced, address fields masked, credentials (and from `info`
 * up, addresses) masked in every string. Plain objects, arrays, errors (own properties and `cause`) and other objects
 * (through `toJSON` where they have one, as JSON would) are walked; binary data is never written.
 */
export function redactDeep(value: unknown, options: RedactOptions): unknown {
  return walk(value, options, '', new WeakSet(), 0);
}

function walk(value: unknown, options: RedactOptions, key: string, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return options.freeTextAddresses ? maskText(value) : maskSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  const child = (item: unknown, name: string) => walkField(item, name, key, options, seen, depth + 1);
  if (value instanceof Error) return redactError(value, child);
  if (Array.isArray(value)) return value.map((item) => child(item, key));
  const toJSON: unknown = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return walk(toJSON.call(value), options, key, seen, depth + 1);
  const copy: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) copy[name] = child(item, name);
  return copy;
}

function walkField(
  value: unknown,
  key: string,
  parent: string,
  options: RedactOptions,
  seen: WeakSet<object>,
  depth: number,
): unknown {
  if (isSecretKey(key, parent)) return value === undefined || value === null ? value : REDACTED;
  if (ADDRESS_KEYS.has(normalise(key))) return walk(value, { freeTextAddresses: true }, key, seen, depth);
  return walk(value, options, key, seen, depth);
}

/** A copy of the error with the same prototype (so the logged `type` stays right) and every own property redacted. */
function redactError(error: Error, child: (item: unknown, name: string) => unknown): Error {
  const clone = Object.create(Object.getPrototypeOf(error) as object | null) as Error;
  for (const name of Object.getOwnPropertyNames(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, name);
    if (!descriptor) continue;
    if ('value' in descriptor) descriptor.value = child(descriptor.value, name);
    else continue; // An accessor could compute anything: leave it out rather than call it.
    Object.defineProperty(clone, name, descriptor);
  }
  return clone;
}
