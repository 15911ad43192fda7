import type { ServerResponse } from 'node:http'
import { getRouteRules } from 'nitropack/runtime'
import { catalogChangedHere } from '#server/services/catalog/read-model'

/** Where Nitro's route-rule cache (nuxt.config.ts routeRules `cache`) keeps rendered pages. */
const PAGE_CACHE_BASE = 'cache:nitro:routes'

/** Empties this replica's cache of public pages. */
async function purgePageCache(): Promise<number> {
  const storage = useStorage()
  const keys = await storage.getKeys(PAGE_CACHE_BASE)
  await Promise.all(keys.map((key) => storage.removeItem(key)))
  return keys.length
}

/** Admin writes that change what the public pages show (prices, stock, texts, hidden, categories, the business's name and address). */
const changesPublicPages = (path: string, method: string) => method !== 'GET' && method !== 'HEAD' && (path.startsWith('/api/admin/catalog/') || path.startsWith('/api/admin/support/articles') || path === '/api/admin/settings/business')

/**
 * The public page cache (see routeRules in nuxt.config.ts):
 * - Every replica keeps its own; a purge is published on the change bus (PostgreSQL
 *   LISTEN/NOTIFY), so all replicas drop theirs, not only the one that saved the change.
 * - Nitro's cached handler writes its own Cache-Control on every cached answer (`max-age=60` on a
 *   200, `public, max-age=60, s-maxage=60` on a 304), over the one the route rule promises
 *   browsers and CDNs. The route rule's header goes back on right before the status line is
 *   written; errors keep theirs (no-store).
 * - A successful catalog (or answer-base) write in /admin empties the cache (and marks this
 *   replica's catalog read model stale) once the transaction has committed (the handler has
 *   returned) and before the answer leaves, so the next page view renders the new price or stock.
 */
export default defineNitroPlugin((nitroApp) => {
  useServices()
    .then((services) => services.changes.subscribe('page-cache', purgePageCache))
    .catch(() => {}) // a failed start is reported by the runtime plugin
  nitroApp.hooks.hook('request', (event) => {
    const rules = getRouteRules(event)
    const promised = rules.cache ? (rules.headers?.['Cache-Control'] ?? rules.headers?.['cache-control']) : undefined
    if (!promised) return
    const res = event.node.res
    const writeHead = res.writeHead as (...args: unknown[]) => ServerResponse
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      const status = typeof args[0] === 'number' ? args[0] : res.statusCode
      if (status === 200 || status === 304) res.setHeader('Cache-Control', promised)
      return writeHead.apply(this, args)
    } as ServerResponse['writeHead']
  })

  nitroApp.hooks.hook('beforeResponse', async (event) => {
    if (event.node.res.statusCode >= 400 || !changesPublicPages(event.path, event.method)) return
    const services = await useServices()
    // This replica's catalog copy too: the writer's next read must not wait for the NOTIFY to come round.
    catalogChangedHere(services.db)
    await services.changes.publish('page-cache')
  })
})
