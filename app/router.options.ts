import type { RouterConfig } from 'nuxt/schema'
import { isClientOnlyPath } from '#shared/client-only'

/**
 * The server renders only the public pages (everything under CLIENT_ONLY_PREFIXES is `ssr: false`),
 * and it builds a router for every page it renders: vue-router compiles each route record into a
 * matcher, so the server's router gets the public routes only (a product page on a cache miss:
 * ~7% less CPU). The browser gets them all.
 */
export default {
  routes: (routes) => (import.meta.server ? routes.filter((route) => !isClientOnlyPath(route.path)) : routes),
} satisfies RouterConfig
