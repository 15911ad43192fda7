import { createHash } from 'node:crypto'

/**
 * Content Security Policy for every answer. Scripts run only from our own origin, plus the exact
 * inline scripts Nuxt writes into each page (its import map and `window.__NUXT__` config), allowed
 * by their SHA-256 (`inlineScriptHashes`): no 'unsafe-inline', no 'unsafe-eval', no nonces (which
 * would not survive the public page cache). Public pages carry no script at all (`noScripts`).
 * - The Mini App talks to our API only (connect-src 'self'); Telegram's WebView reaches it through
 *   postMessage / TelegramWebviewProxy, which no fetch directive governs.
 * - Telegram's web clients and our own /sandbox frame the Mini App (frame-ancestors); /sandbox
 *   frames /app (frame-src 'self').
 * - Styles may be inline (Nuxt inlines component CSS; style cannot run code); images may come from
 *   any https host (Telegram profile photos, a storage bucket) or be data:/blob: previews.
 */
const DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:', 'https:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'media-src': ["'self'", 'blob:'],
  'worker-src': ["'self'", 'blob:'],
  'manifest-src': ["'self'"],
  'frame-src': ["'self'"],
  'frame-ancestors': ["'self'", 'https://web.telegram.org', 'https://*.web.telegram.org'],
  'form-action': ["'self'"],
  'base-uri': ["'self'"],
  'object-src': ["'none'"],
}

/** The policy, with extra `script-src` sources (hashes of the page's inline scripts). */
export function contentSecurityPolicy(scriptHashes: readonly string[] = []): string {
  return Object.entries(DIRECTIVES)
    .map(([name, sources]) => `${name} ${[...sources, ...(name === 'script-src' ? scriptHashes.map((h) => `'${h}'`) : [])].join(' ')}`)
    .join('; ')
}

/** Types of <script> that hold data, not code: CSP does not govern them. */
const DATA_SCRIPT = /\btype\s*=\s*["']?(application\/(ld\+)?json)["']?/i
const SCRIPT = /<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi

/** `sha256-…` of every inline script in the HTML that a browser would run (import maps included). */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>()
  for (const [, attributes = '', body = ''] of html.matchAll(SCRIPT)) {
    if (/\bsrc\s*=/i.test(attributes) || DATA_SCRIPT.test(attributes)) continue
    hashes.add(`sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}`)
  }
  return [...hashes]
}
