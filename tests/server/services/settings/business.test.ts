import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { and, asc, eq } from 'drizzle-orm'
import type { DatabaseHandle } from '../../../../server/db/client'
import { appSettings, auditEntries, userRoles, users } from '../../../../server/db/schema'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { BUSINESS_PROFILE_SETTING, getBusinessProfile, updateBusinessProfile } from '../../../../server/services/settings/business'
import { BusinessProfileSchema, type BusinessProfile } from '../../../../shared/schemas/business'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

const OWNER = 9_100_001
const CUSTOMER = 9_100_002

const SALON: BusinessProfile = {
  name: { ru: 'Салон «Лён»', en: 'Lyon Salon' },
  tagline: { ru: 'Стрижки и окрашивание у метро Чкаловская', en: 'Haircuts and colour by Chkalovskaya metro' },
  catalogTitle: { ru: 'Услуги и цены', en: 'Services and prices' },
  menuHint: { ru: 'Уход и косметика', en: 'Care and cosmetics' },
  address: { ru: 'Екатеринбург, ул. Малышева, 51', en: '51 Malysheva St, Yekaterinburg' },
  phone: '+7 (343) 210-55-77',
  hours: { ru: 'Пн–Сб 10:00–21:00', en: 'Mon–Sat 10 am – 9 pm' },
  timezone: 'Asia/Yekaterinburg',
  country: 'RU',
}

let handle: DatabaseHandle
let services: TestServices
beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle)
  await handle.db.insert(users).values([
    { telegramId: OWNER, firstName: 'Olga', locale: 'ru' },
    { telegramId: CUSTOMER, firstName: 'Ivan', locale: 'en' },
  ])
  await handle.db.insert(userRoles).values({ telegramId: OWNER, role: 'owner' })
}, 60_000)
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

const audits = () =>
  handle.db
    .select({ before: auditEntries.before, after: auditEntries.after, actorId: auditEntries.actorId })
    .from(auditEntries)
    .where(and(eq(auditEntries.action, 'setting.update'), eq(auditEntries.entityId, BUSINESS_PROFILE_SETTING)))
    .orderBy(asc(auditEntries.id))

describe(`the business profile on ${engine}`, () => {
  it('is blank, not the demo coffee shop, until the owner saves one (a production start without demo data)', async () => {
    const profile = await getBusinessProfile(handle.db)
    expect(profile.configured).toBe(false)
    expect(profile.name).toEqual({ ru: '', en: '' })
    expect(profile.phone).toBe('')
    expect(JSON.stringify(profile)).not.toMatch(/Зерно|Zerno|Покровка/)
  })

  it('is saved by the owner, audited with what it was, and read back as configured', async () => {
    const saved = await updateBusinessProfile(services.staff(OWNER, ['owner']), SALON)
    expect(saved).toEqual({ ...SALON, configured: true })
    expect(await getBusinessProfile(handle.db)).toEqual({ ...SALON, configured: true })
    const moved = { ...SALON, address: { ru: 'Екатеринбург, ул. Ленина, 5', en: '5 Lenina St, Yekaterinburg' } }
    await updateBusinessProfile(services.staff(OWNER, ['owner']), moved)
    const rows = await audits()
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatchObject({ actorId: OWNER, before: null, after: SALON })
    expect(rows[1]).toMatchObject({ before: SALON, after: moved })
  })

  it('is not changed by a customer', async () => {
    await expect(updateBusinessProfile(services.customer(CUSTOMER), SALON)).rejects.toMatchObject({ code: 'forbidden' })
  })

  it('refuses a time zone that does not exist, a phone with letters and a missing name, field by field', () => {
    const bad = BusinessProfileSchema.safeParse({ ...SALON, timezone: 'Mars/Olympus', phone: 'call us', name: { ru: ' ', en: 'Lyon' }, country: 'Russia' })
    expect(bad.success).toBe(false)
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['country', 'name.ru', 'phone', 'timezone'])
  })

  it('takes the country as two letters in either case, or none at all', () => {
    expect(BusinessProfileSchema.parse({ ...SALON, country: ' kz ' }).country).toBe('KZ')
    const { country: _country, ...withoutCountry } = SALON
    expect(BusinessProfileSchema.parse(withoutCountry).country).toBe('')
  })

  it('reads a profile saved before the country existed with the country empty, not refused', async () => {
    const { country: _country, ...older } = SALON
    await handle.db.update(appSettings).set({ value: older }).where(eq(appSettings.key, BUSINESS_PROFILE_SETTING))
    expect(await getBusinessProfile(handle.db)).toEqual({ ...SALON, country: '', configured: true })
  })

  it('keeps what the form does not edit (the demo seed’s currency) and reads an older profile with the new field blank', async () => {
    const demo = await createTestDatabase()
    try {
      await seedDemoData(demo.db, { people: false })
      const profile = await getBusinessProfile(demo.db)
      expect(profile).toMatchObject({ configured: true, name: { ru: 'Кофейня «Зерно»' }, timezone: 'Europe/Moscow' })
      const demoServices = await createTestServices(demo)
      try {
        await demo.db.insert(users).values({ telegramId: OWNER, firstName: 'Olga' })
        await updateBusinessProfile(demoServices.staff(OWNER, ['owner']), SALON)
        const [row] = await demo.db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, BUSINESS_PROFILE_SETTING))
        expect(row!.value).toMatchObject({ currency: 'RUB', timezone: 'Asia/Yekaterinburg' })
      } finally {
        await demoServices.close()
      }
    } finally {
      await demo.close()
    }
  })
})
