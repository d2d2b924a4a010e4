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

export default tseslint.config(
  { ignores: ['node_modules/', '.agreements/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // The allowed arrows between the parts of src/ (README, "Architecture").
  boundary(
    ['src/domain/**'],
    ['@temporalio/*', ...NODE_IO, ...DRIVERS, '../*'],
    'src/domain is the pure core: no Temporal, no I/O, nothing outside src/domain.',
  ),
  boundary(
    ['src/workflows/**'],
    [
      '@temporalio/client',
      '@temporalio/worker',
      '@temporalio/activity',
      ...NODE_IO,
      ...DRIVERS,
      ...folders('activities', 'client', 'codec', 'mail', 'ports', 'records', 'worker', 'shared'),
    ],
    'workflows import only the domain, the definitions and the search attribute keys.',
    ['**/shared/search-attributes.ts'],
  ),
  boundary(
    ['src/client/**'],
    [...folders('worker', 'activities', 'mail'), '**/records/*', '@temporalio/worker'],
    'the client imports no worker, activities, mail or records internals (src/records/index.ts is their face).',
    ['**/records/index.ts'],
  ),
  boundary(
    ['src/activities/**', 'src/mail/**', 'src/records/**', 'src/ports/**'],
    [
      ...folders('client', 'worker', 'workflows', 'codec', 'devserver', 'demo', 'dev'),
      '@temporalio/client',
      '@temporalio/worker',
    ],
    'activities, mail and records are driven by the worker: they import only the domain, the ports and the definitions.',
    ['**/workflows/definitions.ts'],
  ),
  boundary(
    ['src/shared/**'],
    folders('activities', 'client', 'codec', 'mail', 'records', 'worker', 'workflows', 'devserver', 'demo', 'dev'),
    'src/shared is imported by the rest and imports only the domain.',
  ),
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
