import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dataConverterFor } from '../../src/codec/data-converter.ts';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, temporalEndpoint } from '../../src/shared/config.ts';
import { workerDeploymentVersion } from '../../src/worker/build-id.ts';

describe('configuration', () => {
  it('takes the codec server the dev stack points the Temporal UI at', () => {
    expect(loadConfig({ TEMPORAL_CODEC_ENDPOINT: 'http://127.0.0.1:8888' }).codecEndpoint).toBe(
      'http://127.0.0.1:8888',
    );
    expect(loadConfig({}).codecEndpoint).toBeUndefined();
  });

  it('refuses a codec endpoint that is not a URL, naming the variable', () => {
    expect(() => loadConfig({ TEMPORAL_CODEC_ENDPOINT: '127.0.0.1:8888' })).toThrow(ConfigError);
    expect(() => loadConfig({ TEMPORAL_CODEC_ENDPOINT: '127.0.0.1:8888' })).toThrow(
      /TEMPORAL_CODEC_ENDPOINT: must be an http/,
    );
  });

  it('refuses a Temporal address whose port cannot exist, naming the variable', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: 'temporal.uob.example:7233' }).temporalAddress).toBe(
      'temporal.uob.example:7233',
    );
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'localhost:99999' })).toThrow(
      /^invalid configuration: TEMPORAL_ADDRESS: port must be between 1 and 65535$/,
    );
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'localhost:0' })).toThrow(
      /TEMPORAL_ADDRESS: port must be between 1 and 65535/,
    );
  });

  it('refuses a sender that is not an address, and SMTP pool limits that are not whole numbers', () => {
    expect(loadConfig({ MAIL_FROM: 'Partnerships Office <agreements@uob.example>' }).mailFrom).toBe(
      'Partnerships Office <agreements@uob.example>',
    );
    expect(loadConfig({ MAIL_FROM: 'agreements@uob.example' }).mailFrom).toBe('agreements@uob.example');
    expect(() => loadConfig({ MAIL_FROM: 'notanemail' })).toThrow(
      /^invalid configuration: MAIL_FROM: must be an address, optionally with a name/,
    );
    expect(loadConfig({ SMTP_URL: 'smtp://mail.uob.example:25?maxConnections=5' }).smtpUrl).toBe(
      'smtp://mail.uob.example:25?maxConnections=5',
    );
    expect(() => loadConfig({ SMTP_URL: 'smtp://127.0.0.1:1?maxConnections=abc' })).toThrow(
      /^invalid configuration: SMTP_URL: maxConnections and maxMessages must be positive whole numbers$/,
    );
    expect(() => loadConfig({ SMTP_URL: 'smtp://127.0.0.1:1?maxMessages=0' })).toThrow(
      /SMTP_URL: maxConnections and maxMessages/,
    );
    // One message for a value that is no URL at all, not a second about pool limits it does not have.
    expect(() => loadConfig({ SMTP_URL: 'notaurl' })).toThrow(
      /^invalid configuration: SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL$/,
    );
    expect(() => loadConfig({ SMTP_URL: 'smtp://[bad' })).toThrow(
      /^invalid configuration: SMTP_URL: is not a valid URL$/,
    );
  });

  it('names TLS in the endpoint errors give when an API key turned it on', () => {
    expect(temporalEndpoint(loadConfig({ TEMPORAL_ADDRESS: 'localhost:7233' }))).toBe('localhost:7233');
    expect(temporalEndpoint(loadConfig({ TEMPORAL_ADDRESS: 'localhost:7233', TEMPORAL_API_KEY: 'abc' }))).toBe(
      'localhost:7233 over TLS (TEMPORAL_API_KEY or TEMPORAL_TLS* turn it on)',
    );
  });

  it('takes how long to wait for a worker as a duration, 60 seconds by default', () => {
    expect(loadConfig({}).workerWaitMs).toBe(60_000);
    expect(loadConfig({ AGREEMENTS_WORKER_WAIT: 'PT2M' }).workerWaitMs).toBe(120_000);
    expect(() => loadConfig({ AGREEMENTS_WORKER_WAIT: 'soon' })).toThrow(
      /AGREEMENTS_WORKER_WAIT: must be a duration from 1s to 1h/,
    );
  });

  it('runs workers unversioned unless AGREEMENTS_WORKER_DEPLOYMENT=on, and refuses other values', () => {
    expect(loadConfig({}).workerDeployment).toBe(false);
    expect(loadConfig({ AGREEMENTS_WORKER_DEPLOYMENT: 'off' }).workerDeployment).toBe(false);
    expect(loadConfig({ AGREEMENTS_WORKER_DEPLOYMENT: 'on' }).workerDeployment).toBe(true);
    expect(() => loadConfig({ AGREEMENTS_WORKER_DEPLOYMENT: 'yes' })).toThrow(
      /^invalid configuration: AGREEMENTS_WORKER_DEPLOYMENT: must be one of on, off/,
    );
  });

  it('names the build by the package version and the commit, unless AGREEMENTS_BUILD_ID names it', () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim();
    expect(workerDeploymentVersion(loadConfig({}))).toBeUndefined();
    expect(workerDeploymentVersion(loadConfig({ AGREEMENTS_WORKER_DEPLOYMENT: 'on' }))).toEqual({
      deploymentName: 'agreements',
      buildId: `${version}-${head}`,
    });
    const named = loadConfig({ AGREEMENTS_WORKER_DEPLOYMENT: 'on', AGREEMENTS_BUILD_ID: 'rollout-b' });
    expect(workerDeploymentVersion(named)?.buildId).toBe('rollout-b');
    expect(() => loadConfig({ AGREEMENTS_BUILD_ID: 'two words' })).toThrow(
      /^invalid configuration: AGREEMENTS_BUILD_ID: /,
    );
  });

  it('turns on payload encryption only when keys are given', () => {
    expect(dataConverterFor(loadConfig({}).keyring).payloadCodecs).toBeUndefined();
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(dataConverterFor(loadConfig({ AGREEMENTS_CODEC_KEYS: `k1:${key}` }).keyring).payloadCodecs).toHaveLength(1);
    expect(() => loadConfig({ AGREEMENTS_CODEC_KEYS: 'k1:short' })).toThrow(
      /^invalid configuration: AGREEMENTS_CODEC_KEYS: /,
    );
  });

  it('has workers refuse payloads in clear unless AGREEMENTS_CODEC_PLAINTEXT=accept', () => {
    expect(loadConfig({}).acceptPlaintext).toBe(false);
    expect(loadConfig({ AGREEMENTS_CODEC_PLAINTEXT: 'refuse' }).acceptPlaintext).toBe(false);
    expect(loadConfig({ AGREEMENTS_CODEC_PLAINTEXT: 'accept' }).acceptPlaintext).toBe(true);
    expect(() => loadConfig({ AGREEMENTS_CODEC_PLAINTEXT: 'yes' })).toThrow(
      /AGREEMENTS_CODEC_PLAINTEXT: must be one of refuse, accept/,
    );
  });
});
