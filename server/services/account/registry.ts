import type { DbOrTx } from '../../db/client'
import type { HistoryItem } from '#shared/schemas/account'
import type { WriteContext } from '../context'

/** A page request a section answers: items strictly older than `before`, newest first, at most `limit`. */
export interface SectionHistoryQuery {
  before: Date | null
  limit: number
  /** The customer's search box; a section matches it against what it knows (order number, item names). */
  q?: string
}

/**
 * What a module contributes to the personal account. The account merges every section's history
 * into one list, writes every section's data into the export archive and calls every section's
 * `erase` when a customer deletes their account. A module owns its section (e.g.
 * `server/services/orders/account.ts`) and adds it to `ACCOUNT_SECTIONS` in `./sections.ts`;
 * the account module never reads another module's tables. See docs/account.md.
 */
export interface AccountSection {
  /** Stable key: the history items' `module` and the section's key in `account.json` of the export. */
  key: string
  /** The customer's items (orders, bookings, conversations, submitted forms) with status and next step. */
  history?: (db: DbOrTx, userId: number, query: SectionHistoryQuery) => Promise<HistoryItem[]>
  /** Everything the module holds about the customer, as plain JSON for the export archive. */
  exportData?: (db: DbOrTx, userId: number) => Promise<unknown>
  /**
   * Inside the deletion's transaction: erase the customer's personal data, and move records the
   * law makes us keep (money) to `placeholderId`, anonymised. Answers what it did, counted.
   */
  erase?: (w: WriteContext, userId: number, placeholderId: number) => Promise<Record<string, number>>
  /** Operators' customer search: the customers a module-specific reference (an order number) points to. */
  findCustomers?: (db: DbOrTx, q: string) => Promise<number[]>
}
