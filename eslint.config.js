import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message: "Use `import * as z from 'zod'`: the named import pulls every zod locale into each Lambda bundle (about 3x its size).",
        },
      ],
    },
  },
  {
    ignores: ['node_modules/', 'cdk.out/', '.local/', '.scratch/', '.bench/', 'coverage/', 'screenshots/', 'test-results/'],
  },
);
