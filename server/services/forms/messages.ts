import type { Locale } from '#shared/locale'
import type { LocalizedText } from '../../db/schema/_columns'

/** The chat line operators get for a new submission, in their language. */
export function submissionMessage(locale: Locale, input: { id: number; formTitle: LocalizedText; byStaff: boolean; senderName: string }): string {
  const title = input.formTitle[locale]
  if (locale === 'ru') return `${input.byStaff ? 'Отчёт сотрудника' : 'Новая заявка'} №${input.id} «${title}» от ${input.senderName}. Откройте «Формы» в панели управления.`
  return `${input.byStaff ? 'Staff report' : 'New submission'} #${input.id} "${title}" from ${input.senderName}. Open Forms in the admin panel.`
}
