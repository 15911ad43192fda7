import type { BusinessProfile } from '~/components/home/BusinessCard.vue'
import { catalogWords } from '~/utils/storefront'

/**
 * The business's profile (`/api/business`), shared by every screen of a launch: the home asks
 * for it fresh on each visit (`load`), the screens that only name things after it (the catalog's
 * title, the buttons into it) take what is there and ask once if nothing is.
 *
 * The last answer is kept on the device, so a later launch (a deep link straight into the
 * catalog, a slow or lost network) shows the business's own words at once instead of the generic
 * ones until the answer arrives; the fresh answer replaces it.
 */
let loading: Promise<BusinessProfile> | undefined
const STORED = 'tma:business'
/** Whether this launch has asked for the profile yet (the home asks on each visit). */
let fresh = false

function storedProfile(): BusinessProfile | null {
  try {
    const raw = localStorage.getItem(STORED)
    const value = raw ? (JSON.parse(raw) as BusinessProfile) : null
    return value && typeof value === 'object' && value.name ? value : null
  } catch {
    return null
  }
}

export function useBusiness() {
  const api = useApi()
  const profile = useState<BusinessProfile | null>('business:profile', () => (import.meta.client ? storedProfile() : null))
  /** Asks for the profile; callers at the same moment share one request. */
  function load(): Promise<BusinessProfile> {
    fresh = true
    loading ??= api
      .get<{ profile: BusinessProfile }>('/api/business')
      .then((answer) => {
        try {
          localStorage.setItem(STORED, JSON.stringify(answer.profile))
        } catch {} // private modes: the next launch simply asks again
        return (profile.value = answer.profile)
      })
      .finally(() => (loading = undefined))
    return loading
  }
  return { profile, load }
}

/**
 * What the catalog is called here: the business's own word for it ("Меню", "Услуги и цены",
 * from its profile) or the neutral "Каталог"/"Catalog", and the button that opens it.
 */
export function useCatalogName() {
  const { t, locale } = useI18n()
  const { profile, load } = useBusiness()
  onMounted(() => {
    // Once a launch, so a kept copy from an earlier launch is refreshed too; a name is a
    // nicety: on failure the generic (or kept) one stays and the next screen asks again.
    if (!fresh) load().catch(() => (fresh = false))
  })
  return computed(() => catalogWords(profile.value?.catalogTitle?.[locale.value], { title: t('catalog.title'), open: t('cart.toCatalog') }, (title) => t('catalog.openNamed', { title })))
}
