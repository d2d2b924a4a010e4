import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders under src/ a file may not import from, by pattern (relative imports are matched by their folder name). */
const folders = (...names) => names.map((name) => `**/${name}/**`);
const NODE_IO = ['node:*', 'fs', 'fs/*', 'net', 'http', 'https', 'child_process', 'os', 'path'];
const DRIVERS = ['pino', 'pino-*', 'nodemailer', 'nodemailer/*', 'kysely', 'pg', 'better-sqlite3', 'smtp-server'];

/** One no-restricted-imports rule: `patterns` may not be imported, and the message says which arrow that breaks. */
const boundary = (files, patterns, message, allow = []) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: [...patterns, ...allow.map((path) => `!${path}`)], message },
          { group: OUTSIDE_PRODUCTION, message: 'production code never imports the benchmark, soak test or tests.' },
        ],
      },
    ],
  },
});
const OUTSIDE_PRODUCTION = ['**/bench/**', '**/soak/**', '**/test/**'];

/** The rooms of src/ besides the domain, each a folder; `except` drops the ones a room may import. */
const ROOMS = [
  'activities',
  'actors',
  'certificate',
  'client',
  'codec',
  'keys',
  'links',
  'local',
  'mail',
  'ports',
  'records',
  'shared',
  'visibility',
  'web',
  'wire',
  'worker',
  'workflows',
];
const except = (rooms, ...allowed) => rooms.filter((room) => !allowed.includes(room));

export default tseslint.config(
  { ignores: ['node_modules/', '.agreements/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // The allowed arrows between the rooms of src/ (docs/architecture.md). Every room but local/ and worker/ is listed
  // with what it may not import; local/ (dev server, dev, demo, stack) and worker/ compose the rest.
  boundary(
    ['src/domain/**'],
    ['@temporalio/*', ...NODE_IO, ...DRIVERS, '../*'],
    'src/domain is the pure core: no Temporal, no I/O, nothing outside src/domain.',
  ),
  boundary(
    ['src/wire/**'],
    ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', ...NODE_IO, ...DRIVERS, ...folders(...ROOMS)],
    'src/wire is the wire contract (names, Updates, Queries, search attributes): it imports only the domain.',
  ),
  boundary(
    ['src/ports/**'],
    ['@temporalio/*', ...NODE_IO, ...DRIVERS, ...folders(...ROOMS)],
    'src/ports holds the contracts the shell implements: types over the domain only.',
  ),
  boundary(
    ['src/workflows/**'],
    [
      '@temporalio/client',
      '@temporalio/worker',
      '@temporalio/activity',
      ...NODE_IO,
      ...DRIVERS,
      ...folders(...except(ROOMS, 'workflows', 'wire', 'ports')),
    ],
    'workflows import only the domain, the wire contract and the ports (the activities they call).',
  ),
  boundary(
    ['src/certificate/**'],
    ['@temporalio/*', ...DRIVERS, ...folders(...except(ROOMS, 'certificate'))],
    'src/certificate renders the certificate of completion from the domain facts: it imports only the domain.',
  ),
  boundary(
    ['src/client/**'],
    [
      ...folders('worker', 'activities', 'mail', 'workflows', 'local', 'certificate'),
      '**/records/*',
      '@temporalio/worker',
    ],
    'the client imports no worker, workflows, activities, mail or records internals (src/records/index.ts is their face).',
    ['**/records/index.ts'],
  ),
  boundary(
    ['src/web/**'],
    [...folders('worker', 'activities', 'mail', 'workflows', 'local', 'records', 'certificate'), '@temporalio/worker'],
    'the web server is a client: it imports the client, the links, the domain and shared, never the worker side.',
  ),
  boundary(
    ['src/activities/**', 'src/mail/**', 'src/records/**'],
    [
      ...folders('client', 'worker', 'workflows', 'codec', 'local', 'web', 'certificate'),
      '@temporalio/client',
      '@temporalio/worker',
    ],
    'activities, mail and records are driven by the worker: they import the domain, the ports and the wire contract, never the workflows (the certificate renderer is injected).',
  ),
  boundary(
    ['src/actors/**', 'src/keys/**', 'src/codec/**', 'src/links/**'],
    folders('activities', 'client', 'mail', 'records', 'worker', 'workflows', 'local', 'web'),
    'actors, keys, links and the codec are imported by the rest: they import only the domain, the wire contract, shared and each other.',
  ),
  boundary(
    ['src/visibility/**'],
    [
      '@temporalio/worker',
      '@temporalio/activity',
      ...NODE_IO,
      ...DRIVERS,
      ...folders(...except(ROOMS, 'visibility', 'wire')),
    ],
    'src/visibility reads agreements through a Temporal client it is given: it imports only the domain and the wire contract.',
  ),
  boundary(
    ['src/shared/**'],
    folders(...except(ROOMS, 'shared', 'actors', 'keys')),
    'src/shared (configuration, logger, redaction) imports only the domain, the keys and the roles file reader.',
  ),
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
