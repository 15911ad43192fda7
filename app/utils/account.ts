import type { InternalApi } from 'nitropack/types'

/** Response types of the account routes, from Nitro's typed routes (never written by hand). */
export type AccountProfile = InternalApi['/api/account']['get']
export type AccountAddress = InternalApi['/api/account/addresses']['get']['items'][number]
export type AccountHistoryPage = InternalApi['/api/account/history']['get']
export type AccountDocument = InternalApi['/api/account/documents']['get']['items'][number]
export type AccountDocumentLink = InternalApi['/api/account/documents/:id/link']['post']
