// One deployable: public SEO pages (SSR), the Mini App under /app and the admin under /admin
// (both client-only), and the Nitro API. See docs/architecture.md.

import { fileURLToPath } from 'node:url'
import { CLIENT_ONLY_PREFIXES } from './shared/client-only'

/** Seconds a public page may be old: browsers, CDNs and each replica's page cache alike. */
const PUBLIC_PAGE_MAX_AGE = 60
const PUBLIC_PAGE_CACHE_CONTROL = `public, max-age=${PUBLIC_PAGE_MAX_AGE}, stale-while-revalidate=300`

export default defineNuxtConfig({
  modules: ['@pinia/nuxt', '@nuxt/eslint'],
  devtools: { enabled: false },
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
  routeRules: {
    // Rendered only in the browser (the server's router leaves them out: app/router.options.ts).
    ...Object.fromEntries(CLIENT_ONLY_PREFIXES.flatMap((prefix) => [[prefix, { ssr: false }], [`${prefix}/**`, { ssr: false }]])),
    // Public SEO pages: plain server-rendered HTML with no JavaScript at all (links only, nothing to
    // hydrate), cacheable by browsers and CDNs for a minute and served stale while revalidating for
    // five. Each replica also keeps the rendered page for 60 s (Nitro's route-rule cache, in memory,
    // server/plugins/page-cache.ts): a burst of visitors or a crawl costs one render per URL a minute.
    // - Key: the full URL with its query (`?lang=en` is its own entry) plus the Host and
    //   X-Forwarded-Proto headers (the canonical URL falls back to them when PUBLIC_URL is unset).
    //   The render sees no other request header: no cookie, so nothing user-specific can be cached.
    // - Fresh: `swr: false`, an entry older than 60 s is rendered again before it is served (with
    //   `swr: true` Nitro keeps serving the old page when the new render fails: a hidden product
    //   would stay up as 200 forever). Errors (404 for an unknown product or category) are never
    //   cached, and their page says `no-store` ('/__nuxt_error' below).
    // - Edits: /admin catalog writes empty this replica's page cache at once; other replicas, stock
    //   sold through orders and the CDN/browser copies catch up within the same 60 s.
    // - Nitro writes its own Cache-Control on cached pages; the plugin puts the one below back.
    ...Object.fromEntries(['/', '/catalog', '/catalog/**', '/product/**', '/faq', '/faq/**', '/services', '/services/**'].map((path) => [path, {
      noScripts: true,
      headers: { 'Cache-Control': PUBLIC_PAGE_CACHE_CONTROL },
      cache: { maxAge: PUBLIC_PAGE_MAX_AGE, swr: false, varies: ['host', 'x-forwarded-proto'] },
    }])),
    // Error pages (rendered through /__nuxt_error) are never stored by browsers or CDNs.
    '/__nuxt_error': { headers: { 'Cache-Control': 'no-store' } },
  },
  experimental: {
    // Links prefetch their screen's code on touch/hover, not as soon as they are visible: a first
    // launch on a slow network downloads the first screen only; screens prefetch what comes next
    // once they have loaded (prefetchScreens).
    defaults: { nuxtLink: { prefetchOn: { visibility: false, interaction: true } } },
    // The manifest (route rules on the client, "new version" polling) costs ~2 KB gz on every page; we use neither.
    appManifest: false,
  },
  compatibilityDate: '2026-11-01',
  nitro: {
    preset: 'node-server',
    // .gz/.br beside every built asset: phones get compressed JS without a proxy doing it.
    compressPublicAssets: { gzip: true, brotli: true },
    // Migrations ship beside .output (see Dockerfile); these packages load WASM/extension files at run time.
    externals: { inline: [] },
    // The public page cache (route rules above) lives in memory: at most 1,000 pages and 32 MB per
    // replica, least recently used out first, so odd query strings cannot grow it without bound.
    storage: { cache: { driver: 'lru-cache', max: 1000, maxSize: 32 * 1024 * 1024 } },
  },
  vite: {
    // No component uses the Options API: dropping it takes ~2 KB gz off Vue's runtime.
    define: { __VUE_OPTIONS_API__: 'false' },
  },
  typescript: { strict: true },
  telemetry: false,
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
              test: /[\\/]app[\\/](pages[\\/]app(\.vue|[\\/]index\.vue)|components[\\/](shell|home)[\\/]|components[\\/]cart[\\/]CartEntry|composables[\\/](useApi|useI18n|useTelegramButtons|useHaptics|useCart|useOnline|usePrefetchScreens)\.ts|utils[\\/](start-param|storefront)\.ts|stores[\\/]session\.ts|i18n[\\/]ru\.ts)/,
              includeDependenciesRecursively: false,
            },
            // All of /admin in one chunk (pages, layout, kit): its pages' entries in the route table
            // every page downloads name one file instead of a dozen, and the Mini App's and the
            // public pages' code never shares a chunk with the admin's. Not the pages' `?macro=true`
            // halves (their definePageMeta, read by the route table in the entry itself).
            {
              name: 'admin',
              test: /^(?!.*[?&]macro=true).*[\\/]app[\\/](pages[\\/]admin[\\/]|components[\\/]admin[\\/]|composables[\\/]admin[\\/]|layouts[\\/]admin\.vue)/,
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
      // Production builds start from our entry: Nitro's node-server one, listening on several sockets
      // so that a flood cannot starve new connections (server/entry.ts). `nuxt dev` keeps Nitro's.
      if (!config.dev) config.entry = fileURLToPath(new URL('./server/entry.ts', import.meta.url))
    },
    // The operator commands (backup, restore, migrate, audit:verify) ship inside `.output` too, so
    // the Docker image runs them (`node .output/server/cli/backup.mjs`), and so does the receipt
    // thread's code; their packages resolve from the server's traced node_modules.
    'nitro:init'(nitro) {
      if (nitro.options.dev) return
      nitro.hooks.hook('compiled', async () => {
        const { build } = await import('esbuild')
        const commands = ['backup', 'restore', 'migrate', 'audit-verify'].map((name) => `server/cli/${name}.ts`)
        const options = { bundle: true, platform: 'node', format: 'esm', target: 'node22', packages: 'external', outExtension: { '.js': '.mjs' }, logLevel: 'warning' } as const
        await build({ ...options, entryPoints: commands, outdir: `${nitro.options.output.serverDir}/cli` })
        // Worker threads load from files of their own (server/services/account/receipt-thread.ts).
        await build({ ...options, entryPoints: ['server/workers/receipt.ts', 'server/workers/pglite.ts'], outdir: `${nitro.options.output.serverDir}/workers` })
      })
    },
  },
  // `npm run lint`: Nuxt's ESLint config (Vue, TypeScript, imports) with the house style below.
  eslint: {
    config: {
      stylistic: { indent: 2, quotes: 'single', semi: false, commaDangle: 'always-multiline', braceStyle: '1tbs', arrowParens: true },
    },
  },
})
