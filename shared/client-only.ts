/**
 * The parts of the site rendered only in the browser (nuxt.config.ts routeRules `ssr: false`): the
 * Mini App, /admin and the sandbox. The server never renders their pages, so its router leaves
 * them out (app/router.options.ts).
 */
export const CLIENT_ONLY_PREFIXES = ['/app', '/admin', '/sandbox'] as const

/** True for a path under one of CLIENT_ONLY_PREFIXES (the prefix itself included). */
export const isClientOnlyPath = (path: string) => CLIENT_ONLY_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))
