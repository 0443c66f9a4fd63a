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
      'no-restricted-imports': [
        'error',
        {
          paths: ['zod', 'zod/v4', 'zod/v3'].map((name) => ({
            name,
            message:
              "Use `import * as z from 'zod/mini'`: classic zod is about 95 KB of every Lambda bundle, which keeps them over the 150 KB goal of issue 6.",
          })),
        },
      ],
      // no-restricted-imports cannot refuse `{ z }` without refusing `* as z` too
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value=/^zod\\/(mini|v4\\/mini|v4-mini)$/] > ImportSpecifier[imported.name='z']",
          message: "Use `import * as z from 'zod/mini'`: the named `z` pulls every zod locale into each Lambda bundle (issue 6).",
        },
      ],
    },
  },
  {
    ignores: ['node_modules/', 'cdk.out/', '.local/', '.scratch/', '.bench/', 'coverage/', 'screenshots/', 'test-results/'],
  },
);
