import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, createLoggerTo, maskText } from '../../src/shared/logger.ts';

/** A logger built from the production options, writing JSON lines into memory. */
function capture(level = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      );
      done();
    },
  });
  const logger = createLoggerTo({ level, name: 'test' }, destination);
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

const ADDRESS = /[A-Za-z0-9._%+-]{2,}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

describe('logger redaction', () => {
  it('masks email addresses to p***@domain', () => {
    expect(maskText('to partnerships@uob.example and vc@uob.example')).toBe('to p***@uob.example and v***@uob.example');
    expect(maskText('invitation::president@jitri.example')).toBe('invitation::p***@jitri.example');
    expect(maskText('no address here: 1/2 signed @ Nanjing')).toBe('no address here: 1/2 signed @ Nanjing');
  });

  it('masks passwords in URLs', () => {
    expect(maskText('postgres://agreements:s3cret@postgresql:5432/agreements')).toBe(
      'postgres://agreements:***@postgresql:5432/agreements',
    );
    expect(maskText('smtp://user:pa55@mail.uob.example:587')).toBe('smtp://user:***@mail.uob.example:587');
    // A password holding `@` used to leak its part after the first one.
    expect(maskText('postgres://agreements:p@ss@w0rd@db:5432/records')).toBe(
      'postgres://agreements:***@db:5432/records',
    );
  });

  it('masks libpq and query-string secrets, key variables, actor tokens and keyring entries in text', () => {
    expect(maskText("host=db user=u password=s3cr3t dbname=x sslpassword='a b'")).toBe(
      'host=db user=u password=*** dbname=x sslpassword=***',
    );
    expect(maskText('https://idp.example/token?client_id=app&client_secret=abc&key=k&token=t')).toBe(
      'https://idp.example/token?client_id=app&client_secret=***&key=***&token=***',
    );
    const key = 'A'.repeat(43) + '=';
    expect(maskText(`AGREEMENTS_ACTOR_KEYS=k1:${key},k2:${key} set`)).toBe('AGREEMENTS_ACTOR_KEYS=*** set');
    expect(maskText(`ring k1:${key}`)).toBe('ring k1:***');
    expect(maskText('token agt1.k1.eyJzdWIiOiJ2YyJ9.c2VjcmV0 used')).toBe('token agt1.*** used');
    expect(maskText('{"AGREEMENTS_CODEC_KEYS":"k1:x","password":"y"}')).toBe(
      '{"AGREEMENTS_CODEC_KEYS":"***","password":"***"}',
    );
    // What is not a secret stays readable.
    expect(maskText('AGREEMENTS_ACTOR_TOKEN: must be a token from agreements actors issue')).toBe(
      'AGREEMENTS_ACTOR_TOKEN: must be a token from agreements actors issue',
    );
  });

  it('never writes an address at info level: message, printf arguments, fields, nested fields, errors', () => {
    const { logger, lines, records } = capture();
    logger.info({ key: 'invitation::vc@uob.example', kind: 'invitation' }, 'mail sent');
    logger.info('sending to %s', 'finance@jitri.example');
    logger.info('mail for president@jitri.example queued');
    logger.warn({ notification: { contact: { name: 'JITRI Finance', email: 'finance@jitri.example' } } }, 'chase');
    logger.error(new Error('550 mailbox vc@uob.example unavailable'));
    logger.error({ err: new Error('rejected partnerships@uob.example') }, 'delivery failed');

    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).not.toMatch(ADDRESS);
    const [sent, printf, inline, nested, error, wrapped] = records();
    expect(sent?.key).toBe('invitation::v***@uob.example');
    expect(printf?.msg).toBe('sending to f***@jitri.example');
    expect(inline?.msg).toBe('mail for p***@jitri.example queued');
    expect(nested?.notification).toEqual({ contact: { name: 'JITRI Finance', email: 'f***@jitri.example' } });
    expect(error?.msg).toBe('550 mailbox v***@uob.example unavailable');
    expect((error?.err as { type: string }).type).toBe('Error');
    expect((wrapped?.err as { message: string }).message).toBe('rejected p***@uob.example');
  });

  it('redacts address and secret fields by path at every level', () => {
    const { logger, records } = capture('trace');
    logger.debug(
      {
        recipient: 'vc@uob.example',
        to: ['vc@uob.example', 'president@jitri.example'],
        apiKey: 'tmprl-key-123',
        password: 'hunter2',
        config: { smtpUrl: 'smtp://u:p@mail:25', recordsUrl: 'postgres://u:p@db/x' },
      },
      'debug detail',
    );
    const [record] = records();
    expect(record?.recipient).toBe('v***@uob.example');
    expect(record?.to).toEqual(['v***@uob.example', 'p***@jitri.example']);
    expect(record?.apiKey).toBe('[redacted]');
    expect(record?.password).toBe('[redacted]');
    expect(record?.config).toEqual({ smtpUrl: '[redacted]', recordsUrl: '[redacted]' });
  });

  it('redacts secrets at any depth and in any case, at every level', () => {
    const { logger, lines, records } = capture('trace');
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    const cert = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkq\n-----END CERTIFICATE-----';
    for (const level of ['debug', 'info'] as const) {
      logger[level](
        {
          a: { b: { password: 'hunter2-a' } },
          Authorization: 'Bearer tok-abcdefgh-1',
          token: 'tok-abcdefgh-2',
          settings: {
            SMTP_PASS: 'hunter2-b',
            'x-api-key': 'key-abcdefgh-3',
            deep: { er: { clientSecret: 'hunter2-c' } },
          },
          tls: { clientCertPair: { crt: Buffer.from(cert), key: pem }, serverRootCACertificate: cert },
          connection: { apiKey: 'key-abcdefgh-4', actorToken: 'tok-abcdefgh-5' },
          key: 'invitation::vc@uob.example',
        },
        'connecting to postgres://db:5432/agreements?sslmode=require&password=hunter2-d',
      );
    }
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toMatch(/hunter2|tok-abcdefgh|key-abcdefgh|BEGIN|MIIE|MIID/);
    }
    const [debug, info] = records();
    expect(info?.a).toEqual({ b: { password: '[redacted]' } });
    expect(info?.Authorization).toBe('[redacted]');
    expect(info?.tls).toEqual({
      clientCertPair: { crt: '[redacted]', key: '[redacted]' },
      serverRootCACertificate: '[redacted]',
    });
    expect(info?.msg).toBe('connecting to postgres://db:5432/agreements?sslmode=require&password=***');
    // A notification key is not a secret: only its address is masked (kept in full below info, for debugging).
    expect(info?.key).toBe('invitation::v***@uob.example');
    expect(debug?.key).toBe('invitation::vc@uob.example');
  });

  it('redacts secrets inside errors: messages, own properties and causes', () => {
    const { logger, lines, records } = capture();
    const cause = new Error('connect postgres://agreements:hunter2-e@db:5432/x failed');
    const error = Object.assign(new Error('SMTP login refused with Authorization: Bearer tok-abcdefgh-6', { cause }), {
      config: { auth: { user: 'office', pass: 'hunter2-f' }, tls: { key: Buffer.from('private') } },
    });
    logger.error({ err: error, nested: { failure: error } }, 'delivery failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/hunter2|tok-abcdefgh|private/);
    const err = records()[0]?.err as { type: string; message: string; config: unknown };
    expect(err.type).toBe('Error');
    expect(err.message).toBe(
      'SMTP login refused with Authorization: Bearer ***: connect postgres://agreements:***@db:5432/x failed',
    );
    expect(err.config).toEqual({ auth: '[redacted]', tls: { key: '[redacted]' } });
  });

  it('writes no further than a depth limit rather than leak what lies below', () => {
    const { logger, lines } = capture();
    let nested: Record<string, unknown> = { note: 'postgres://u:hunter2-g@db/x', email: 'vc@uob.example' };
    for (let i = 0; i < 40; i += 1) nested = { level: nested };
    logger.info(nested, 'deep');
    expect(lines[0]).toContain('[too deep]');
    expect(lines[0]).not.toMatch(/hunter2|vc@uob/);
  });

  it('keeps free text as is below info, for debugging', () => {
    const { logger, records } = capture('debug');
    logger.debug('rendering for vc@uob.example');
    expect(records()[0]?.msg).toBe('rendering for vc@uob.example');
  });

  it('masks child bindings', () => {
    const { logger, lines } = capture();
    const child = logger.child({ recipient: 'vc@uob.example', key: 'welcome::candidate@uob.example' });
    child.info('welcome sent');
    child.child({ contact: 'finance@jitri.example' }).info('grandchild');
    for (const line of lines) expect(line).not.toMatch(ADDRESS);
    expect(lines[0]).toContain('v***@uob.example');
    expect(lines[0]).toContain('welcome::c***@uob.example');
    expect(lines[1]).toContain('f***@jitri.example');
    expect(lines[1]).toContain('welcome::c***@uob.example');
  });

  it('does not change createLogger: JSON logger at the given level with the name', () => {
    const logger = createLogger({ level: 'warn', name: 'worker' });
    expect(logger.level).toBe('warn');
    expect(logger.bindings()).toMatchObject({ name: 'worker' });
  });
});
