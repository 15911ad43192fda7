import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { metricsHeaders, startApp, type RunningApp } from '../helpers/app'
import { launchBrowser } from '../helpers/browser'
import { pageJs } from '../helpers/js-budget'
import { tmaHeaders } from '../helpers/telegram-users'
import { createFakeBotApi } from '../../server/telegram/fake-bot-api'

/**
 * Public SEO pages against the built app (sandbox mode): what a search engine and a link preview
 * read (status, meta, canonical, hreflang, JSON-LD), the deep links into the Mini App, and no JS.
 */
let app: RunningApp
let browser: Browser
beforeAll(async () => {
  app = await startApp()
  browser = await launchBrowser()
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

/** As a browser or a crawler asks (Nuxt answers errors as JSON to clients that do not accept HTML). */
async function page(path: string) {
  const res = await fetch(app.url + path, { headers: { Accept: 'text/html,application/xhtml+xml' } })
  return { res, html: await res.text() }
}
const attr = (html: string, selector: RegExp) => selector.exec(html)?.[1]
const meta = (html: string, key: string) => attr(html, new RegExp(`<meta (?:name|property)="${key}" content="([^"]*)"`))
const link = (html: string, rel: string, hreflang?: string) =>
  attr(html, new RegExp(`<link rel="${rel}"${hreflang ? ` hreflang="${hreflang}"` : ''} href="([^"]*)"`))
function jsonLd(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!))
}
const byType = (html: string, type: string) => jsonLd(html).find((b) => b['@type'] === type)
const decimal = (minor: number) => (minor / 100).toFixed(2)

describe('public pages', () => {
  it('renders the landing in Russian with business facts, canonical, hreflang and Organization', async () => {
    const { res, html } = await page('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toContain('max-age=60')
    expect(html).toContain('<html  lang="ru"')
    expect(html).toContain('Кофейня «Зерно»')
    expect(html).toContain('Ежедневно 8:00–22:00')
    expect(html).toContain('href="/catalog/coffee"')
    expect(html).toMatch(/href="\/product\/[a-z-]+"/) // bestsellers
    expect(link(html, 'canonical')).toBe(`${app.url}/`)
    expect(link(html, 'alternate', 'en')).toBe(`${app.url}/?lang=en`)
    expect(link(html, 'alternate', 'x-default')).toBe(`${app.url}/`)
    const org = byType(html, 'Organization')!
    expect(org).toMatchObject({ name: 'Кофейня «Зерно»', telephone: '+7 495 120-45-67', url: `${app.url}/` })
    expect(org.address.streetAddress).toContain('Покровка')
    expect(org.address.addressCountry).toBe('RU')
    expect(html).toContain('href="/sandbox"')
  })

  it('renders a product with Open Graph, Twitter, Product/Offer and BreadcrumbList JSON-LD', async () => {
    const { res, html } = await page('/product/flat-white')
    expect(res.status).toBe(200)
    expect(attr(html, /<title>([^<]*)<\/title>/)).toContain('Флэт уайт')
    expect(meta(html, 'description')).toContain('ристретто')
    expect(link(html, 'canonical')).toBe(`${app.url}/product/flat-white`)
    expect(link(html, 'alternate', 'ru')).toBe(`${app.url}/product/flat-white`)
    expect(link(html, 'alternate', 'en')).toBe(`${app.url}/product/flat-white?lang=en`)
    expect(meta(html, 'og:type')).toBe('product')
    expect(meta(html, 'og:url')).toBe(`${app.url}/product/flat-white`)
    expect(meta(html, 'og:image')).toMatch(new RegExp(`^${app.url}/.+`))
    expect(meta(html, 'twitter:card')).toBe('summary_large_image')
    expect(meta(html, 'twitter:image')).toBe(meta(html, 'og:image'))

    const product = byType(html, 'Product')!
    expect(product).toMatchObject({ name: 'Флэт уайт', url: `${app.url}/product/flat-white` })
    expect(product.image[0]).toMatch(/^http/)
    expect(product.offers).toMatchObject({ '@type': 'Offer', price: '240.00', priceCurrency: 'RUB', availability: 'https://schema.org/InStock', url: `${app.url}/product/flat-white` })
    const crumbs = byType(html, 'BreadcrumbList')!
    expect(crumbs.itemListElement.map((i: { position: number; name: string; item: string }) => [i.position, i.name, i.item])).toEqual([
      [1, 'Главная', `${app.url}/`],
      [2, 'Каталог', `${app.url}/catalog`],
      [3, 'Кофе', `${app.url}/catalog/coffee`],
      [4, 'Флэт уайт', `${app.url}/product/flat-white`],
    ])
    // The image has its size (no layout shift) and the Mini App deep link points at the same product.
    expect(html).toMatch(/<img src="\/files\/products\/[^"]+\.webp" alt="Флэт уайт" width="\d+" height="\d+"/)
    expect(attr(html, /<a class="button" href="([^"]+)" data-testid="open-in-telegram"/)).toBe('/sandbox?startapp=product_flat-white')
  })

  it('says OutOfStock for a product with no stock, and serves English on ?lang=en', async () => {
    const { html } = await page('/product/cinnamon-roll?lang=en')
    expect(html).toContain('<html  lang="en"')
    expect(byType(html, 'Product')!.offers.availability).toBe('https://schema.org/OutOfStock')
    expect(byType(html, 'Product')!.name).toBe('Cinnamon roll')
    expect(link(html, 'canonical')).toBe(`${app.url}/product/cinnamon-roll?lang=en`)
    expect(link(html, 'alternate', 'ru')).toBe(`${app.url}/product/cinnamon-roll`)
    expect(html).toContain('Out of stock')
  })

  it('lists the catalog and a category with breadcrumbs and a category deep link', async () => {
    const catalog = await page('/catalog')
    expect(catalog.res.status).toBe(200)
    expect(catalog.html).toContain('href="/catalog/desserts"')
    const { res, html } = await page('/catalog/desserts')
    expect(res.status).toBe(200)
    expect(html).toContain('href="/product/cheesecake"')
    expect(html).toMatch(/<img [^>]*loading="lazy"/)
    expect(link(html, 'canonical')).toBe(`${app.url}/catalog/desserts`)
    expect(byType(html, 'BreadcrumbList')!.itemListElement).toHaveLength(3)
    expect(attr(html, /<a class="button" href="([^"]+)" data-testid="open-in-telegram"/)).toBe('/sandbox?startapp=category_desserts')
  })

  it.each(['/product/no-such-thing', '/catalog/no-such-category', '/product/no-such-thing?lang=en'])('answers a real 404 with a way on for %s', async (path) => {
    const { res, html } = await page(path)
    expect(res.status).toBe(404)
    expect(res.headers.get('cache-control')).toMatch(/no-(store|cache)/) // never cached by browsers or CDNs
    expect(html).toContain(path.includes('lang=en') ? 'href="/catalog?lang=en"' : 'href="/catalog"')
    expect(html).toContain('noindex')
  })

  describe('page cache (one render per page per minute and replica)', () => {
    /** How many times the product API was called by page renders so far (from /metrics): one per render of a product page. */
    async function productRenders(slug: string) {
      await page(`/product/${slug}`) // warm (or reuse) the cache entry for this language first
      const metrics = await (await fetch(`${app.url}/metrics`, { headers: metricsHeaders })).text()
      const line = metrics.split('\n').find((l) => l.startsWith('http_request_duration_seconds_count{method="GET",route="/api/catalog/products/:slug",status="200"}'))
      return Number(line?.split(' ').at(-1) ?? 0)
    }

    it('serves the second request for a product page from the cache, with the same headers and bytes', async () => {
      const first = await page('/product/americano')
      const rendersBefore = await productRenders('americano')
      const second = await page('/product/americano')
      expect(second.res.status).toBe(200)
      expect(await productRenders('americano')).toBe(rendersBefore) // no new render: no API call behind it
      expect(second.html).toBe(first.html)
      expect(second.res.headers.get('etag')).toBe(first.res.headers.get('etag'))
      expect(second.res.headers.get('last-modified')).toBe(first.res.headers.get('last-modified'))
      // The header the route rule promises browsers and CDNs, not Nitro's own; per request, not cached.
      expect(second.res.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=300')
      expect(second.res.headers.get('x-request-id')).not.toBe(first.res.headers.get('x-request-id'))
      expect(second.res.headers.get('set-cookie')).toBeNull()
      // The sandbox deep link is still the product's own.
      expect(attr(second.html, /<a class="button" href="([^"]+)" data-testid="open-in-telegram"/)).toBe('/sandbox?startapp=product_americano')
      // A conditional request is answered 304 with the same Cache-Control.
      const again = await fetch(`${app.url}/product/americano`, { headers: { 'If-None-Match': first.res.headers.get('etag')! } })
      expect(again.status).toBe(304)
      expect(again.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=300')
    })

    it('keeps Russian and English apart (the query is part of the key)', async () => {
      for (let i = 0; i < 2; i++) {
        const ru = await page('/product/americano')
        const en = await page('/product/americano?lang=en')
        expect(ru.html).toContain('<html  lang="ru"')
        expect(en.html).toContain('<html  lang="en"')
        expect(link(en.html, 'canonical')).toBe(`${app.url}/product/americano?lang=en`)
        expect(link(ru.html, 'canonical')).toBe(`${app.url}/product/americano`)
        expect(ru.res.headers.get('etag')).not.toBe(en.res.headers.get('etag'))
      }
    })

    it('keeps a 404 a 404 on repeat, never cached', async () => {
      for (let i = 0; i < 3; i++) {
        const { res } = await page('/product/no-such-thing-either')
        expect(res.status).toBe(404)
        expect(res.headers.get('cache-control')).toBe('no-store')
        expect(res.headers.get('etag')).toBeNull()
      }
    })

    it('does not cache the Mini App, the admin, the sandbox or the API', async () => {
      for (const path of ['/app', '/admin', '/sandbox', '/api/catalog/categories']) {
        const res = await fetch(app.url + path, { headers: { Accept: 'text/html' } })
        expect(res.status, path).toBe(200)
        expect(res.headers.get('last-modified'), path).toBeNull() // Nitro's cache adds it to every cached answer
        expect(res.headers.get('cache-control') ?? '', path).not.toContain('stale-while-revalidate=300')
      }
    })

    it('shows an admin price change and a hidden product at once (the write empties the page cache)', async () => {
      // Staff writes need a real bot: the sandbox of a production start is a read-only public demo.
      const fake = createFakeBotApi()
      await fake.listen()
      const owner = { id: 5550099, first_name: 'Алексей', language_code: 'ru' }
      const shop = await startApp({ env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, SESSION_SECRET: 'z'.repeat(40), ADMIN_TELEGRAM_IDS: String(owner.id) } })
      try {
        const admin = { ...tmaHeaders(owner, fake.token), 'content-type': 'application/json' }
        const shopPage = async (path: string) => {
          const res = await fetch(shop.url + path, { headers: { Accept: 'text/html,application/xhtml+xml' } })
          return { res, html: await res.text() }
        }
        const product = await (await fetch(`${shop.url}/api/catalog/products/cheesecake`)).json()
        const price = async (path: string) => byType((await shopPage(path)).html, 'Product')?.offers.price
        expect(await price('/product/cheesecake')).toBe(decimal(product.priceMinor))
        expect(await price('/product/cheesecake?lang=en')).toBe(decimal(product.priceMinor)) // both cached now
        const patch = (body: object) => fetch(`${shop.url}/api/admin/catalog/products/${product.id}`, { method: 'PATCH', headers: admin, body: JSON.stringify(body) })
        try {
          expect((await patch({ priceMinor: product.priceMinor + 1500 })).status).toBe(200)
          expect(await price('/product/cheesecake')).toBe(decimal(product.priceMinor + 1500))
          expect(await price('/product/cheesecake?lang=en')).toBe(decimal(product.priceMinor + 1500))
          expect((await shopPage('/catalog/desserts')).html).toContain('href="/product/cheesecake"')
          expect((await patch({ isActive: false })).status).toBe(200)
          expect((await shopPage('/product/cheesecake')).res.status).toBe(404)
          expect((await shopPage('/catalog/desserts')).html).not.toContain('href="/product/cheesecake"')
        } finally {
          expect((await patch({ priceMinor: product.priceMinor, isActive: true })).status).toBe(200)
        }
        expect(await price('/product/cheesecake')).toBe(decimal(product.priceMinor))
      } finally {
        await shop.stop()
        await fake.close()
      }
    }, 120_000)
  })

  it('lists the public pages in the sitemap', async () => {
    const xml = await (await fetch(`${app.url}/sitemap.xml`)).text()
    expect(xml).toContain(`${app.url}/product/flat-white`)
    expect(xml).toContain(`${app.url}/catalog/coffee`)
    expect(xml).toContain(`<loc>${app.url}/services</loc>`)
    expect(xml).toMatch(new RegExp(`<loc>${app.url}/services/latte-art</loc><lastmod>\\d{4}-`))
  })

  it('lists the bookable services with duration and price, linked to their pages', async () => {
    const { res, html } = await page('/services')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toContain('max-age=60')
    expect(link(html, 'canonical')).toBe(`${app.url}/services`)
    expect(html).toContain('href="/services/latte-art"')
    expect(html).toMatch(/1 ч 30 мин · 4\s500\s₽/)
    // A service that costs nothing says so, not "0 ₽".
    expect(html).toMatch(/2 ч · Бесплатно/)
    expect(html).not.toMatch(/·\s0\s₽/)
    const list = byType(html, 'ItemList')!
    expect(list.itemListElement.map((i: { url: string }) => i.url)).toContain(`${app.url}/services/barista-basics`)
    // The public header links the services on every page.
    expect((await page('/')).html).toContain('href="/services"')
  })

  it('renders a service with Service/Offer JSON-LD (price, currency, duration, the business as provider) and a deep link into booking', async () => {
    const { res, html } = await page('/services/latte-art')
    expect(res.status).toBe(200)
    expect(attr(html, /<title>([^<]*)<\/title>/)).toContain('Латте-арт')
    expect(link(html, 'canonical')).toBe(`${app.url}/services/latte-art`)
    expect(link(html, 'alternate', 'en')).toBe(`${app.url}/services/latte-art?lang=en`)
    const service = byType(html, 'Service')!
    expect(service).toMatchObject({ name: 'Латте-арт: сердце и тюльпан', url: `${app.url}/services/latte-art`, provider: { '@id': `${app.url}/#organization` } })
    expect(service.offers).toMatchObject({
      '@type': 'Offer',
      price: '4500.00',
      priceCurrency: 'RUB',
      url: `${app.url}/services/latte-art`,
      priceSpecification: { '@type': 'UnitPriceSpecification', price: '4500.00', priceCurrency: 'RUB', referenceQuantity: { value: 90, unitCode: 'MIN' } },
    })
    expect(byType(html, 'Organization')).toMatchObject({ '@id': `${app.url}/#organization`, name: 'Кофейня «Зерно»' })
    expect(byType(html, 'BreadcrumbList')!.itemListElement.map((i: { item: string }) => i.item)).toEqual([`${app.url}/`, `${app.url}/services`, `${app.url}/services/latte-art`])
    expect(attr(html, /<a class="button" href="([^"]+)" data-testid="open-in-telegram"/)).toBe('/sandbox?startapp=booking_latte-art')
    expect(html).toContain('Анна, старший бариста')

    const en = await page('/services/latte-art?lang=en')
    expect(en.html).toContain('<html  lang="en"')
    expect(byType(en.html, 'Service')).toMatchObject({ name: 'Latte art: heart and tulip' })
    expect(en.html).toContain('1 h 30 min')

    const missing = await page('/services/no-such-service')
    expect(missing.res.status).toBe(404)
    expect(missing.res.headers.get('cache-control')).toBe('no-store')
    expect(missing.html).toContain('Такой услуги нет')
  })

  it('opens the sandbox on the booking screen of a service from its public deep link', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } })
    try {
      const tab = await context.newPage()
      await tab.goto(`${app.url}/sandbox?startapp=booking_latte-art`)
      const frame = await (await tab.waitForSelector('[data-testid="miniapp-frame"]')).contentFrame()
      await frame!.waitForURL(/\/app\/booking\/latte-art/, { timeout: 30_000 })
    } finally {
      await context.close()
    }
  })

  it.each(['/', '/catalog/coffee', '/product/flat-white', '/faq/refunds', '/services', '/services/latte-art'])('ships no JavaScript (so no Telegram SDK) on %s', async (path) => {
    const { html } = await page(path)
    expect(html).not.toMatch(/<script(?![^>]*application\/ld\+json)[^>]*\bsrc=/)
    expect(html).not.toContain('modulepreload')
    const budget = await pageJs(browser, app.url + path)
    expect(budget.files.map((f) => f.url)).toEqual([])
  })

  it('opens the sandbox on the product from the public deep link', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } })
    try {
      const tab = await context.newPage()
      await tab.goto(`${app.url}/sandbox?startapp=product_flat-white`)
      const frame = await (await tab.waitForSelector('[data-testid="miniapp-frame"]')).contentFrame()
      await frame!.waitForURL(/\/app\/product\/flat-white/, { timeout: 30_000 })
    } finally {
      await context.close()
    }
  })
})
