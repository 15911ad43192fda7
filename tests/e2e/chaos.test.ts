import { describe, expect, it } from 'vitest'
import { diskFull, killDuringPayments, postgresRestart, tmpfsUnavailable } from '../../bench/chaos'
import { privatePostgresUnavailable } from '../../bench/private-postgres'
import { engine } from '../helpers/db'

/**
 * The reliability suite in its short form (`npm run bench -- chaos` is the full one, bench/chaos.ts):
 * the app killed mid-burst, its PostgreSQL crashed under load, its disk full. Loopback only; every
 * wait is bounded. What a business notices: money taken once, every message Telegram was told we
 * have is handled, and a clear answer while something is broken.
 */
const log = (line: string) => process.stdout.write(`[chaos] ${line}\n`)

describe('kill -9 during a successful_payment burst, restart on the same data', () => {
  it('loses no acknowledged update and pays each order once with one confirmation', async () => {
    const r = await killDuringPayments({ engine, adminUrl: process.env.TEST_DATABASE_URL, orders: 25, updates: 500, concurrency: 16, killAfter: 200, log })
    log(JSON.stringify(r))
    expect(r.ackedBeforeKill).toBeGreaterThan(0)
    expect(r.lost).toBe(0)
    expect({ payments: r.paymentRows, charges: r.distinctCharges, paid: r.ordersPaid, transitions: r.paidTransitions }).toEqual({ payments: 25, charges: 25, paid: 25, transitions: 25 })
    // Every customer told once. The one exception Telegram leaves open: a message it accepted in the
    // instant before the kill, whose job had not yet been marked done, goes again after the restart.
    expect({ without: r.customersWithout, several: r.customersWithSeveral - r.severalInFlightAtKill }).toEqual({ without: 0, several: 0 })
    expect(r.confirmations).toBe(25 + r.severalInFlightAtKill)
    expect(r.updatesNotDone).toBe(0)
  }, 1_200_000)
})

const noPrivatePostgres = privatePostgresUnavailable()
describe.runIf(engine === 'postgres')('PostgreSQL crashed and started again under webhook load (a private server, never the shared one)', () => {
  it.skipIf(noPrivatePostgres)(`answers 503 on /api/ready while it is down, recovers by itself and loses nothing acknowledged${noPrivatePostgres ? ` (skipped: ${noPrivatePostgres})` : ''}`, async () => {
    const r = await postgresRestart({ loadBeforeS: 3, downS: 6, concurrency: 6, log })
    log(JSON.stringify(r))
    expect(r.readyDuringDown.answers).toBeGreaterThan(0)
    expect(r.readyDuringDown.not503).toBe(0)
    expect(r.healthDuringDown.not200).toBe(0)
    // Every failed webhook answer while down is a 503 with a stable code (Telegram retries it), never a 500.
    expect(Object.keys(r.webhookDuringDown.other).filter((k) => !k.startsWith('503') && k !== 'no answer')).toEqual([])
    expect(r.lost).toBe(0)
    expect({ without: r.chatsWithout, several: r.chatsWithSeveral }).toEqual({ without: 0, several: 0 })
    expect(r.notDone).toBe(0)
  }, 1_200_000)
})

const noTmpfs = engine === 'pglite' ? tmpfsUnavailable() : 'PGlite only'
describe.runIf(engine === 'pglite')('DATA_DIR full on PGlite (a small tmpfs)', () => {
  it.skipIf(noTmpfs)(`says why with 503 storage_full, and after space returns and a restart nothing acknowledged is lost or corrupt${noTmpfs ? ` (skipped: ${noTmpfs})` : ''}`, async () => {
    const r = await diskFull({ sizeMb: 160, updates: 150, log })
    log(JSON.stringify(r))
    expect(r.readyWhileFull.status).toBe(503)
    expect(JSON.stringify(r.readyWhileFull.storage)).toMatch(/disk full/)
    // Every answer is 503 storage_full (Telegram retries it); on a crowded machine some take longer than the 10 s a sender waits.
    expect(Object.keys(r.whileFull.byCode).filter((k) => k !== '503 storage_full' && k !== 'no answer')).toEqual([])
    expect(r.whileFull.byCode['503 storage_full']).toBeGreaterThan(0)
    expect(r.loggedDiskFull).toBe(true)
    expect(r.restartedReady).toBe(true)
    expect(r.ackedAfter).toBe(20)
    expect(r.lost).toBe(0)
    expect(r.integrityErrors).toEqual([])
  }, 1_200_000)
})
