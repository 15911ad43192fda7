import type { JobDefinition } from './queue'
import * as account from '../services/account/jobs'
import * as auth from '../services/auth/jobs'
import * as backup from '../services/backup/jobs'
import * as booking from '../services/booking/jobs'
import * as broadcasts from '../services/broadcasts/jobs'
import * as forms from '../services/forms/jobs'
import * as integrations from '../services/integrations/jobs'
import * as notifications from '../services/notifications/jobs'
import * as orders from '../services/orders/jobs'
import * as payments from '../services/payments/jobs'
import * as support from '../services/support/jobs'
import * as telegram from '../services/telegram/jobs'

const isJob = (value: unknown): value is JobDefinition => typeof value === 'object' && value !== null && typeof (value as JobDefinition).name === 'string' && 'schema' in value

/**
 * Every job declaration, without the workers (and their imports): what a tool needs to create the
 * app's queues with their options, e.g. `npm run restore` putting a backup's waiting jobs back.
 * A test checks it names the same jobs as the workers in ./index.ts.
 */
export const jobDefinitions: JobDefinition[] = [account, auth, backup, booking, broadcasts, forms, integrations, notifications, orders, payments, support, telegram].flatMap((module) => Object.values(module).filter(isJob))
