import { createBookingInvoiceLink } from '#server/services/payments/invoice'
import { BookingParamsSchema } from '#shared/schemas/booking'

/**
 * A Telegram invoice link for the prepayment of the customer's held booking (Stars or card, as
 * the service says), priced from the booking. The Mini App opens it with `openInvoice`; paying
 * confirms the booking (successful_payment), and opening it keeps the hold once for another hold time.
 */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { id } = await getValidatedRouterParams(event, BookingParamsSchema.parse)
  const { link, booking } = await createBookingInvoiceLink(ctx, id)
  return { link, bookingId: booking.id, prepaymentMinor: booking.prepaymentMinor, currency: booking.prepaymentCurrency, holdExpiresAt: booking.holdExpiresAt }
})
