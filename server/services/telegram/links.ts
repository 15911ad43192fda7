/** The Mini App URL, carrying a deep-link parameter the way t.me/<bot>?startapp= would. */
export function miniAppUrl(publicUrl: string, startParam?: string) {
  const url = new URL('/app', publicUrl)
  if (startParam && /^[A-Za-z0-9_-]{1,512}$/.test(startParam)) url.searchParams.set('tgWebAppStartParam', startParam)
  return url.toString()
}
