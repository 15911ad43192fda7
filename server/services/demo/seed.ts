import { sql } from 'drizzle-orm'
import type { DbOrTx, Database } from '../../db/client'
import { bookingResourceServices, bookingResources, bookingServices, categories, deliveryZones, pickupPoints, products, userRoles, users } from '../../db/schema'
import { ensureSetting, setSetting } from '../settings'
import { TELEGRAM_SHIPPING_SETTING } from '../delivery/shipping'
import { DEMO_BUSINESS, DEMO_CATEGORIES, DEMO_DELIVERY_ZONES, DEMO_PEOPLE, DEMO_PICKUP_POINTS, DEMO_PRODUCTS, DEMO_RESOURCES, DEMO_SERVICES } from './seed-data'

/** True on a brand-new installation: nothing in the catalog and no seed recorded. */
export async function isDatabaseEmpty(db: DbOrTx) {
  const rows = await db.execute<{ empty: boolean }>(sql`select not exists (select 1 from categories) and not exists (select 1 from app_settings where key = 'demo.seeded_at') as empty`)
  const list = Array.isArray(rows) ? rows : (rows as unknown as { rows: { empty: boolean }[] }).rows
  return Boolean(list[0]?.empty)
}

/**
 * Writes the demo business. Idempotent: rows are matched by slug / Telegram id and left alone when
 * present, so running it again (or on a database an operator already edited) changes nothing.
 */
export async function seedDemoData(db: Database) {
  return db.transaction(async (tx) => {
    await tx.insert(categories).values(DEMO_CATEGORIES.map((c, position) => ({ ...c, position }))).onConflictDoNothing({ target: categories.slug })
    const categoryIds = new Map((await tx.select({ id: categories.id, slug: categories.slug }).from(categories)).map((c) => [c.slug, c.id]))

    const productRows = DEMO_PRODUCTS.map((p, position) => ({
      slug: p.slug,
      categoryId: categoryIds.get(p.category)!,
      name: p.name,
      description: p.description,
      priceMinor: p.price,
      compareAtPriceMinor: p.compareAt ?? null,
      currency: DEMO_BUSINESS.currency,
      stock: p.stock,
      attributes: p.attributes,
      options: p.options ?? [],
      images: [`/demo/${p.category}.svg`],
      position,
    }))
    await tx.insert(products).values(productRows).onConflictDoNothing({ target: products.slug })

    await tx.insert(pickupPoints).values(DEMO_PICKUP_POINTS).onConflictDoNothing({ target: pickupPoints.slug })
    await tx.insert(deliveryZones).values(DEMO_DELIVERY_ZONES).onConflictDoNothing({ target: deliveryZones.slug })

    await tx.insert(bookingServices).values(DEMO_SERVICES.map((s) => ({ ...s, currency: DEMO_BUSINESS.currency }))).onConflictDoNothing({ target: bookingServices.slug })
    await tx
      .insert(bookingResources)
      .values(DEMO_RESOURCES.map(({ services: _services, ...r }) => ({ ...r, timezone: DEMO_BUSINESS.timezone })))
      .onConflictDoNothing({ target: bookingResources.slug })
    const serviceIds = new Map((await tx.select({ id: bookingServices.id, slug: bookingServices.slug }).from(bookingServices)).map((s) => [s.slug, s.id]))
    const resourceIds = new Map((await tx.select({ id: bookingResources.id, slug: bookingResources.slug }).from(bookingResources)).map((r) => [r.slug, r.id]))
    const links = DEMO_RESOURCES.flatMap((r) => r.services.map((s) => ({ resourceId: resourceIds.get(r.slug)!, serviceId: serviceIds.get(s)! })))
    await tx.insert(bookingResourceServices).values(links).onConflictDoNothing()

    await tx
      .insert(users)
      .values(DEMO_PEOPLE.map(({ key: _key, roles: _roles, ...person }) => ({ ...person, allowsWriteToPm: true })))
      .onConflictDoNothing({ target: users.telegramId })
    const roles = DEMO_PEOPLE.flatMap((p) => p.roles.map((role) => ({ telegramId: p.telegramId, role })))
    if (roles.length) await tx.insert(userRoles).values(roles).onConflictDoNothing()

    await ensureSetting(tx, 'business.profile', () => DEMO_BUSINESS)
    // The demo shows off Telegram's own address form for courier orders paid in Telegram.
    await ensureSetting(tx, TELEGRAM_SHIPPING_SETTING, () => true)
    await setSetting(tx, 'demo.seeded_at', new Date().toISOString())
    return { categories: DEMO_CATEGORIES.length, products: DEMO_PRODUCTS.length, services: DEMO_SERVICES.length, resources: DEMO_RESOURCES.length, people: DEMO_PEOPLE.length }
  })
}
