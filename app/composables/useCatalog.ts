/** Categories for the chips: asked once per launch, shared by every catalog screen. */
export function useCategories() {
  const api = useApi()
  const categories = useState<Category[] | null>('catalog:categories', () => null)
  const failed = ref(false)
  onMounted(async () => {
    if (categories.value) return
    try {
      categories.value = (await api.get<{ items: Category[] }>('/api/catalog/categories')).items
    } catch {
      failed.value = true // the chips are a shortcut: the catalog works without them
    }
  })
  return { categories, failed }
}

/** Price bounds and tags for the filter sheet, once per launch. */
export function useFacets() {
  const api = useApi()
  const facets = useState<Facets | null>('catalog:facets', () => null)
  async function load() {
    if (!facets.value) facets.value = await api.get<Facets>('/api/catalog/facets').catch(() => null)
  }
  return { facets, load }
}

/** What the catalog shows: read from and written to the route query, so Back restores it. */
export interface CatalogQuery {
  q?: string
  sort?: 'popular' | 'price_asc' | 'price_desc' | 'new'
  priceMin?: number
  priceMax?: number
  tags?: string[]
  inStock?: boolean
}

export function useCatalogQuery() {
  const route = useRoute()
  const router = useRouter()
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined)
  const num = (v: unknown) => (str(v) && /^\d+$/.test(v as string) ? Number(v) : undefined)
  const query = computed<CatalogQuery>(() => ({
    q: str(route.query.q),
    sort: str(route.query.sort) as CatalogQuery['sort'],
    priceMin: num(route.query.priceMin),
    priceMax: num(route.query.priceMax),
    tags: str(route.query.tags)?.split(',').filter(Boolean),
    inStock: route.query.inStock === 'true' || undefined,
  }))
  const category = computed(() => str(route.params.category))
  /** How many filters of the sheet are on (for the badge on the Filters button). */
  const activeFilters = computed(() => (query.value.priceMin !== undefined || query.value.priceMax !== undefined ? 1 : 0) + (query.value.tags?.length ?? 0) + (query.value.inStock ? 1 : 0))

  function update(patch: Partial<CatalogQuery>) {
    const next = { ...query.value, ...patch }
    const q: Record<string, string> = {}
    if (next.q) q.q = next.q
    if (next.sort && next.sort !== 'popular') q.sort = next.sort
    if (next.priceMin !== undefined) q.priceMin = String(next.priceMin)
    if (next.priceMax !== undefined) q.priceMax = String(next.priceMax)
    if (next.tags?.length) q.tags = next.tags.join(',')
    if (next.inStock) q.inStock = 'true'
    return router.replace({ query: q })
  }
  /** The API query string for one page of products. */
  const apiParams = computed(() => {
    const p = new URLSearchParams()
    if (category.value) p.set('category', category.value)
    const q = query.value
    if (q.q) p.set('q', q.q)
    if (q.sort) p.set('sort', q.sort)
    if (q.priceMin !== undefined) p.set('priceMin', String(q.priceMin))
    if (q.priceMax !== undefined) p.set('priceMax', String(q.priceMax))
    if (q.tags?.length) p.set('tags', q.tags.join(','))
    if (q.inStock) p.set('inStock', 'true')
    return p.toString()
  })
  return { query, category, activeFilters, update, apiParams }
}

/** Products page by page (cursor pagination) for infinite scroll; starts over when `params` change. */
export function useProductList(params: () => string) {
  const api = useApi()
  const items = shallowRef<Product[]>([])
  const cursor = ref<string | null>(null)
  const done = ref(false)
  const pending = ref(false)
  const error = shallowRef<ApiError | null>(null)
  let generation = 0

  async function loadMore() {
    if (pending.value || done.value) return
    const id = generation
    pending.value = true
    error.value = null
    try {
      const qs = new URLSearchParams(params())
      qs.set('limit', '12')
      if (cursor.value) qs.set('cursor', cursor.value)
      const page = await api.get<ProductPage>(`/api/catalog/products?${qs}`)
      if (id !== generation) return
      items.value = [...items.value, ...page.items]
      cursor.value = page.nextCursor
      done.value = !page.nextCursor
    } catch (e) {
      if (id === generation) error.value = asApiError(e)
    } finally {
      if (id === generation) pending.value = false
    }
  }
  function restart() {
    generation++
    items.value = []
    cursor.value = null
    done.value = false
    pending.value = false
    return loadMore()
  }
  watch(params, restart)
  onMounted(restart)
  return { items, done, pending, error, loadMore, restart }
}

/** One product for its card. */
export function useProduct(slug: () => string) {
  const api = useApi()
  return useResource(() => api.get<Product>(`/api/catalog/products/${encodeURIComponent(slug())}`), { watch: [slug] })
}
