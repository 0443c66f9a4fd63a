import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const zodPaths = ['zod', 'zod/v4', 'zod/v3'].map((name) => ({
  name,
  message:
    "Use `import * as z from 'zod/mini'`: classic zod is about 95 KB of every Lambda bundle, which keeps them over the 150 KB goal of issue 6.",
}));

export default tseslint.config(
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver()],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'no-restricted-imports': ['error', { paths: zodPaths }],
      // no-restricted-imports cannot refuse `{ z }` without refusing `* as z` too
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value=/^zod\\/(mini|v4\\/mini|v4-mini)$/] > ImportSpecifier[imported.name='z']",
          message:
            "Use `import * as z from 'zod/mini'`: the named `z` pulls every zod locale into each Lambda bundle (issue 6).",
        },
      ],
      // a module that (through others) imports itself is two modules that should be one, or three
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // the functional core: rules are pure functions of data and the protocol (../shared/STYLE.md)
    files: ['functions/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: zodPaths,
          patterns: [
            {
              group: ['@aws-sdk/*', '@middy/*'],
              message: 'The domain knows nothing of AWS or middy: decide here, act in the handler.',
            },
            {
              regex: '(^|/)(store|platform)/',
              message: 'The domain reads neither the table nor the process: its callers load the data and pass it in.',
            },
          ],
        },
      ],
    },
  },
  {
    ignores: [
      'node_modules/',
      'cdk.out/',
      '.local/',
      '.scratch/',
      '.bench/',
      'coverage/',
      'screenshots/',
      'test-results/',
    ],
  },
);
