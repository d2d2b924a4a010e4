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
