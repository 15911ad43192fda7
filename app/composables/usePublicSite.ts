import type { ShallowRef } from 'vue'
import type { BusinessProfile } from '~/components/home/BusinessCard.vue'
import { decimalAmount, formatMoney } from '#shared/money'

/** Public (SEO) pages speak Russian by default; `?lang=en` is the English version of the same URL. */
export type PublicLang = 'ru' | 'en'
export type Localized = { ru: string; en: string }

/** GET /api/business as the public pages use it. */
export interface BusinessInfo {
  profile: BusinessProfile & { phone: string; currency?: string; country?: string }
  sandbox: boolean
  telegramLink: string | null
}

const TEXT = {
  catalog: { ru: 'Каталог', en: 'Catalog' },
  free: { ru: 'Бесплатно', en: 'Free' },
  faq: { ru: 'Вопросы и ответы', en: 'Questions and answers' },
  notFoundArticle: { ru: 'Такого ответа нет', en: 'No such answer' },
  askInTelegram: { ru: 'Спросить в Telegram', en: 'Ask in Telegram' },
  home: { ru: 'Главная', en: 'Home' },
  openInTelegram: { ru: 'Открыть в Telegram', en: 'Open in Telegram' },
  openInSandbox: { ru: 'Открыть в песочнице', en: 'Open in the sandbox' },
  inStock: { ru: 'В наличии', en: 'In stock' },
  outOfStock: { ru: 'Нет в наличии', en: 'Out of stock' },
  oldPrice: { ru: 'Старая цена', en: 'Was' },
  hours: { ru: 'Часы работы', en: 'Opening hours' },
  address: { ru: 'Адрес', en: 'Address' },
  phone: { ru: 'Телефон', en: 'Phone' },
  bestsellers: { ru: 'Хиты', en: 'Bestsellers' },
  categories: { ru: 'Меню и товары', en: 'Menu and goods' },
  allProducts: { ru: 'Все товары категории', en: 'All products in the category' },
  orderInTelegram: { ru: 'Заказ, запись и поддержка — в Telegram. Регистрация не нужна.', en: 'Order, book and get support in Telegram. No sign-up needed.' },
  otherLanguage: { ru: 'English', en: 'Русский' },
  notFoundProduct: { ru: 'Такого товара нет', en: 'No such product' },
  notFoundCategory: { ru: 'Такой категории нет', en: 'No such category' },
  services: { ru: 'Услуги', en: 'Services' },
  seats: { ru: 'Мест в группе', en: 'Seats' },
  performedBy: { ru: 'Проводят', en: 'With' },
  bookAhead: { ru: 'Запись вперёд', en: 'Book ahead' },
  daysUnit: { ru: 'дн.', en: 'days' },
  cancelUntil: { ru: 'Отмена онлайн — не позже чем за', en: 'Cancel online up to' },
  bookInTelegram: { ru: 'Записаться в Telegram', en: 'Book in Telegram' },
  bookInSandbox: { ru: 'Записаться в песочнице', en: 'Book in the sandbox' },
  allServices: { ru: 'Все услуги', en: 'All services' },
  notFoundService: { ru: 'Такой услуги нет', en: 'No such service' },
  notFoundHint: { ru: 'Возможно, его убрали из меню или ссылка устарела. Посмотрите каталог — там всё, что есть сейчас.', en: 'It may have left the menu, or the link is old. The catalog has everything we offer now.' },
} satisfies Record<string, Localized>

/**
 * Data for a public page, fetched while it renders on the server. These pages ship no JavaScript,
 * so there is nothing to hydrate: plain $fetch (not useFetch) also keeps useFetch out of the Mini
 * App's first download. A 404 from the API is null (the page answers with its own 404); any other
 * failure is the page's error.
 */
export async function publicFetch<T>(url: string, query?: Record<string, string | number>): Promise<Readonly<ShallowRef<T | null>>> {
  const data = await useRequestFetch()<T>(url, { query }).catch((error: { response?: { status?: number } }) => {
    if (error?.response?.status === 404) return null
    throw error
  })
  return shallowRef(data as T | null)
}

/** GET /api/business per rendered page (the Nuxt app instance is the page's). */
const businessFetches = new WeakMap<object, ReturnType<typeof publicFetch<BusinessInfo>>>()

/**
 * What every public page needs: the language, absolute URLs (canonical, hreflang, Open Graph),
 * the business profile and deep links into the Mini App. Call with `await` at the top of setup.
 */
export async function usePublicSite() {
  const route = useRoute()
  const lang = computed<PublicLang>(() => (route.query.lang === 'en' ? 'en' : 'ru'))
  // PUBLIC_URL is the address search engines and Telegram know us by (not the Host header a proxy may rewrite).
  const siteUrl = useState('public-site-url', () => (import.meta.server ? process.env.PUBLIC_URL || useRequestURL().origin : window.location.origin).replace(/\/+$/, ''))
  const event = useRequestEvent()
  // The layout and the page both call this: one fetch of the profile per rendered page.
  const nuxtApp = useNuxtApp()
  let businessFetch = businessFetches.get(nuxtApp)
  if (!businessFetch) businessFetches.set(nuxtApp, (businessFetch = publicFetch<BusinessInfo>('/api/business')))
  const business = await businessFetch

  const l = (text: Localized | null | undefined) => (text ? text[lang.value] || text.ru : '')
  const t = (key: keyof typeof TEXT) => TEXT[key][lang.value]
  /** A path in the current language (`?lang=en` for English). */
  const href = (path: string, forLang: PublicLang = lang.value) => (forLang === 'en' ? `${path}?lang=en` : path)
  const absolute = (path: string, forLang: PublicLang = lang.value) => siteUrl.value + href(path, forLang)

  /** t.me link that opens the Mini App on the same screen (`startapp=product_<slug>`); the sandbox when no bot is set. */
  function telegramLink(startParam?: string): string | null {
    const info = business.value
    if (!info) return null
    if (info.sandbox) return startParam ? `/sandbox?startapp=${encodeURIComponent(startParam)}` : '/sandbox'
    if (!info.telegramLink) return null
    const url = new URL(info.telegramLink)
    url.search = ''
    if (startParam) url.searchParams.set('startapp', startParam)
    else url.searchParams.set('startapp', '')
    return url.toString().replace(/startapp=$/, 'startapp')
  }

  /** Title, description, canonical, hreflang alternates, Open Graph and Twitter card for `path`. */
  function seo(meta: { path: string; title: string; description: string; image?: string | null; type?: 'website' | 'product' }) {
    // Titles end with the business's name ("Catalog — Zerno Coffee"): until the owner gives one, no dangling dash.
    meta = { ...meta, title: meta.title.replace(/\s*[—|]\s*$/, '') }
    const image = meta.image ? new URL(meta.image, siteUrl.value + '/').toString() : undefined
    useHead({
      htmlAttrs: { lang: lang.value },
      link: [
        { rel: 'canonical', href: absolute(meta.path) },
        { rel: 'alternate', hreflang: 'ru', href: absolute(meta.path, 'ru') },
        { rel: 'alternate', hreflang: 'en', href: absolute(meta.path, 'en') },
        { rel: 'alternate', hreflang: 'x-default', href: absolute(meta.path, 'ru') },
      ],
    })
    useSeoMeta({
      title: meta.title,
      description: meta.description,
      ogTitle: meta.title,
      ogDescription: meta.description,
      // Open Graph's `product` type (read by VK and Facebook catalogs) is missing from Unhead's union.
      ogType: (meta.type ?? 'website') as 'website',
      ogUrl: absolute(meta.path),
      ogSiteName: l(business.value?.profile.name),
      ogLocale: lang.value === 'en' ? 'en_US' : 'ru_RU',
      ogLocaleAlternate: lang.value === 'en' ? 'ru_RU' : 'en_US',
      ...(image ? { ogImage: image, twitterImage: image } : {}),
      twitterCard: image ? 'summary_large_image' : 'summary',
      twitterTitle: meta.title,
      twitterDescription: meta.description,
    })
  }

  /** JSON-LD blocks (schema.org), rendered into the HTML for search engines. */
  function jsonLd(...blocks: object[]) {
    useHead({ script: blocks.map((block) => ({ type: 'application/ld+json', innerHTML: JSON.stringify({ '@context': 'https://schema.org', ...block }).replace(/</g, '\\u003c') })) })
  }

  function organization() {
    const p = business.value?.profile
    if (!p) return {}
    return {
      '@type': 'Organization',
      '@id': `${siteUrl.value}/#organization`,
      name: l(p.name),
      url: absolute('/'),
      // Only what the owner filled in: an empty fact is worse than none to a search engine.
      ...(p.phone ? { telephone: p.phone } : {}),
      ...(l(p.address) ? { address: { '@type': 'PostalAddress', streetAddress: l(p.address), ...(p.country ? { addressCountry: p.country } : {}) } } : {}),
    }
  }

  function breadcrumbs(items: { name: string; path: string }[]) {
    return {
      '@type': 'BreadcrumbList',
      itemListElement: items.map((item, i) => ({ '@type': 'ListItem', position: i + 1, name: item.name, item: absolute(item.path) })),
    }
  }

  /**
   * A real 404 (status, not cached) with our own helpful page, not a soft 404: `throw site.notFound(...)`.
   * `message` is in the page's language: the error page shows it (status message 'Not Found' marks it as ours).
   * Errors never enter the page cache; the error page itself answers `no-store` (routeRules
   * '/__nuxt_error'), since inside the cached render this header only reaches Nitro's copy.
   */
  function notFound(message: string) {
    event?.node.res.setHeader('Cache-Control', 'no-store')
    return createError({ statusCode: 404, statusMessage: 'Not Found', message, fatal: true })
  }

  return { lang, siteUrl, business, l, t, href, absolute, telegramLink, seo, jsonLd, organization, breadcrumbs, notFound }
}

/** Price in minor units as the decimal string schema.org wants ("240.00"; Stars have no decimals). */
export const decimalPrice = (minor: number, currency = 'RUB') => decimalAmount(minor, currency)

/** A length of time for people: "1 ч 30 мин" / "1 h 30 min". */
export function formatDuration(minutes: number, lang: PublicLang) {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  const [hu, mu] = lang === 'en' ? ['h', 'min'] : ['ч', 'мин']
  return [h ? `${h} ${hu}` : '', m ? `${m} ${mu}` : ''].filter(Boolean).join(' ') || `0 ${mu}`
}

/** Price for people: "240 ₽" / "RUB 240" / "250 ⭐" (shared/money.ts). */
export const formatPrice = (minor: number, currency: string, lang: PublicLang) => formatMoney(minor, currency, lang)

/** A service's price: "Бесплатно" / "Free" for one that costs nothing (a table, a consultation), not "0 ₽". */
export const formatServicePrice = (minor: number, currency: string, lang: PublicLang) => (minor === 0 ? TEXT.free[lang] : formatPrice(minor, currency, lang))
