import type { BusinessProfile } from '~/components/home/BusinessCard.vue'
import { catalogWords } from '~/utils/storefront'

/**
 * The business's profile (`/api/business`), shared by every screen of a launch: the home asks
 * for it fresh on each visit (`load`), the screens that only name things after it (the catalog's
 * title, the buttons into it) take what is there and ask once if nothing is.
 */
let loading: Promise<BusinessProfile> | undefined

export function useBusiness() {
  const api = useApi()
  const profile = useState<BusinessProfile | null>('business:profile', () => null)
  /** Asks for the profile; callers at the same moment share one request. */
  function load(): Promise<BusinessProfile> {
    loading ??= api
      .get<{ profile: BusinessProfile }>('/api/business')
      .then((answer) => (profile.value = answer.profile))
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
    if (!profile.value) load().catch(() => {}) // a name is a nicety: the generic one stays
  })
  return computed(() => catalogWords(profile.value?.catalogTitle?.[locale.value], { title: t('catalog.title'), open: t('cart.toCatalog') }, (title) => t('catalog.openNamed', { title })))
}
