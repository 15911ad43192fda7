import { useAdminApi, useAdminLoader, useList, type AdminApiError } from './api'
import { dayAfter, dayStart } from './orders'
import type { AdminPaymentDetail, PaymentProvider, PaymentStatus, PaymentsPage, PaymentsReport, StarReconciliation } from './types'

export interface PaymentFilters {
  status: PaymentStatus | ''
  provider: PaymentProvider | ''
  flagged: boolean
  q: string
  from: string
  to: string
}

/** The filters as the payments API (and its CSV export) takes them. */
export const paymentsQuery = (f: PaymentFilters) => ({ status: f.status || undefined, provider: f.provider || undefined, flagged: f.flagged ? 'true' : undefined, q: f.q.trim() || undefined, from: dayStart(f.from), to: dayAfter(f.to) })

/** The payments list with filters; "load more" appends the next page (`before` = last id shown). */
export function useAdminPayments(filters: Ref<PaymentFilters>, pageSize = 50) {
  const api = useAdminApi()
  const items = ref<PaymentsPage['items']>([])
  const nextBefore = ref<number | null>(null)
  const loading = ref(false)
  const error = ref<AdminApiError | null>(null)

  async function load(before?: number) {
    loading.value = true
    error.value = null
    try {
      const page = await api.get<PaymentsPage>('/api/admin/payments', { ...paymentsQuery(filters.value), before, limit: pageSize })
      items.value = before ? [...items.value, ...page.items] : page.items
      nextBefore.value = page.nextBefore
    } catch (e) {
      error.value = e as AdminApiError
    } finally {
      loading.value = false
    }
  }
  const first = () => load()
  const more = () => nextBefore.value && load(nextBefore.value)
  return { items, nextBefore, loading, error, first, more }
}

export interface RefundInput {
  amountMinor?: number
  reason: string
  providerReference?: string
}

/** One payment with its raw payload and refunds; `refund` sends the key the caller keeps per attempt. */
export function useAdminPayment(id: Ref<number>) {
  const api = useAdminApi()
  const { data: payment, loading, error, load } = useAdminLoader(() => api.get<AdminPaymentDetail>(`/api/admin/payments/${id.value}`), null as AdminPaymentDetail | null)
  /**
   * Throws AdminApiError; resolves with the refund as the server stored it (a repeated key returns
   * the first outcome). Whenever the server answered, the payment is reloaded: a refused refund shows
   * up in its refunds too.
   */
  async function refund(input: RefundInput, idempotencyKey: string) {
    try {
      const result = await api.post<{ refund: { status: 'pending' | 'succeeded' | 'failed'; error: string | null } }>(`/api/admin/payments/${id.value}/refund`, input, { 'Idempotency-Key': idempotencyKey })
      await load()
      return result.refund
    } catch (e) {
      if ((e as AdminApiError).code !== 'network') await load()
      throw e
    }
  }
  return { payment, loading, error, load, refund }
}

/**
 * Revenue, counts and refunds per day and method for a range of business days (`YYYY-MM-DD`, both
 * included; empty: the server's default, the last 30 days in the business's time zone).
 */
export function useAdminPaymentsReport(range: Ref<{ from: string; to: string }>) {
  const api = useAdminApi()
  const { data: report, loading, error, load } = useAdminLoader(
    () => api.get<PaymentsReport>('/api/admin/payments/report', { from: range.value.from || undefined, to: range.value.to || undefined }),
    null as PaymentsReport | null,
  )
  return { report, loading, error, load }
}

/** The latest Stars reconciliation reports (newest first). */
export function useStarReconciliations() {
  const api = useAdminApi()
  const { items, loading, error, load } = useList<StarReconciliation>('/api/admin/payments/reconciliations')
  /** Runs the check now (besides the daily job); the new report goes on top. */
  const running = ref(false)
  const runError = ref<AdminApiError | null>(null)
  async function runNow() {
    running.value = true
    runError.value = null
    try {
      items.value = [await api.post<StarReconciliation>('/api/admin/payments/reconciliations'), ...items.value]
    } catch (e) {
      runError.value = e as AdminApiError
    } finally {
      running.value = false
    }
  }
  return { items, loading, error, load, running, runError, runNow }
}
