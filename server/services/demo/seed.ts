import { and, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm'
import type { DbOrTx, Database } from '../../db/client'
import { bookingResourceServices, bookingResources, bookingServices, categories, customerProfiles, deliveryZones, formVersions, forms, pickupPoints, products, supportArticles, userRoles, users } from '../../db/schema'
import { ensureSetting, setSetting } from '../settings'
import { recordAudit } from '../audit'
import { TELEGRAM_SHIPPING_SETTING } from '../delivery/shipping'
import type { createFileStore } from '../files'
import { DEMO_ARTICLES, DEMO_BUSINESS, DEMO_CATEGORIES, DEMO_DELIVERY_ZONES, DEMO_FORMS, DEMO_PEOPLE, DEMO_PICKUP_POINTS, DEMO_PRODUCTS, DEMO_RESOURCES, DEMO_SERVICES } from './seed-data'

/** True on a brand-new installation: nothing in the catalog and no seed recorded. */
export async function isDatabaseEmpty(db: DbOrTx) {
  const rows = await db.execute<{ empty: boolean }>(sql`select not exists (select 1 from categories) and not exists (select 1 from app_settings where key = 'demo.seeded_at') as empty`)
  const list = Array.isArray(rows) ? rows : (rows as unknown as { rows: { empty: boolean }[] }).rows
  return Boolean(list[0]?.empty)
}

/** Each demo product's own picture, by slug (WebP bytes), from wherever this process keeps them. */
export type DemoImageReader = (slug: string) => Promise<Uint8Array | null | undefined>

/** Where the pictures go: the files service, as if the owner had uploaded them. */
export interface DemoImages {
  files: Pick<ReturnType<typeof createFileStore>, 'saveImage'>
  read: DemoImageReader
}

/** The picture every demo product had before each got its own; replaced only while still there. */
const categoryPicture = (category: string) => `/demo/${category}.svg`

/** Stores the products' pictures through the files service; slugs without one get none. */
async function storeDemoImages(images: DemoImages | undefined, slugs: string[]) {
  const paths = new Map<string, string>()
  if (!images) return paths
  for (const slug of slugs) {
    const bytes = await images.read(slug)
    if (bytes?.length) paths.set(slug, (await images.files.saveImage('products', Buffer.from(bytes))).path)
  }
  return paths
}

export interface SeedOptions {
  /**
   * The demo people and their staff roles (owner, operator, staff). Only for the sandbox: with a
   * real bot their Telegram ids belong to real people, who must not find themselves owners.
   */
  people: boolean
  /** Where the products' own pictures come from and go (the app and `npm run db:seed` always give it). */
  images?: DemoImages
}

/**
 * Writes the demo business. Idempotent: rows are matched by slug / Telegram id and left alone when
 * present, so running it again (or on a database an operator already edited) changes nothing, except
 * that a demo product still showing its category's stock picture gets its own. Pictures are stored
 * through the files service when `images` is given (the app and `npm run db:seed` always give it).
 * Every role it grants is audited, like any other grant.
 */
export async function seedDemoData(db: Database, options: SeedOptions = { people: false }) {
  const existing = new Set((await db.select({ slug: products.slug }).from(products).where(inArray(products.slug, DEMO_PRODUCTS.map((p) => p.slug)))).map((p) => p.slug))
  const stale = await db
    .select({ slug: products.slug })
    .from(products)
    .where(inArray(sql`${products.slug} || ' ' || (${products.images}->>0)`, DEMO_PRODUCTS.map((p) => `${p.slug} ${categoryPicture(p.category)}`)))
  // Files are written before the transaction: a failed seed leaves unused files, never rows without their file.
  const pictures = await storeDemoImages(options.images, [...DEMO_PRODUCTS.map((p) => p.slug).filter((slug) => !existing.has(slug)), ...stale.map((p) => p.slug)])
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
      tags: p.tags,
      options: p.options ?? [],
      images: pictures.has(p.slug) ? [pictures.get(p.slug)!] : [],
      position,
    }))
    await tx.insert(products).values(productRows).onConflictDoNothing({ target: products.slug })
    for (const { slug } of stale) {
      const picture = pictures.get(slug)
      const category = DEMO_PRODUCTS.find((p) => p.slug === slug)!.category
      if (picture) await tx.update(products).set({ images: sql`jsonb_set(${products.images}, '{0}', ${JSON.stringify(picture)}::jsonb)` }).where(and(eq(products.slug, slug), sql`${products.images}->>0 = ${categoryPicture(category)}`))
    }

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

    await tx.insert(supportArticles).values(DEMO_ARTICLES.map((a, position) => ({ ...a, position }))).onConflictDoNothing({ target: supportArticles.slug })
    const newForms = await tx
      .insert(forms)
      .values(DEMO_FORMS.map((f) => ({ ...f, description: f.description ?? null, publishedVersion: 1 })))
      .onConflictDoNothing({ target: forms.slug })
      .returning()
    if (newForms.length) await tx.insert(formVersions).values(newForms.map((f) => ({ formId: f.id, version: 1, title: f.title, definition: f.definition })))

    if (options.people) await seedDemoPeople(tx)

    await ensureSetting(tx, 'business.profile', () => DEMO_BUSINESS)
    // The demo shows off Telegram's own address form for courier orders paid in Telegram.
    await ensureSetting(tx, TELEGRAM_SHIPPING_SETTING, () => true)
    await setSetting(tx, 'demo.seeded_at', new Date().toISOString())
    return { categories: DEMO_CATEGORIES.length, products: DEMO_PRODUCTS.length, articles: DEMO_ARTICLES.length, services: DEMO_SERVICES.length, resources: DEMO_RESOURCES.length, people: options.people ? DEMO_PEOPLE.length : 0 }
  })
}

async function seedDemoPeople(tx: DbOrTx) {
  await tx
    .insert(users)
    .values(DEMO_PEOPLE.map(({ key: _key, roles: _roles, phone: _phone, ...person }) => ({ ...person, allowsWriteToPm: true })))
    .onConflictDoNothing({ target: users.telegramId })
  // The demo customers agreed to news, so a broadcast written in /admin reaches their sandbox chats.
  const customers = DEMO_PEOPLE.filter((p) => p.roles.length === 0)
  await tx.insert(customerProfiles).values(customers.map((p) => ({ userId: p.telegramId, notifications: { news: true } }))).onConflictDoNothing({ target: customerProfiles.userId })
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
