import { bringRemindersForward } from '#server/services/booking/test-clock'
import { requireSandbox } from '#server/services/sandbox'
import { SandboxClockBody } from '#shared/schemas/sandbox'

/**
 * The tests' clock for booking reminders: the booking's planned reminder jobs become due now, and
 * the running queue sends them as it would at their time. Exists only in the sandbox under
 * NODE_ENV=test (404 otherwise, the public demo and production included).
 */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  requireSandbox(services)
  if (services.config.env !== 'test') throw new DomainError('not_found', 'The test clock exists only in tests', 404)
  const { bookingId } = await readValidatedBody(event, SandboxClockBody.parse)
  return { due: await bringRemindersForward(services.db, bookingId) }
})
