import { sql, type SQL } from 'drizzle-orm'
import { categories, products } from '../../db/schema/catalog'

/** The products in these categories and every category below them (a subquery of product ids, for segments). */
export function productIdsInCategoriesSql(categoryIds: readonly number[]): SQL {
  const ids = sql.join(categoryIds.map((id) => sql`${id}`), sql`, `)
  return sql`select ${products.id} from ${products} where ${products.categoryId} in (
    with recursive tree(id) as (
      select ${categories.id} from ${categories} where ${categories.id} in (${ids})
      union
      select c.id from ${categories} c join tree on c.parent_id = tree.id
    ) select id from tree)`
}
