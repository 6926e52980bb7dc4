// Lint: typescript-eslint's recommended rules, and the engine's boundaries — everything outside
// src/model reaches it through its one door (src/model/index.ts), and the engine never imports
// vscode. Formatting is prettier's (eslint-config-prettier turns the overlapping rules off).
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const outsideEngine = ['src/extension/**', 'src/cli/**', 'src/recipes/**', 'src/shared/**', 'bench/**', 'scripts/**'];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'out-test/', '.vscode-test/', 'models/', 'samples/'] },
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS: the suites that run inside VS Code's extension host, the editor benches, bin/
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/model/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'The engine (src/model) runs without VS Code: no vscode import.' }] },
      ],
    },
  },
  {
    files: outsideEngine,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)model/(?!index$).+',
              message: 'Import the engine through its door, src/model (index.ts), not a file behind it.',
            },
          ],
        },
      ],
    },
  },
  {
    // The one exception: src/shared is bundled into the webviews, which must not pull in the door
    // (it brings the engine's Node modules), so it imports the validators' own file, which imports
    // nothing but core. Exactly that file: any other deep import still fails.
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)model/(?!index$)(?!core/validate$).+',
              message:
                'Import the engine through its door, src/model (index.ts); src/shared may import model/core/validate only.',
            },
          ],
        },
      ],
    },
  },
);
