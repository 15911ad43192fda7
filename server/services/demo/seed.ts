import { and, inArray, isNull, notInArray, sql } from 'drizzle-orm'
import type { DbOrTx, Database } from '../../db/client'
import { bookingResourceServices, bookingResources, bookingServices, categories, deliveryZones, pickupPoints, products, userRoles, users } from '../../db/schema'
import { ensureSetting, setSetting } from '../settings'
import { recordAudit } from '../audit'
import { TELEGRAM_SHIPPING_SETTING } from '../delivery/shipping'
import { DEMO_BUSINESS, DEMO_CATEGORIES, DEMO_DELIVERY_ZONES, DEMO_PEOPLE, DEMO_PICKUP_POINTS, DEMO_PRODUCTS, DEMO_RESOURCES, DEMO_SERVICES } from './seed-data'

/** True on a brand-new installation: nothing in the catalog and no seed recorded. */
export async function isDatabaseEmpty(db: DbOrTx) {
  const rows = await db.execute<{ empty: boolean }>(sql`select not exists (select 1 from categories) and not exists (select 1 from app_settings where key = 'demo.seeded_at') as empty`)
  const list = Array.isArray(rows) ? rows : (rows as unknown as { rows: { empty: boolean }[] }).rows
  return Boolean(list[0]?.empty)
}

export interface SeedOptions {
  /**
   * The demo people and their staff roles (owner, operator, staff). Only for the sandbox: with a
   * real bot their Telegram ids belong to real people, who must not find themselves owners.
   */
  people: boolean
}

/**
 * Writes the demo business. Idempotent: rows are matched by slug / Telegram id and left alone when
 * present, so running it again (or on a database an operator already edited) changes nothing.
 * Every role it grants is audited, like any other grant.
 */
export async function seedDemoData(db: Database, options: SeedOptions = { people: false }) {
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

    if (options.people) await seedDemoPeople(tx)

    await ensureSetting(tx, 'business.profile', () => DEMO_BUSINESS)
    // The demo shows off Telegram's own address form for courier orders paid in Telegram.
    await ensureSetting(tx, TELEGRAM_SHIPPING_SETTING, () => true)
    await setSetting(tx, 'demo.seeded_at', new Date().toISOString())
    return { categories: DEMO_CATEGORIES.length, products: DEMO_PRODUCTS.length, services: DEMO_SERVICES.length, resources: DEMO_RESOURCES.length, people: options.people ? DEMO_PEOPLE.length : 0 }
  })
}

async function seedDemoPeople(tx: DbOrTx) {
  await tx
    .insert(users)
    .values(DEMO_PEOPLE.map(({ key: _key, roles: _roles, ...person }) => ({ ...person, allowsWriteToPm: true })))
    .onConflictDoNothing({ target: users.telegramId })
  const roles = DEMO_PEOPLE.flatMap((p) => p.roles.map((role) => ({ telegramId: p.telegramId, role })))
  if (!roles.length) return
  const granted = await tx.insert(userRoles).values(roles).onConflictDoNothing().returning({ telegramId: userRoles.telegramId, role: userRoles.role })
  for (const grant of granted) {
    await recordAudit(tx, { actorId: null, actorVia: 'system', action: 'role.grant', entityType: 'user', entityId: grant.telegramId, before: null, after: { role: grant.role, reason: 'sandbox demo people' } })
  }
}

/**
 * With a real bot: takes away the staff roles the sandbox seed gave its demo people (a database
 * that ran as a sandbox before the token was set), because those Telegram ids can belong to real
 * people. Roles an owner granted them later (`granted_by` set) and owners listed in
 * ADMIN_TELEGRAM_IDS stay. Each removal is audited. Returns how many roles were removed.
 */
export async function removeSandboxStaffRoles(db: Database, keepIds: readonly number[]): Promise<number> {
  const demoIds = DEMO_PEOPLE.filter((p) => p.roles.length > 0 && !keepIds.includes(p.telegramId)).map((p) => p.telegramId)
  if (!demoIds.length) return 0
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(userRoles)
      .where(and(inArray(userRoles.telegramId, demoIds), isNull(userRoles.grantedBy), keepIds.length ? notInArray(userRoles.telegramId, [...keepIds]) : undefined))
      .returning({ telegramId: userRoles.telegramId, role: userRoles.role })
    for (const row of removed) {
      await recordAudit(tx, { actorId: null, actorVia: 'system', action: 'role.revoke', entityType: 'user', entityId: row.telegramId, before: { role: row.role }, after: { reason: 'demo people exist only in the sandbox' } })
    }
    return removed.length
  })
}
