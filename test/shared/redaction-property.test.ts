import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLoggerTo } from '../../src/shared/logger.ts';

/** Every secret starts so: nothing else a test logs contains it, so finding it means a leak. */
const MARK = 'Zq9';
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const secretOf = (alphabet: string, minLength = 8) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength: 40 }).map((rest) => `${MARK}${rest}`);

/** Characters a URL password may hold raw (a `/` ends the authority, so it is always percent-encoded). */
const URL_PASSWORD = `${ALNUM}@:%!$*()+,;=~-_.?#&[]`;
/** Any printable character but white space and quotes: an unquoted libpq value, an environment variable's value. */
const UNQUOTED = `${URL_PASSWORD}/^|{}\`<>\\`;
const QUERY_VALUE = `${ALNUM}%!$*()+,;=~-_.:@/?[]`;
const BASE64URL = `${ALNUM}-_`;

const word = fc.constantFrom('connecting', 'to', 'the', 'records', 'store', 'failed', 'retry', 'in', '5s', 'at', 'db');
const words = fc.array(word, { maxLength: 4 }).map((list) => list.join(' '));

/** A secret and a line of text holding it the way credentials appear in logs. */
const inText: fc.Arbitrary<{ secret: string; text: string }> = fc.oneof(
  fc
    .tuple(fc.constantFrom('postgres', 'smtp', 'smtps', 'https', 'redis'), secretOf(URL_PASSWORD), fc.boolean())
    .map(([scheme, secret, withUser]) => ({
      secret,
      text: `${scheme}://${withUser ? 'agreements' : ''}:${secret}@db.uob.example:5432/records`,
    })),
  secretOf(UNQUOTED).map((secret) => ({ secret, text: `host=db user=agreements password=${secret} dbname=records` })),
  secretOf(`${ALNUM} @:;,=/&"`).map((secret) => ({ secret, text: `host=db password='${secret}' sslmode=require` })),
  fc
    .tuple(
      fc.constantFrom('client_secret', 'token', 'key', 'password', 'api_key', 'access_token'),
      secretOf(QUERY_VALUE),
    )
    .map(([name, secret]) => ({ secret, text: `https://idp.example/oauth?client_id=x&${name}=${secret}&scope=a` })),
  fc
    .tuple(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), secretOf(BASE64URL))
    .map(([kid, secret]) => ({ secret, text: `agt1.${kid}.eyJzdWIiOiJ2Yy11b2IifQ.${secret}` })),
  fc
    .tuple(
      fc.constantFrom('AGREEMENTS_CODEC_KEYS', 'AGREEMENTS_ACTOR_KEYS', 'AGREEMENTS_LINK_KEYS', 'CODEC_SERVER_TOKEN'),
      secretOf(UNQUOTED),
    )
    .map(([name, secret]) => ({ secret, text: `${name}=${secret}` })),
  fc
    .uint8Array({ minLength: 32, maxLength: 32 })
    .map((bytes) => Buffer.from(bytes).toString('base64'))
    .map((key) => ({ secret: key, text: `k1:${key},k2:${randomBytes(32).toString('base64url')}` })),
  secretOf(`${ALNUM}._~+/-`).map((secret) => ({ secret, text: `Authorization: Bearer ${secret}` })),
);

const SECRET_FIELDS = [
  'password',
  'AGREEMENTS_CODEC_KEYS',
  'AGREEMENTS_ACTOR_KEYS',
  'AGREEMENTS_LINK_KEYS',
  'AGREEMENTS_ACTOR_TOKEN',
  'CODEC_SERVER_TOKEN',
  'MY_APP_SECRET',
  'client_secret',
  'apiKey',
  'smtpPass',
  'x-api-key',
];

/** A secret as a field's value under a secret-looking name: any characters at all. */
const inField = fc
  .tuple(fc.constantFrom(...SECRET_FIELDS), secretOf(ALNUM, 0), fc.string({ minLength: 0, maxLength: 20 }))
  .map(([name, secret, tail]) => ({ secret: secret + tail, name }));

/** Wraps `value` in a few levels of objects, arrays and errors. */
const nest = (value: unknown, path: readonly ('object' | 'array' | 'error')[]): unknown =>
  path.reduceRight<unknown>((inner, kind) => {
    if (kind === 'array') return ['first', inner];
    if (kind === 'error') return Object.assign(new Error('wrapped'), { detail: inner });
    return { context: inner };
  }, value);
const path = fc.array(fc.constantFrom('object' as const, 'array' as const, 'error' as const), { maxLength: 5 });
const level = fc.constantFrom('trace', 'debug', 'info', 'warn', 'error');

/** What the logger writes for one call, without the fields it adds itself (time, pid, hostname). */
function logged(call: (logger: ReturnType<typeof createLoggerTo>) => void): string {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  call(createLoggerTo({ level: 'trace', name: 'property' }, destination));
  return lines
    .join('')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const { time: _time, pid: _pid, hostname: _hostname, ...rest } = JSON.parse(line) as Record<string, unknown>;
      return JSON.stringify(rest);
    })
    .join('\n');
}

/**
 * The secret, whole, JSON-escaped, or any run of 8 letters and digits from it (a half-leak), is not in `output`.
 * `clean` is what the same call logs with an empty secret: a fragment already there (the logger's name, a field name,
 * "redacted") is not a leak.
 */
function expectNoLeak(output: string, secret: string, clean = ''): void {
  expect(output).not.toContain(secret);
  expect(output).not.toContain(JSON.stringify(secret).slice(1, -1));
  for (const fragment of secret.split(/[^A-Za-z0-9]+/)) {
    if (fragment.length >= 8 && !clean.includes(fragment)) {
      expect(output, `a fragment "${fragment}" of the secret`).not.toContain(fragment);
    }
  }
}

describe('redaction, property: a secret logged anywhere never appears in the output', () => {
  it('in text: the message, a printf argument, a field, nested in objects, arrays and errors', () => {
    fc.assert(
      fc.property(inText, words, words, path, level, fc.nat(3), ({ secret, text }, before, after, at, lvl, where) => {
        const line = `${before} ${text} ${after}`;
        const output = logged((logger) => {
          if (where === 0) logger[lvl](line);
          else if (where === 1) logger[lvl]('failed: %s', line);
          else if (where === 2) logger[lvl]({ detail: nest(line, at) }, 'failed');
          else logger[lvl](nest(new Error(line), at), 'failed');
        });
        expectNoLeak(output, secret);
      }),
      { numRuns: 400 },
    );
  });

  it('as the value of a field with a secret-looking name, at any depth, also as a child binding', () => {
    fc.assert(
      fc.property(inField, path, level, fc.boolean(), ({ secret, name }, at, lvl, asBinding) => {
        const log = (value: string) =>
          logged((logger) => {
            const fields = nest({ [name]: value }, at) as Record<string, unknown>;
            if (asBinding) logger.child({ settings: fields })[lvl]('started');
            else logger[lvl]({ settings: fields }, 'started');
          });
        expectNoLeak(log(secret), secret, log(''));
      }),
      { numRuns: 400 },
    );
  });
});
