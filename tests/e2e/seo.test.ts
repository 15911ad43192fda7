import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { launchBrowser } from '../helpers/browser'
import { pageJs } from '../helpers/js-budget'

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
function jsonLd(html: string): Record<string, any>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!))
}
const byType = (html: string, type: string) => jsonLd(html).find((b) => b['@type'] === type)

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
    expect(html).toMatch(/<img src="\/demo\/[^"]+" alt="Флэт уайт" width="\d+" height="\d+"/)
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

  it('lists the public pages in the sitemap', async () => {
    const xml = await (await fetch(`${app.url}/sitemap.xml`)).text()
    expect(xml).toContain(`${app.url}/product/flat-white`)
    expect(xml).toContain(`${app.url}/catalog/coffee`)
  })

  it.each(['/', '/catalog/coffee', '/product/flat-white'])('ships no JavaScript (so no Telegram SDK) on %s', async (path) => {
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
