// ESLint flat config (issue 18): typescript-eslint's recommended rules, the rules of hooks in the renderer, and
// the layer boundaries of docs/ARCHITECTURE.md written as import rules so that a wrong import fails `npm test`.
// Not type-aware on purpose: the whole tree lints in seconds (a type-aware run re-does tsc's ~40 s).
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const FEATURES = readdirSync(new URL('./src-renderer/features', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'tls', 'url', 'util', 'stream', 'zlib', 'worker_threads', 'events', 'buffer'];

// Where each part may import from (import-x/no-restricted-paths; a later block setting the same rule replaces
// its options, so the core's extra zone below repeats these).
const BOUNDARY_ZONES = [
  { target: './src-main/shared', from: ['./src-main/core', './src-main/host', './src-main/web', './src-main/cli', './src-main/net', './src-main/preload'], message: 'src-main/shared imports only shared code (and libraries).' },
  { target: './src-renderer', from: './src-main', except: ['./shared'], message: 'The renderer reaches the backend only through the API client; from src-main it imports only src-main/shared.' },
  { target: './src-renderer/features', from: './src-renderer/app', message: 'app/ imports the features, never the reverse: shared plumbing lives in src-renderer/lib, shared UI in src-renderer/components.' },
  ...FEATURES.map((f) => ({
    target: `./src-renderer/features/${f}`,
    from: './src-renderer/features',
    except: [`./${f}`],
    message: 'A feature does not import another feature: move the shared piece to src-renderer/lib or src-renderer/components.',
  })),
];

const ELECTRON_ONLY_IN_HOST = { name: 'electron', message: 'Only src-main/host (and the preload) import electron.', allowTypeImports: true };

// One owner per table (docs/ARCHITECTURE.md): SQL lives in repositories. The data API (core/db/query.ts), Kysely's
// `sql` tag and a statement prepared on the raw connection are refused everywhere else in the backend; types may
// still be imported (`import type { Selectable } from 'kysely'`).
const SQL_HOMES = ['src-main/**/*.repo.ts', 'src-main/**/repo/**', 'src-main/core/db/**'];
// The justified exceptions, each with its reason: none of them reads or writes a feature's rows for a feature.
const SQL_EXCEPTIONS = [
  // The dispatcher: BEGIN IMMEDIATE / COMMIT / ROLLBACK around a write method, and the office it serves read once.
  'src-main/core/core.ts',
  // Whole database files and backup images, not the live schema's tables: PRAGMA quick_check / integrity_check,
  // sqlite_master, a backup image's row counts, VACUUM INTO.
  'src-main/core/security/backup.ts',
  // DDL of the reports' own summary tables: their triggers set aside and the tables refilled by the migration's SQL.
  'src-main/core/reports/summaries-bulk.ts',
  // The seed's bulk load on a raw connection outside any call: PRAGMAs, index and trigger DDL around the load
  // (the rows themselves go through the repositories), measured by the bench.
  'src-main/core/seed/**',
  // Tests and their fixtures write rows as another office or an old version would.
  '**/*.test.ts',
  'src-main/core/attestations/test-fixtures.ts',
  'src-main/core/exchange/exchange.fixtures.ts',
];
const SQL_ONLY_IN_REPOSITORIES = 'SQL only in repositories (*.repo.ts, repo/): call the owning feature\'s repository (docs/ARCHITECTURE.md, "One owner per table").';

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'dist-electron/**', 'dist-cli/**', 'release/**', 'build/**', 'templates/**', 'tests/e2e/screenshots/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] })],
    },
    rules: {
      // The code base types external data (zod output, SQLite rows, JSON fixtures in tests) at the boundary and
      // uses `any` in a few tests and adapters on purpose; tsc's strict mode is the check that matters there.
      '@typescript-eslint/no-explicit-any': 'off',
      // Unused names: an underscore marks one kept on purpose (positional arguments, destructured rests).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // tsc already reports undefined names, with the types (DOM, Node) in view; the core rule would not know them.
      'no-undef': 'off',
      // File-name sanitizers match control characters on purpose (web/server.ts, sessions/sheets.handlers.ts).
      'no-control-regex': 'off',
      // Flags `let x = fallback; try { x = parse(…) } catch {}`, a pattern used on purpose for tolerant parsing.
      'no-useless-assignment': 'off',
      // `cond && f()` / `a ? f() : g()` as statements are allowed; comma sequences and bare expressions are not.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
    },
  },
  // Node scripts and config files run as plain Node.
  {
    files: ['scripts/**/*.{js,mjs,cjs}', '*.config.{js,ts}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable' } },
  },
  // The renderer: the rules of hooks.
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },

  // ---- Layer boundaries -------------------------------------------------------------------------------------
  // Electron is imported only by the host (the window, menus, IPC) and the preload (its sandboxed bridge); the
  // scripts start or build it. A type-only import (tests of the host) loads nothing and is allowed.
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['src-main/host/**', 'src-main/preload/**', 'scripts/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only src-main/host (and the preload) import electron.', allowTypeImports: true }] },
      ],
    },
  },
  // SQL only in repositories (the rule's options repeat electron's: a later block setting a rule replaces them).
  {
    files: ['src-main/core/**/*.ts', 'src-main/cli/**/*.ts', 'src-main/web/**/*.ts', 'src-main/net/**/*.ts'],
    ignores: [...SQL_HOMES, ...SQL_EXCEPTIONS],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [ELECTRON_ONLY_IN_HOST, { name: 'kysely', importNames: ['sql', 'Kysely', 'CompiledQuery'], message: SQL_ONLY_IN_REPOSITORIES, allowTypeImports: true }],
          patterns: [{ group: ['**/db/query', '**/db/query.ts', '**/db/statements'], message: SQL_ONLY_IN_REPOSITORIES, allowTypeImports: true }],
        },
      ],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='prepare']", message: SQL_ONLY_IN_REPOSITORIES }],
    },
  },
  // src-main/shared runs in every process, the renderer included: no Node built-ins, no core, no doors.
  {
    files: ['src-main/shared/**/*.ts'],
    ignores: ['src-main/shared/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src-main/host (and the preload) import electron.', allowTypeImports: true }],
          patterns: [{ group: NODE_BUILTINS, message: 'src-main/shared runs in the renderer too: no Node built-ins.' }],
        },
      ],
    },
  },
  {
    files: ['src-main/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: BOUNDARY_ZONES },
      ],
    },
  },
  // The core knows no door (its tests may drive the CLI or the web bridge, as users do).
  {
    files: ['src-main/core/**/*.ts'],
    ignores: ['src-main/core/**/*.test.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: [...BOUNDARY_ZONES, { target: './src-main/core', from: ['./src-main/host', './src-main/web', './src-main/cli'], message: 'The core knows no door: host, web and cli import the core, never the reverse.' }] },
      ],
    },
  },
);
