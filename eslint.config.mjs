import next from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...next,
  ...nextTs,
  {
    ignores: [
      '.next/**',
      'dist/**',
      '.dist-build-*/**',
      '.dist-old-*/**',
      'node_modules/**',
      'prisma/generated/**',
      'coverage/**',
      'var/**',
      'playwright-report/**',
      'test-results/**',
      'next-env.d.ts',
    ],
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration through server/env, not process.env.' },
      ],
    },
  },
  {
    // Typed rules: a promise nobody awaits or catches loses its error and its ordering silently.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Parsing the environment is the one place allowed to read it; scripts and tests set it.
    files: [
      'server/env/**',
      'scripts/**',
      'e2e/**',
      'bench/**',
      '**/*.test.ts',
      '**/test-support/**',
      'prisma.config.ts',
      'playwright.config.ts',
      'next.config.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // What runs in the browser must never pull in the worker, the database or secrets.
    files: ['components/**', 'lib/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@/server/*', '**/server/*', '@/prisma/*'], message: 'Browser and shared code must not import server code.' }] },
      ],
    },
  },
];

export default config;
