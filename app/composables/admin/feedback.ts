/** Toasts (announced through an aria-live region) and a promise-based confirm dialog, both drawn once by the admin layout. */
export interface ConfirmRequest {
  message: string
  confirmLabel: string
  danger: boolean
  resolve: (ok: boolean) => void
}

export function useAdminFeedback() {
  const toasts = useState<{ id: number; text: string; kind: 'ok' | 'error' }[]>('admin-toasts', () => [])
  const pending = useState<ConfirmRequest | null>('admin-confirm', () => null)
  function toast(text: string, kind: 'ok' | 'error' = 'ok') {
    const id = Date.now() + Math.random()
    toasts.value = [...toasts.value, { id, text, kind }]
    setTimeout(() => (toasts.value = toasts.value.filter((x) => x.id !== id)), kind === 'error' ? 8000 : 4000)
  }
  /** Asks before a destructive or important action; resolves true when confirmed. */
  const confirm = (message: string, options: { confirmLabel: string; danger?: boolean }) =>
    new Promise<boolean>((resolve) => {
      pending.value = { message, confirmLabel: options.confirmLabel, danger: options.danger ?? false, resolve }
    })
  return { toasts, pending, toast, confirm }
}
