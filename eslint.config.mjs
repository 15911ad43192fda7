// ESLint for the whole repository: Nuxt's flat config (generated into .nuxt by @nuxt/eslint, with
// the stylistic options in nuxt.config.ts) plus the house rules below. `npm run lint` checks,
// `npm run lint:fix` fixes what it can.
import withNuxt from './.nuxt/eslint.config.mjs'

export default withNuxt(
  { ignores: ['bench/results/**', 'tests/artifacts/**', 'drizzle/**'] },
  {
    rules: {
      // The house layout: compact one-line templates and type literals, long lines where they read
      // better than wrapped ones. Only correctness rules and the basic shape are enforced.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      // Vue 3 components may have several root nodes.
      'vue/no-multiple-template-root': 'off',
      '@stylistic/member-delimiter-style': ['error', { multiline: { delimiter: 'none' }, singleline: { delimiter: 'semi', requireLast: false } }],
      '@stylistic/quote-props': ['error', 'as-needed'],
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'always' }],
      '@stylistic/max-statements-per-line': 'off',
      '@stylistic/operator-linebreak': 'off',
      '@stylistic/multiline-ternary': 'off',
      // `catch {}` says "this failure is expected and changes nothing" on purpose.
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
)
