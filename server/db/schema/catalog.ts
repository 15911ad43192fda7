import { sql } from 'drizzle-orm'
import { boolean, check, char, index, integer, jsonb, pgTable, text, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core'
import { timestamps, tsvector, type LocalizedText } from './_columns'

export const categories = pgTable(
  'categories',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    parentId: integer('parent_id').references((): AnyPgColumn => categories.id, { onDelete: 'set null' }),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    description: jsonb('description').$type<LocalizedText>(),
    position: integer('position').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    ...timestamps,
  },
  (t) => [uniqueIndex('categories_slug_idx').on(t.slug), index('categories_parent_idx').on(t.parentId)],
)

/**
 * A fact about the product shown on its card ("Volume: 300 ml"), written in every language the
 * business speaks; `key` ties it to option values that change it (a 400 ml size sets the volume).
 */
export interface ProductAttribute {
  key: string
  name: LocalizedText
  value: LocalizedText
}

/** One value of an option: its name, what it adds to the price, and the attributes it changes. */
export interface ProductOptionValue {
  value: string
  name: LocalizedText
  priceDeltaMinor: number
  /** Attribute values this choice sets instead of the product's own (keys of the product's attributes). */
  attributes?: { key: string; value: LocalizedText }[]
}

/** A choice the customer makes on the product card (milk, size); each value may change the price. */
export interface ProductOption {
  key: string
  name: LocalizedText
  required: boolean
  values: ProductOptionValue[]
}

export const products = pgTable(
  'products',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    categoryId: integer('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'restrict' }),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    description: jsonb('description').$type<LocalizedText>().notNull(),
    /** Minor units of `currency` (RUB 149.90 -> 14990). */
    priceMinor: integer('price_minor').notNull(),
    currency: char('currency', { length: 3 }).notNull().default('RUB'),
    compareAtPriceMinor: integer('compare_at_price_minor'),
    stock: integer('stock').notNull().default(0),
    images: jsonb('images').$type<string[]>().notNull().default([]),
    attributes: jsonb('attributes').$type<ProductAttribute[]>().notNull().default([]),
    /** Labels the catalog filters by (`hot`, `vegetarian`); the apps translate the ones they know. */
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    options: jsonb('options').$type<ProductOption[]>().notNull().default([]),
    position: integer('position').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    /** Russian and English word forms in one vector, so "капучино"/"капучинó" and "cakes"/"cake" both match. */
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('russian', coalesce(name->>'ru', '')), 'A') || setweight(to_tsvector('english', coalesce(name->>'en', '')), 'A') || setweight(to_tsvector('russian', coalesce(description->>'ru', '')), 'C') || setweight(to_tsvector('english', coalesce(description->>'en', '')), 'C')`,
    ),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('products_slug_idx').on(t.slug),
    index('products_category_idx').on(t.categoryId),
    index('products_search_idx').using('gin', t.search),
    index('products_tags_idx').using('gin', t.tags),
    index('products_name_trgm_idx').using('gin', sql`(lower((${t.name}->>'ru') || ' ' || (${t.name}->>'en'))) gin_trgm_ops`),
    check('products_price_check', sql`${t.priceMinor} >= 0`),
    check('products_stock_check', sql`${t.stock} >= 0`),
  ],
)
