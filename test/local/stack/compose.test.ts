// Static checks of the container stack: docker-compose.yml, the Dockerfile and the deploy/ scripts. No Docker needed
// (there is no engine where the suite runs); `docker compose config` is the runtime counterpart (docs/operations.md).
import { loadWebSettings } from '../../../src/web/settings.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema, loadConfig } from '../../../src/shared/config.ts';
import { searchAttributeCliTypes, searchAttributeKeys } from '../../../src/wire/search-attributes.ts';
import { CODEC_KEYS_VARIABLE, generateKeyEntry } from '../../../src/keys/keyring.ts';
import { STACK_VERSIONS } from '../../../src/local/stack/binaries.ts';
import { deployFiles } from '../../../src/local/stack/deploy-files.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));
const listAsMap = z
  .array(z.string())
  .transform((entries) =>
    Object.fromEntries(entries.map((entry) => [entry.split('=')[0] ?? entry, entry.slice(entry.indexOf('=') + 1)])),
  );
const conditions = ['service_started', 'service_healthy', 'service_completed_successfully'] as const;

const serviceSchema = z
  .object({
    image: z.string().optional(),
    build: z
      .union([z.string(), z.object({ context: z.string().optional(), dockerfile: z.string().optional() }).loose()])
      .optional(),
    environment: z.union([stringMap, listAsMap]).optional(),
    ports: z.array(z.union([z.string(), z.number().transform(String)])).optional(),
    depends_on: z
      .union([
        z
          .array(z.string())
          .transform((names) =>
            Object.fromEntries(names.map((name) => [name, { condition: 'service_started' as const }])),
          ),
        z.record(z.string(), z.object({ condition: z.enum(conditions) }).loose()),
      ])
      .optional(),
    volumes: z.array(z.string()).optional(),
    entrypoint: z.union([z.string(), z.array(z.string())]).optional(),
    command: z.union([z.string(), z.array(z.string())]).optional(),
    healthcheck: z
      .object({ test: z.union([z.string(), z.array(z.string())]) })
      .loose()
      .optional(),
    restart: z.string().optional(),
    env_file: z.union([z.string(), z.array(z.string())]).optional(),
    container_name: z.string().optional(),
  })
  .loose();

const composeSchema = z
  .object({
    name: z.string().optional(),
    services: z.record(z.string(), serviceSchema),
    volumes: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

type Service = z.infer<typeof serviceSchema>;

// Compose files are YAML 1.1 as far as `<<` merge keys go.
const compose = composeSchema.parse(parse(read('docker-compose.yml'), { merge: true }));
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
};
const words = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(' ') : (value ?? ''));

/** Compose's variable substitution: `${VAR:?message}` (required), `${VAR:-default}` and `${VAR}`. */
function interpolate(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    const value = variables[name];
    if (value !== undefined && value !== '') return value;
    if (kind === '?') throw new Error(`${name} is required: ${rest ?? ''}`);
    return kind === '-' ? (rest ?? '') : '';
  });
}

/** The secrets .env.example asks for, filled in as a user would. */
const secrets: Record<string, string> = {
  TEMPORAL_DB_PASSWORD: 'temporalsecret0123',
  AGREEMENTS_DB_PASSWORD: 'agreementssecret0123',
  [CODEC_KEYS_VARIABLE]: generateKeyEntry('compose-test'),
  AGREEMENTS_LINK_KEYS: generateKeyEntry('compose-links'),
};
const workerEnv = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(service('worker').environment ?? {}).map(([key, value]) => [key, interpolate(value, secrets)]),
  );

/** `name:tag` of an image reference (registry ports and digests aside). */
function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSegment = withoutDigest.split('/').pop() ?? withoutDigest;
  return lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : undefined;
}

/** The host side (`ip:port`, or `*:port`) of a published port in short syntax. */
function hostBinding(spec: string): string | undefined {
  const parts = spec.replace(/\/(tcp|udp)$/, '').split(':');
  if (parts.length < 2) return undefined; // container port only: Docker picks a random host port
  const hostPort = parts[parts.length - 2] ?? '';
  const ip = parts.length > 2 ? parts.slice(0, -2).join(':') : '*';
  return `${ip}:${hostPort}`;
}

describe('docker-compose.yml', () => {
  it('has the whole stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['mailpit', 'postgresql', 'temporal', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'web', 'worker'].sort(),
    );
  });

  it('pins every image to an explicit version (never latest), or builds it', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (svc.build !== undefined) continue;
      expect(svc.image, `${name} has an image`).toBeTypeOf('string');
      const tag = imageTag(svc.image ?? '');
      expect(tag, `${name}: ${svc.image} has a tag`).toBeDefined();
      expect(tag, `${name}: ${svc.image}`).not.toBe('latest');
      expect(tag, `${name}: ${svc.image} names a version`).toMatch(/\d/);
    }
  });

  it('runs admin-tools at the server version (schema and CLI match the server)', () => {
    const server = imageTag(service('temporal').image ?? '');
    expect(service('temporal').image).toMatch(/^temporalio\/server:/);
    for (const name of ['temporal-schema', 'temporal-setup']) {
      expect(service(name).image).toMatch(/^temporalio\/admin-tools:/);
      // admin-tools tags name the server release, since 1.30 alone (1.32.2), before then with the tools it bundles
      // (1.29.1-tctl-1.18.4-cli-1.5.0).
      expect(imageTag(service(name).image ?? '')?.split('-')[0]).toBe(server);
    }
  });

  it('builds the worker from this repository', () => {
    const worker = service('worker');
    expect(worker.build === '.' || (typeof worker.build === 'object' && (worker.build.context ?? '.') === '.')).toBe(
      true,
    );
    expect(worker.container_name, 'no container_name, so `--scale worker=N` works').toBeUndefined();
    expect(worker.ports ?? [], 'no published ports, so `--scale worker=N` works').toEqual([]);
  });

  it('gives the worker only settings the config schema accepts, and they validate', () => {
    const env = workerEnv();
    const known = [...Object.keys(configSchema.shape), CODEC_KEYS_VARIABLE, 'AGREEMENTS_LINK_KEYS'];
    for (const key of Object.keys(env)) expect(known, `${key} is a key of configSchema`).toContain(key);
    const config = loadConfig(env);
    expect(config.temporalAddress).toBe('temporal:7233');
    expect(config.taskQueue).toBe('agreements');
    expect(config.namespace).toBe('default');
    expect(config.recordsUrl).toMatch(/^postgres:\/\/.+@postgresql:5432\/agreements$/);
    expect(config.smtpUrl).toBe('smtp://mailpit:1025');
    expect(config.keyring?.currentKeyId, 'payload encryption is on').toBe('compose-test');
    expect(config.linkKeys?.currentKeyId, 'mail links are signed').toBe('compose-links');
  });

  it("points the worker at the stack's own services", () => {
    const env = workerEnv();
    const hostOf = (url: string) => new URL(url).hostname;
    expect(services).toHaveProperty((env.TEMPORAL_ADDRESS ?? '').split(':')[0] ?? '');
    expect(services).toHaveProperty(hostOf(env.RECORDS_URL ?? ''));
    expect(services).toHaveProperty(hostOf(env.SMTP_URL ?? ''));
    expect(service('temporal').ports).toContain('127.0.0.1:7233:7233');
    expect(service('mailpit').ports).toEqual(expect.arrayContaining(['127.0.0.1:1025:1025', '127.0.0.1:8025:8025']));
    expect(service('temporal-ui').ports).toContain('127.0.0.1:8080:8080');
  });

  it('creates the records database the worker uses (deploy/postgres init script), password from .env', () => {
    const url = new URL(workerEnv().RECORDS_URL ?? '');
    const database = url.pathname.slice(1);
    const volumes = service('postgresql').volumes ?? [];
    expect(volumes).toContain('./deploy/postgres/initdb:/docker-entrypoint-initdb.d:ro');
    expect(url.password).toBe(secrets.AGREEMENTS_DB_PASSWORD);
    expect(service('postgresql').environment?.AGREEMENTS_DB_PASSWORD).toMatch(/^\$\{AGREEMENTS_DB_PASSWORD:\?/);
    const init = read('deploy/postgres/initdb/10-agreements.sh');
    expect(init).toContain(`CREATE ROLE ${url.username} WITH LOGIN PASSWORD :'password';`);
    expect(init).toContain(`CREATE DATABASE ${database} OWNER ${url.username};`);
    expect(init).toContain('-v password="${AGREEMENTS_DB_PASSWORD}"');
  });

  it('publishes no host port twice', () => {
    const seen = new Map<string, string>();
    for (const [name, svc] of Object.entries(services)) {
      for (const spec of svc.ports ?? []) {
        const binding = hostBinding(spec);
        if (!binding) continue;
        const port = binding.slice(binding.lastIndexOf(':') + 1);
        for (const [other, owner] of seen) {
          const otherPort = other.slice(other.lastIndexOf(':') + 1);
          const overlaps =
            otherPort === port && (other.startsWith('*:') || binding.startsWith('*:') || other === binding);
          expect(overlaps, `${name} and ${owner} both publish host port ${port}`).toBe(false);
        }
        seen.set(binding, name);
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(4);
  });

  it('orders start-up with depends_on conditions on existing services', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(svc.depends_on ?? {})) {
        const target = services[dependency];
        expect(target, `${name} depends on unknown service ${dependency}`).toBeDefined();
        if (condition === 'service_healthy')
          expect(target?.healthcheck, `${dependency} needs a healthcheck`).toBeDefined();
        if (condition === 'service_completed_successfully') {
          expect(target?.restart ?? 'no', `${dependency} is a one-shot step`).toMatch(/^(no|on-failure(:\d+)?)$/);
        }
      }
    }
    expect(service('temporal').depends_on).toEqual({
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
    expect(service('temporal-schema').depends_on).toEqual({ postgresql: { condition: 'service_healthy' } });
    expect(service('temporal-setup').depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
    expect(service('worker').depends_on).toMatchObject({
      'temporal-setup': { condition: 'service_completed_successfully' },
      postgresql: { condition: 'service_healthy' },
      mailpit: { condition: 'service_healthy' },
    });
  });

  it('has no start-up cycle', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (name: string, path: string[]) => {
      if (done.has(name)) return;
      expect(visiting.has(name), `cycle: ${[...path, name].join(' → ')}`).toBe(false);
      visiting.add(name);
      for (const dependency of Object.keys(services[name]?.depends_on ?? {})) visit(dependency, [...path, name]);
      visiting.delete(name);
      done.add(name);
    };
    for (const name of Object.keys(services)) visit(name, []);
  });

  it('mounts only files that exist in the repository', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const volume of svc.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (!source.startsWith('./')) continue;
        expect(existsSync(join(root, source)), `${name} mounts ${source}`).toBe(true);
      }
    }
  });

  it('sets up the Temporal schema with temporal-sql-tool (postgres12) for both databases', () => {
    const schema = service('temporal-schema');
    expect(deployFiles.setupSchema).toBe(join(root, 'deploy/temporal/setup-postgres-schema.sh'));
    expect(words(schema.entrypoint)).toContain('/deploy/setup-postgres-schema.sh');
    const script = read('deploy/temporal/setup-postgres-schema.sh');
    expect(script).toContain('"${TEMPORAL_SQL_TOOL}" --plugin postgres12');
    expect(script).toContain(': "${TEMPORAL_SQL_TOOL:=temporal-sql-tool}"');
    expect(script).toContain('VISIBILITY_DBNAME:=temporal_visibility');
    expect(script).toContain('DBNAME:=temporal}');
    for (const step of [
      'create',
      'setup-schema -v 0.0',
      'update-schema --schema-name postgresql/v12/temporal',
      'update-schema --schema-name postgresql/v12/visibility',
    ]) {
      expect(script).toContain(step);
    }
  });

  it("gives the server the repository's dynamic config", () => {
    const temporal = service('temporal');
    const path = temporal.environment?.DYNAMIC_CONFIG_FILE_PATH ?? '';
    const mount = (temporal.volumes ?? []).find((volume) => volume.startsWith('./deploy/temporal/dynamicconfig:'));
    expect(deployFiles.dynamicConfig.endsWith(join('deploy/temporal/dynamicconfig', posix.basename(path)))).toBe(true);
    expect(mount).toBeDefined();
    const target = mount?.split(':')[1] ?? '';
    expect(posix.dirname(path)).toBe(target);
    const file = join('deploy/temporal/dynamicconfig', posix.basename(path));
    expect(posix.basename(path)).toBe('development-sql.yaml');
    const dynamicConfig = z
      .record(z.string(), z.array(z.object({ value: z.unknown() }).loose()))
      .parse(parse(read(file)));
    expect(dynamicConfig['frontend.enableUpdateWorkflowExecution']?.[0]?.value).toBe(true);
  });
});

describe('docker-compose.yml is for a laptop, and says so', () => {
  const text = read('docker-compose.yml');

  it('publishes nothing beyond 127.0.0.1', () => {
    const published = Object.entries(services).flatMap(([name, svc]) =>
      (svc.ports ?? []).map((spec) => ({ name, spec, binding: hostBinding(spec) })),
    );
    expect(published.length).toBeGreaterThanOrEqual(4);
    for (const { name, spec, binding } of published) {
      expect(binding, `${name} publishes ${spec} on a random host port`).toBeDefined();
      expect(binding?.startsWith('127.0.0.1:'), `${name} publishes ${spec} beyond loopback`).toBe(true);
    }
  });

  it('holds no fixed password or key: each comes from .env and compose refuses to start without it', () => {
    const secretKey = /PASSWORD|PWD|SECRET|TOKEN|CODEC_KEYS|LINK_KEYS/;
    const checked: string[] = [];
    for (const [name, svc] of Object.entries(services)) {
      for (const [key, value] of Object.entries(svc.environment ?? {})) {
        const inUrl = /^[a-z]+:\/\/[^:/@]+:([^@]+)@/.exec(value)?.[1];
        if (!secretKey.test(key) && inUrl === undefined) continue;
        const secret = inUrl ?? value;
        expect(secret, `${name}.${key} is a fixed secret`).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
        checked.push(`${name}.${key}`);
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining(['postgresql.POSTGRES_PASSWORD', 'temporal.POSTGRES_PWD', 'worker.RECORDS_URL']),
    );
    expect(text).not.toMatch(/temporal:temporal|agreements:agreements@|PASSWORD: (?!\$)/);
    expect(() => interpolate(text, {})).toThrow(/TEMPORAL_DB_PASSWORD is required/);
  });

  it('runs the web server from the worker image, on loopback, with the link keys the workers sign with', () => {
    const web = service('web');
    expect(web.image).toBe(service('worker').image);
    expect(web.ports).toEqual(['127.0.0.1:8090:8090']);
    const env = Object.fromEntries(
      Object.entries(web.environment ?? {}).map(([key, value]) => [key, interpolate(value, secrets)]),
    );
    const settings = loadWebSettings(env);
    expect(settings.linkKeys.currentKeyId).toBe('compose-links');
    expect(settings.publicUrl).toBe(service('worker').environment?.WEB_PUBLIC_URL);
    expect(service('worker').environment?.AGREEMENTS_LINK_KEYS).toBe(web.environment?.AGREEMENTS_LINK_KEYS);
  });

  it('turns payload encryption on with a key the user must supply', () => {
    expect(service('worker').environment?.[CODEC_KEYS_VARIABLE]).toMatch(/^\$\{AGREEMENTS_CODEC_KEYS:\?/);
    expect(() => interpolate(text, { ...secrets, [CODEC_KEYS_VARIABLE]: '' })).toThrow(/AGREEMENTS_CODEC_KEYS/);
  });

  it('lists every variable it requires in .env.example, with no value filled in', () => {
    const example = read('.env.example');
    const required = [...new Set([...text.matchAll(/\$\{(\w+):\?/g)].map((match) => match[1] ?? ''))];
    expect(required.sort()).toEqual([
      'AGREEMENTS_CODEC_KEYS',
      'AGREEMENTS_DB_PASSWORD',
      'AGREEMENTS_LINK_KEYS',
      'TEMPORAL_DB_PASSWORD',
    ]);
    for (const name of required) expect(example).toMatch(new RegExp(`^${name}=$`, 'm'));
    expect(read('.gitignore').split('\n')).toContain('.env');
  });

  it('says at the top what it is and where production is described', () => {
    const header = text.split('\n').slice(0, 12).join('\n');
    expect(header).toMatch(/FOR A LAPTOP, NOT FOR PRODUCTION/);
    expect(header).toContain('docs/operations.md');
    expect(existsSync(join(root, 'docs/operations.md'))).toBe(true);
  });
});

describe('one configuration, two launchers (docker-compose.yml and npm run stack)', () => {
  it('pins the images to the versions npm run stack builds', () => {
    expect(service('temporal').image).toBe(`temporalio/server:${STACK_VERSIONS.temporalServer}`);
    expect(service('temporal-schema').image).toMatch(
      new RegExp(`^temporalio/admin-tools:${STACK_VERSIONS.temporalServer.replace(/\./g, '\\.')}(-|$)`),
    );
    expect(service('temporal-ui').image).toBe(`temporalio/ui:${STACK_VERSIONS.temporalUi}`);
    expect(service('mailpit').image).toBe(`axllent/mailpit:v${STACK_VERSIONS.mailpit}`);
  });

  it('runs the server on deploy/temporal/config/agreements.yaml: PostgreSQL persistence and SQL visibility', () => {
    const temporal = service('temporal');
    expect(temporal.volumes).toContain('./deploy/temporal/config:/etc/temporal/config:ro');
    expect(temporal.environment?.TEMPORAL_ENVIRONMENT).toBe(deployFiles.temporalEnvironment);
    const file = join(deployFiles.temporalRoot, 'config', `${deployFiles.temporalEnvironment}.yaml`);
    const config = readFileSync(file, 'utf8');
    expect(config.split('\n')[0]).toBe('# enable-template');
    expect(config.match(/pluginName: postgres12/g)).toHaveLength(2);
    expect(config).toMatch(/defaultStore: default\s+visibilityStore: visibility/);
    // Every variable the template reads is one compose or the stack sets (or has a default in the template).
    for (const name of ['POSTGRES_SEEDS', 'POSTGRES_USER', 'POSTGRES_PWD', 'DB_PORT', 'DYNAMIC_CONFIG_FILE_PATH']) {
      expect(config).toContain(`env "${name}"`);
      expect(Object.keys(temporal.environment ?? {})).toContain(name);
    }
  });

  it('runs the UI on deploy/temporal-ui/config/docker.yaml, where the image reads its config template', () => {
    expect(service('temporal-ui').volumes).toContain(
      './deploy/temporal-ui/config/docker.yaml:/home/ui-server/config/docker.yaml:ro',
    );
    expect(deployFiles.uiRoot).toBe(join(root, 'deploy/temporal-ui'));
    expect(deployFiles.uiEnvironment).toBe('docker');
    expect(read('deploy/temporal-ui/config/docker.yaml').split('\n')[0]).toBe('# enable-template');
  });

  it('gives Mailpit deploy/mailpit/mailpit.env in both', () => {
    expect(service('mailpit').env_file).toBe('./deploy/mailpit/mailpit.env');
    expect(deployFiles.mailpitEnv).toBe(join(root, 'deploy/mailpit/mailpit.env'));
  });
});

describe('search attributes: one source of truth', () => {
  const script = read('deploy/temporal/register-search-attributes.sh');
  const registered = Object.fromEntries(
    [...script.matchAll(/^register (\S+) (\S+)$/gm)].map((match) => [match[1] ?? '', match[2] ?? '']),
  );

  it('the registration script registers exactly searchAttributeCliTypes', () => {
    expect(registered).toEqual(searchAttributeCliTypes);
    expect(script).toContain('temporal operator search-attribute create');
  });

  it('searchAttributeCliTypes agrees with the typed keys the workflow uses', () => {
    const cliType = {
      KEYWORD: 'Keyword',
      KEYWORD_LIST: 'KeywordList',
      DATETIME: 'Datetime',
      TEXT: 'Text',
      INT: 'Int',
      DOUBLE: 'Double',
      BOOL: 'Bool',
    };
    expect(Object.fromEntries(searchAttributeKeys.map((key) => [key.name, cliType[key.type]]))).toEqual(
      searchAttributeCliTypes,
    );
    expect(Object.keys(searchAttributeCliTypes)).not.toContain('Status');
  });

  it('compose registers them through that script, on the namespace the worker uses, and nowhere else', () => {
    const setup = service('temporal-setup');
    expect(words(setup.entrypoint)).toContain('/deploy/create-namespace.sh');
    expect(words(setup.entrypoint)).toContain('/deploy/register-search-attributes.sh');
    expect(setup.volumes).toContain('./deploy/temporal:/deploy:ro');
    expect(setup.environment?.TEMPORAL_NAMESPACE).toBe(service('worker').environment?.TEMPORAL_NAMESPACE);
    expect(setup.environment?.TEMPORAL_ADDRESS).toBe(service('worker').environment?.TEMPORAL_ADDRESS);
    const composeText = read('docker-compose.yml');
    for (const name of Object.keys(searchAttributeCliTypes)) expect(composeText).not.toContain(name);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const args = Object.fromEntries(
    lines
      .filter((line) => /^ARG \w+=/.test(line))
      .map((line) => [line.slice(4, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const resolve = (text: string) => text.replace(/\$\{(\w+)\}/g, (_, name: string) => args[name] ?? '');
  const stageStarts = lines.flatMap((line, index) => (line.startsWith('FROM ') ? [index] : []));
  const stages = stageStarts.map((start, i) => lines.slice(start, stageStarts[i + 1] ?? lines.length));
  const finalStage = stages[stages.length - 1] ?? [];
  const baseOf = (stage: string[]) => resolve((stage[0] ?? '').split(/\s+/)[1] ?? '');

  it('is multi-stage on a pinned Debian slim Node 24 image, never Alpine', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      const base = baseOf(stage);
      expect(base).toMatch(/^node:24\.\d+\.\d+-bookworm-slim$/);
      expect(base).not.toMatch(/alpine/);
    }
  });

  it('builds native modules in the build stage and ships production dependencies only', () => {
    const build = (stages[0] ?? []).join('\n');
    expect(build).toMatch(/apt-get install[^\n]*python3[^\n]*make[^\n]*g\+\+/);
    expect(build).toContain('npm ci');
    expect(build).toMatch(/npm prune --omit=dev|npm ci --omit=dev/);
    const final = finalStage.join('\n');
    expect(final).toMatch(/COPY --from=\S+ \/app\/node_modules/);
    expect(final).not.toMatch(/npm ci(?! --omit=dev)/);
  });

  it('runs as a non-root user', () => {
    const users = finalStage.filter((line) => line.startsWith('USER '));
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1]?.slice(5).trim();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('starts the worker with plain node (signals reach it; no npm, no transpiler) on a bundle built in the image', () => {
    const cmd = finalStage.find((line) => line.startsWith('CMD '));
    expect(z.array(z.string()).parse(JSON.parse(cmd?.slice(4) ?? 'null'))).toEqual(['node', 'src/worker/main.ts']);
    expect(dockerfile).toContain('RUN node src/worker/build-bundle.ts');
    expect(finalStage).toContain('COPY --from=build /app/dist ./dist');
    const pkg = z
      .object({ dependencies: z.record(z.string(), z.string()), engines: z.object({ node: z.string() }) })
      .parse(JSON.parse(read('package.json')));
    // (protobufjs is a production dependency now: the CLI's HTTP show reads an encrypted Payload with its reader.)
    for (const devOnly of ['tsx', '@temporalio/testing', 'pino-pretty'])
      expect(pkg.dependencies, `${devOnly} is not needed in production`).not.toHaveProperty(devOnly);
    const image = /^ARG NODE_IMAGE=node:(\d+)\.(\d+)\.(\d+)-/m.exec(dockerfile);
    expect(image?.[1], 'the image runs the Node major the project supports').toBe(/(\d+)/.exec(pkg.engines.node)?.[1]);
  });

  it('keeps node_modules, local state and git out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['node_modules', '.agreements', '.git']) expect(ignored).toContain(entry);
    for (const needed of ['src', 'bin', 'package.json', 'package-lock.json', 'tsconfig.json'])
      expect(ignored).not.toContain(needed);
  });
});
