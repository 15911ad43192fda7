import type { AccountSection } from '../account/registry'
import { activityOf, eraseActivity } from './activity'

/** The overview's part of the personal account: the days the customer opened the Mini App or filled a cart; erased with the account. */
export const insightsAccountSection: AccountSection = {
  key: 'activity',
  exportData: (db, userId) => activityOf(db, userId),
  async erase(w, userId) {
    return { activityDaysDeleted: await eraseActivity(w.db, userId) }
  },
}
