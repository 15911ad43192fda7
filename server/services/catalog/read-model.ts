/**
 * The catalog as every replica keeps it in memory: a small business has hundreds of products that
 * change a few times a day, so list, filter, product pages and the cart read this copy instead of
 * a query per request. A trigger NOTIFYs `catalog_changed` at the commit of any change to products
 * or categories (drizzle/0014_change_notify.sql); every replica LISTENs and loads the catalog again
 * on its next read. A TTL is the backstop should a notification be lost; a reconnect of the LISTEN
 * drops everything. Search keeps asking PostgreSQL which products match (full text and trigrams),
 * once per distinct query while the products' texts stay the same.
 */
import { asc, sql } from 'drizzle-orm'
import type { Database, DbOrTx, ListenFn } from '../../db/client'
import { NotifiedValue, ReadModelRegistry } from '../../db/read-model'
import { categories, products } from '../../db/schema/catalog'
import type { Logger } from '../../utils/logger'
import type { ProductRow } from './products'

export const CATALOG_CHANNEL = 'catalog_changed'
/** Distinct search queries remembered (their matching ids and ranks); the oldest go first. */
const SEARCHES_KEPT = 500

type CategoryRow = typeof categories.$inferSelect

export interface CatalogSnapshot {
  /** Every product, hidden ones included (a cart still shows what became unavailable). */
  products: ProductRow[]
  byId: Map<number, ProductRow>
  bySlug: Map<string, ProductRow>
  categories: CategoryRow[]
  /** What full-text and trigram search look at, per product: search results stay valid while it is the same. */
  searchText: string
}

export class CatalogReadModel {
  readonly snapshot: NotifiedValue<CatalogSnapshot>
  /** Query -> product id -> rank, for the current `searchText`. */
  private searches = new Map<string, Map<number, number>>()
  private searchText = ''

  /** `ttlMs`, the backstop: a copy older than this is loaded again even without a notification. */
  constructor(
    private readonly db: Database,
    ttlMs: number,
  ) {
    this.snapshot = new NotifiedValue(() => this.load(), ttlMs)
  }

  private async load(): Promise<CatalogSnapshot> {
    const [productRows, categoryRows] = await Promise.all([
      this.db.select().from(products).orderBy(asc(products.id)),
      this.db.select().from(categories).orderBy(asc(categories.position), asc(categories.id)),
    ])
    const searchText = productRows.map((p) => `${p.id}\t${p.search}\t${p.name.ru}\t${p.name.en}`).join('\n')
    if (searchText !== this.searchText) {
      this.searches = new Map()
      this.searchText = searchText
    }
    return {
      products: productRows,
      byId: new Map(productRows.map((p) => [p.id, p])),
      bySlug: new Map(productRows.map((p) => [p.slug, p])),
      categories: categoryRows,
      searchText,
    }
  }

  /** Ids and ranks of the products a search matches (hidden ones included; the caller filters), remembered per query. */
  async searchRanks(key: string, condition: () => { where: ReturnType<typeof sql>; rank: ReturnType<typeof sql> }): Promise<Map<number, number>> {
    const searches = this.searches
    const known = searches.get(key)
    if (known) return known
    const { where, rank } = condition()
    const rows = await this.db.select({ id: products.id, rank: sql<number>`(${rank})::float8` }).from(products).where(where)
    const ranks = new Map(rows.map((r) => [r.id, Number(r.rank)]))
    // Texts changed while the query ran: answer it, but do not remember it.
    if (searches === this.searches) {
      if (searches.size >= SEARCHES_KEPT) searches.delete(searches.keys().next().value!)
      searches.set(key, ranks)
    }
    return ranks
  }
}

const models = new ReadModelRegistry<CatalogReadModel>()

/** The catalog read model of `db` (undefined inside a transaction, and before the LISTEN is in place). */
export async function catalogSnapshot(db: DbOrTx): Promise<{ model: CatalogReadModel; catalog: CatalogSnapshot } | undefined> {
  const model = models.of(db)
  const catalog = await model?.snapshot.get()
  return model && catalog ? { model, catalog } : undefined
}

const checks = new WeakMap<CatalogSnapshot, () => boolean>()

/**
 * True while `catalog` is still the model's current snapshot: an answer made from it is still right.
 * Holds the snapshot weakly (whoever keeps the check, the hot answers, must not keep an old catalog alive).
 */
export function snapshotCheck(model: CatalogReadModel, catalog: CatalogSnapshot): () => boolean {
  let check = checks.get(catalog)
  if (!check) {
    const kept = new WeakRef(catalog)
    check = () => {
      const now = model.snapshot.current()
      return now !== undefined && now === kept.deref()
    }
    checks.set(catalog, check)
  }
  return check
}

/**
 * For an answer about to be made from the in-memory catalog: the check of the snapshot current now
 * (undefined without a read model). Taken before the answer is made, so a change in between makes
 * the check false, never the answer stale.
 */
export async function catalogCheck(db: DbOrTx): Promise<(() => boolean) | undefined> {
  const cached = await catalogSnapshot(db)
  return cached && snapshotCheck(cached.model, cached.catalog)
}

/** This replica wrote to the catalog: read it again now rather than when the NOTIFY arrives. */
export function catalogChangedHere(db: DbOrTx) {
  models.of(db)?.snapshot.invalidate()
}

/** Starts the read model for the app's database: LISTEN first, then reads are served from memory. */
export async function startCatalogReadModel(db: Database, listen: ListenFn, logger: Logger, ttlMs: number): Promise<void> {
  const model = new CatalogReadModel(db, ttlMs)
  models.attach(db, model)
  await listen(
    CATALOG_CHANNEL,
    () => model.snapshot.invalidate(),
    () => {
      if (model.snapshot.listening) logger.info('catalog LISTEN reconnected: reloading the catalog')
      model.snapshot.invalidate()
      model.snapshot.listening = true
    },
  )
}
