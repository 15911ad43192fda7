/** The integration event a form submission emits (docs/integrations.md): the form, the sender and the checked answers. */
import type { FormEventPayload } from '#shared/schemas/integrations'
import type { formSubmissions } from '../../db/schema/forms'
import type { IntegrationEventInput } from '../integrations/outbox'

export function formSubmittedEvent(form: { id: number; slug: string }, version: { version: number }, s: typeof formSubmissions.$inferSelect): IntegrationEventInput {
  const payload: FormEventPayload = {
    submissionId: s.id,
    form: { id: form.id, slug: form.slug, version: version.version },
    submittedBy: { telegramId: s.userId, staff: s.byStaff },
    values: s.values,
    submittedAt: s.createdAt.toISOString(),
  }
  return { type: 'form.submitted', aggregateType: 'form_submission', aggregateId: s.id, payload }
}
