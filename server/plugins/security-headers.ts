import { setResponseHeader, setResponseHeaders } from 'h3'

/**
 * Security headers on every response: the Content-Security-Policy of server/utils/csp.ts (each
 * rendered page gets the hashes of its own inline scripts), nosniff, a referrer policy, and HSTS
 * when PUBLIC_URL is https.
 */
export default defineNitroPlugin((nitroApp) => {
  // 00.runtime has loaded (and checked) the config before this plugin runs.
  const https = useBootstrap()?.config.publicUrl.startsWith('https://') ?? false
  const headers: Record<string, string> = {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    ...(https ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  }
  nitroApp.hooks.hook('request', (event) => {
    setResponseHeaders(event, headers)
  })
  // Nuxt's renderer hands over every page's HTML before it is sent: allow exactly its inline scripts.
  nitroApp.hooks.hook('render:html', (html, { event }) => {
    const parts = [...html.head, ...html.bodyPrepend, ...html.body, ...html.bodyAppend].join('')
    const hashes = inlineScriptHashes(parts)
    if (hashes.length) setResponseHeader(event, 'Content-Security-Policy', contentSecurityPolicy(hashes))
  })
})
