import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/shared/config.ts';
import { loadWebSettings } from '../../src/web/settings.ts';

const AGREEMENTS_LINK_KEYS = `k1:${randomBytes(32).toString('base64')}`;

describe('web settings', () => {
  it('default to loopback on 8090, with the public URL on that port', () => {
    const settings = loadWebSettings({ AGREEMENTS_LINK_KEYS });
    expect(settings).toMatchObject({
      host: '127.0.0.1',
      port: 8090,
      publicUrl: 'http://localhost:8090',
      trustProxy: 0,
      rateLimitPerMinute: 60,
    });
    expect(loadWebSettings({ AGREEMENTS_LINK_KEYS, WEB_RATE_LIMIT: '6000' }).rateLimitPerMinute).toBe(6000);
    expect(loadWebSettings({ AGREEMENTS_LINK_KEYS, WEB_PORT: '9000' }).publicUrl).toBe('http://localhost:9000');
    expect(loadWebSettings({ AGREEMENTS_LINK_KEYS, WEB_PUBLIC_URL: 'https://agreements.uob.example/' }).publicUrl).toBe(
      'https://agreements.uob.example',
    );
  });

  it('refuse a bad value with one line naming it', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ WEB_PORT: '99999' }, /^invalid configuration: WEB_PORT: must be between 1 and 65535$/],
      [
        { WEB_PUBLIC_URL: 'http://agreements.uob.example' },
        /WEB_PUBLIC_URL: must be https:\/\/ unless it names loopback/,
      ],
      [{ WEB_PUBLIC_URL: 'https://agreements.uob.example/a/' }, /WEB_PUBLIC_URL: must be an origin only/],
      [{ WEB_PUBLIC_URL: 'ftp://x' }, /WEB_PUBLIC_URL: must be an http/],
      [{ AGREEMENTS_LINK_TTL: 'forever' }, /AGREEMENTS_LINK_TTL/],
      [{ WEB_RATE_LIMIT: '0' }, /WEB_RATE_LIMIT: must be at least 1/],
      [{ WEB_RATE_LIMIT: 'lots' }, /^invalid configuration: WEB_RATE_LIMIT: must be a number/],
    ];
    for (const [env, message] of bad) {
      expect(() => loadWebSettings({ AGREEMENTS_LINK_KEYS, ...env })).toThrow(ConfigError);
      expect(() => loadWebSettings({ AGREEMENTS_LINK_KEYS, ...env })).toThrow(message);
    }
    expect(() => loadWebSettings({})).toThrow(/AGREEMENTS_LINK_KEYS must be set for the web server/);
  });
});
