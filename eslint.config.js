// One linter for the whole tree. Typed rules catch the async mistakes that matter in a daemon
// (floating promises, promises passed where callbacks are expected); import rules keep the
// dependency arrows of ARCHITECTURE.md pointing one way.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';

/** Folders and what each may import (ARCHITECTURE.md, "Layout"). */
const layers = {
  proto: [],
  raft: ['proto'],
  ca: ['proto'],
  manager: ['proto', 'raft', 'ca'],
  worker: ['proto', 'ca'],
  compose: ['proto'],
  cli: ['proto', 'compose'],
};
const allFolders = [
  'proto',
  'raft',
  'ca',
  'manager',
  'worker',
  'compose',
  'daemon',
  'cli',
  'cluster-tests',
  'bench',
];

const layerRules = Object.entries(layers).map(([folder, allowed]) => ({
  files: [`${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: allFolders
          .filter((f) => f !== folder && !allowed.includes(f))
          .map((f) => ({
            group: [`**/${f}/**`, `../${f}`, `../../${f}`],
            message: `${folder}/ may not import ${f}/ (see ARCHITECTURE.md, Layout).`,
          })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/', 'proto/gen/', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
    },
  },
  ...layerRules,
  {
    // raft/core is a pure state machine: time is tick(), randomness is injected, no I/O.
    files: ['raft/core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        'setTimeout',
        'setInterval',
        'setImmediate',
        'performance',
        'process',
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'raft/core draws randomness from the injected PRNG.' },
        { object: 'Date', property: 'now', message: 'raft/core has no clock: time arrives as tick().' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date']", message: 'raft/core has no clock.' },
        { selector: "NewExpression[callee.name='Promise']", message: 'raft/core is synchronous.' },
        { selector: 'AwaitExpression', message: 'raft/core is synchronous.' },
        { selector: 'ImportDeclaration[source.value=/^node:/]', message: 'raft/core does no I/O.' },
      ],
    },
  },
  prettier,
);
