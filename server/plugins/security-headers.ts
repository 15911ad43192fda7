import { setResponseHeaders } from 'h3'

/**
 * Security headers on every response. The CSP restricts only framing, <base> and plugins: Telegram's
 * web clients (and our own /sandbox, which frames /app) may frame us; Nuxt's inline scripts keep
 * working because script-src is left alone. HSTS only when PUBLIC_URL is https.
 */
export default defineNitroPlugin((nitroApp) => {
  // 00.runtime has loaded (and checked) the config before this plugin runs.
  const https = useBootstrap()?.config.publicUrl.startsWith('https://') ?? false
  const headers: Record<string, string> = {
    'Content-Security-Policy': "frame-ancestors 'self' https://web.telegram.org https://*.web.telegram.org; base-uri 'self'; object-src 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    ...(https ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  }
  nitroApp.hooks.hook('request', (event) => {
    setResponseHeaders(event, headers)
  })
})
