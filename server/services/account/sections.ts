import type { AccountSection } from './registry'
import { bookingAccountSection, bookingWaitlistAccountSection } from '../booking/account'
import { broadcastsAccountSection } from '../broadcasts/account'
import { cartAccountSection } from '../cart/account'
import { formsAccountSection } from '../forms/account'
import { idempotencyAccountSection } from '../idempotency/account'
import { insightsAccountSection } from '../insights/account'
import { integrationsAccountSection } from '../integrations/account'
import { ordersAccountSection } from '../orders/account'
import { paymentsAccountSection } from '../payments/account'
import { supportAccountSection } from '../support/account'
import { telegramAccountSection } from '../telegram/account'

/**
 * Every module's contribution to the personal account (history, export, erasure, customer search).
 * A new module writes `server/services/<module>/account.ts` exporting an
 * `AccountSection` and adds it here: nothing else in the account changes. See docs/account.md.
 */
export const ACCOUNT_SECTIONS: readonly AccountSection[] = [ordersAccountSection, paymentsAccountSection, bookingWaitlistAccountSection, bookingAccountSection, supportAccountSection, formsAccountSection, cartAccountSection, telegramAccountSection, idempotencyAccountSection, integrationsAccountSection, broadcastsAccountSection, insightsAccountSection]
