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
    // Public SEO pages: plain server-rendered HTML with no JavaScript at all (links only, nothing to
    // hydrate), cacheable by browsers and CDNs for a minute and served stale while revalidating for
    // five; no in-process cache (fresh prices and stock after at most a minute, no per-replica copies).
    ...Object.fromEntries(['/', '/catalog', '/catalog/**', '/product/**'].map((path) => [path, { noScripts: true, headers: { 'Cache-Control': 'public, max-age=60, stale-while-revalidate=300' } }])),
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
  experimental: {
    // Links prefetch their screen's code on touch/hover, not as soon as they are visible: a first
    // launch on a slow network downloads the first screen only; screens prefetch what comes next
    // once they have loaded (prefetchScreens).
    defaults: { nuxtLink: { prefetchOn: { visibility: false, interaction: true } } },
    // The manifest (route rules on the client, "new version" polling) costs ~2 KB gz on every page; we use neither.
    appManifest: false,
  },
  vite: {
    // No component uses the Options API: dropping it takes ~2 KB gz off Vue's runtime.
    define: { __VUE_OPTIONS_API__: 'false' },
  },
  nitro: {
    preset: 'node-server',
    // .gz/.br beside every built asset: phones get compressed JS without a proxy doing it.
    compressPublicAssets: { gzip: true, brotli: true },
    // Migrations ship beside .output (see Dockerfile); these packages load WASM/extension files at run time.
    externals: { inline: [] },
  },
  hooks: {
    // The Mini App's first screen in one chunk (client build only): fewer, better-compressed files
    // on a first launch than the bundler's split into a dozen small shared chunks.
    'vite:extendConfig'(viteConfig, { isClient }) {
      if (!isClient) return
      // Nuxt hands the config over typed read-only; extending it here is what the hook is for.
      const build = ((viteConfig as { build?: { rollupOptions?: { output?: object } } }).build ??= {})
      const rollupOptions = (build.rollupOptions ??= {})
      rollupOptions.output = {
        ...rollupOptions.output,
        codeSplitting: {
          groups: [
            {
              name: 'miniapp-first-screen',
              test: /[\\/]app[\\/](pages[\\/]app(\.vue|[\\/]index\.vue)|components[\\/](shell|home)[\\/]|components[\\/]cart[\\/]CartEntry|composables[\\/](useApi|useI18n|useTelegramButtons|useHaptics|useCart|useOnline|usePrefetchScreens)\.ts|utils[\\/](start-param|storefront)\.ts|i18n[\\/]ru\.ts)/,
              includeDependenciesRecursively: false,
            },
          ],
        },
      }
    },
    // No <link rel="prefetch"> for the error pages and other layouts in every page's HTML: phones on
    // slow networks download them on first load otherwise (~3 KB gz). They load when needed.
    'build:manifest'(manifest) {
      for (const chunk of Object.values(manifest)) chunk.dynamicImports = []
    },
    // Unhead's legacy plugins (template params, alias sorting, deprecations, promises) cost ~2 KB gz
    // on every page and we use none of them: keep only its defaults.
    'app:templates'(app) {
      const options = app.templates.find((t) => t.filename === 'unhead-options.mjs')
      if (options) options.getContents = () => 'export default { disableDefaults: true, plugins: [] }'
    },
    // Our JSON error handler goes first for /api/**; pages still get Nuxt's error page.
    'nitro:config'(config) {
      const existing = [config.errorHandler ?? []].flat()
      config.errorHandler = ['~~/server/error-handler', ...existing]
    },
  },
  typescript: { strict: true },
})
