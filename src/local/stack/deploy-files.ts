import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/**
 * The files under deploy/ that both launchers use (docker-compose.yml mounts them; `npm run stack` points the built
 * binaries at them): one configuration, two launchers.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));

export const deployFiles = {
  repositoryRoot: root,
  /** `--root` of the Temporal server: config/agreements.yaml is selected with `--env agreements`. */
  temporalRoot: join(root, 'deploy', 'temporal'),
  temporalEnvironment: 'agreements',
  dynamicConfig: join(root, 'deploy', 'temporal', 'dynamicconfig', 'development-sql.yaml'),
  setupSchema: join(root, 'deploy', 'temporal', 'setup-postgres-schema.sh'),
  createNamespace: join(root, 'deploy', 'temporal', 'create-namespace.sh'),
  registerSearchAttributes: join(root, 'deploy', 'temporal', 'register-search-attributes.sh'),
  /** `--root` of the UI server: config/docker.yaml, the name the temporalio/ui image reads. */
  uiRoot: join(root, 'deploy', 'temporal-ui'),
  uiEnvironment: 'docker',
  mailpitEnv: join(root, 'deploy', 'mailpit', 'mailpit.env'),
  workerMain: join(root, 'src', 'worker', 'main.ts'),
  webMain: join(root, 'src', 'web', 'main.ts'),
} as const;
