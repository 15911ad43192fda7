import { z } from 'zod'

/** The business overview's range: calendar days in the business's time zone, at most 92 at once; the last 14 by default. */
export const BusinessOverviewQuerySchema = z
  .object({ from: z.iso.date().optional(), to: z.iso.date().optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 91 * 86_400_000, { message: 'at most 92 days at once', path: ['from'] })
export type BusinessOverviewQuery = z.output<typeof BusinessOverviewQuerySchema>

/** Per day of `days`, one value in each series. */
export interface BusinessOverview {
  from: string
  to: string
  timezone: string
  days: string[]
  opens: number[]
  carts: number[]
  orders: number[]
  paid: number[]
  bookings: number[]
  conversations: number[]
}
