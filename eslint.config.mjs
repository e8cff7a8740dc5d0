import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', 'coverage/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      // A rest sibling is how a field is left out of a copy: `const { options, ...update } = body`.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // Command-line entry points talk to people through stdout.
    files: ['bin/**/*.ts', 'scripts/**/*.ts', 'local/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
