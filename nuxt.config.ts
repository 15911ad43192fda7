// One deployable: public SEO pages (SSR), the Mini App under /app and the admin under /admin
// (both client-only), and the Nitro API. See ../shared/DESIGN.md.
export default defineNuxtConfig({
  compatibilityDate: '2026-11-01',
  modules: ['@pinia/nuxt'],
  devtools: { enabled: false },
  telemetry: false,
  routeRules: {
    '/app/**': { ssr: false },
    '/admin/**': { ssr: false },
    '/sandbox': { ssr: false },
    '/sandbox/**': { ssr: false },
  },
  app: {
    head: {
      meta: [{ name: 'viewport', content: 'width=device-width, initial-scale=1, viewport-fit=cover' }],
    },
  },
  runtimeConfig: {
    public: {
      /** The bot's @username for "Open in Telegram" links (NUXT_PUBLIC_TELEGRAM_BOT_USERNAME); asked from getMe when empty. */
      telegramBotUsername: '',
      /** The Mini App short name for t.me/<bot>/<app> links (NUXT_PUBLIC_TELEGRAM_APP_NAME); t.me/<bot>?startapp when empty. */
      telegramAppName: '',
    },
  },
  nitro: {
    preset: 'node-server',
    // Migrations ship beside .output (see Dockerfile); these packages load WASM/extension files at run time.
    externals: { inline: [] },
  },
  hooks: {
    // Our JSON error handler goes first for /api/**; pages still get Nuxt's error page.
    'nitro:config'(config) {
      const existing = [config.errorHandler ?? []].flat()
      config.errorHandler = ['~~/server/error-handler', ...existing]
    },
  },
  typescript: { strict: true },
})
