import type { AuditItem } from './types'
import { useAdminI18n, type AdminMessageKey } from './i18n'

type Json = Record<string, unknown>
const asObject = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {})
const roleList = (v: unknown) => (Array.isArray(asObject(v).roles) ? (asObject(v).roles as string[]) : [])

/** Top-level fields that differ between `before` and `after` (what an edit changed). */
export function changedFields(before: unknown, after: unknown): string[] {
  const a = asObject(before)
  const b = asObject(after)
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
}

/**
 * An audit entry as a sentence in the staff member's language ("Мария changed the price of Flat
 * white from 220 ₽ to 230 ₽"), built from the entry's action and its before/after record; the raw
 * record stays one click away on the screen. Unknown actions still read: "who — action — object".
 */
export function useAuditSentence() {
  const { t, has, locale, money } = useAdminI18n()
  const say = (key: string, params: Record<string, string | number>) => t(`audit.say.${key}` as AdminMessageKey, params)
  const label = (group: string, value: unknown) => (has(`${group}.${value}`) ? t(`${group}.${value}` as AdminMessageKey) : String(value ?? '—'))
  const nameOf = (record: Json, fallback: string) => {
    const name = asObject(record.name)
    return String(name[locale.value] ?? name.ru ?? record.number ?? fallback)
  }
  const fieldList = (fields: string[]) => fields.map((f) => label('audit.fieldName', f)).join(', ')

  return function sentence(entry: AuditItem): string {
    const before = asObject(entry.before)
    const after = asObject(entry.after)
    const object = `#${entry.entityId ?? ''}`
    const actor = entry.actorName ?? (entry.actorId ? `#${entry.actorId}` : t(entry.actorVia === 'anonymous' ? 'audit.anonymous' : 'audit.system'))
    const subject = entry.subjectName ?? object
    const name = nameOf(Object.keys(after).length ? after : before, object)
    const edited = changedFields(before, after)
    const p = { actor, name, subject, id: entry.entityId ?? '' }
    switch (entry.action) {
      case 'order.status': {
        const text = say('orderStatus', { ...p, number: String(after.number ?? before.number ?? object), from: label('status', before.status), to: label('status', after.status) })
        return after.note ? `${text} ${say('note', { note: String(after.note) })}` : text
      }
      case 'product.price': {
        const text = say('productPrice', { ...p, from: money(Number(before.priceMinor), String(before.currency ?? 'RUB')), to: money(Number(after.priceMinor), String(after.currency ?? 'RUB')) })
        const others = edited.filter((f) => f !== 'priceMinor')
        return others.length ? `${text} ${say('alsoChanged', { fields: fieldList(others) })}` : text
      }
      case 'product.create':
        return say('productCreate', { ...p, price: money(Number(after.priceMinor), String(after.currency ?? 'RUB')) })
      case 'product.update':
      case 'category.update':
      case 'delivery_zone.update':
      case 'pickup_point.update':
        return say(`${entry.entityType}Update`, { ...p, fields: fieldList(edited) || '—' })
      case 'category.create':
      case 'delivery_zone.create':
      case 'pickup_point.create':
        return say(`${entry.entityType}Create`, p)
      case 'product.stock':
        return say('productStock', { ...p, from: Number(before.stock), to: Number(after.stock), reason: String(after.reason ?? '') })
      case 'product.image':
        return say('productImage', p)
      case 'product.import':
        return say('productImport', { ...p, created: Number(after.created ?? 0), updated: Number(after.updated ?? 0), failed: Number(after.failed ?? 0) })
      case 'setting.update':
        return entry.entityId === 'orders.telegram_shipping'
          ? say(after.value ? 'shippingOn' : 'shippingOff', p)
          : say('setting', { ...p, key: String(entry.entityId), from: JSON.stringify(before.value), to: JSON.stringify(after.value) })
      case 'role.grant': {
        const added = roleList(after).filter((r) => !roleList(before).includes(r))
        return say(after.reason === 'ADMIN_TELEGRAM_IDS' ? 'rolePinned' : 'roleGrant', { ...p, roles: added.map((r) => label('role', r)).join(', ') })
      }
      case 'role.revoke':
        return say('roleRevoke', { ...p, roles: roleList(before).filter((r) => !roleList(after).includes(r)).map((r) => label('role', r)).join(', ') })
      case 'payment.refund':
        return after.currency
          ? say('refund', { ...p, amount: money(Number(after.amountMinor), String(after.currency)), reason: String(after.reason ?? '') })
          : say('refundNoAmount', { ...p, reason: String(after.reason ?? '') })
      case 'auth.link_issued':
      case 'auth.sign_in':
      case 'auth.sign_out':
        return say(entry.action.slice(5), p)
      case 'auth.sign_in_failed':
        return say('signInFailed', { ...p, reason: label('audit.failure', after.reason) })
      default:
        return say('other', { ...p, action: entry.action, object: `${entry.entityType} ${object}` })
    }
  }
}
