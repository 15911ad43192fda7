import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { write } from '../../../../server/services/context'
import { getTelegramShippingSetting, setTelegramShippingSetting } from '../../../../server/services/delivery/admin'
import { startSettingsReadModel } from '../../../../server/services/settings'
import { createLogger } from '../../../../server/utils/logger'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

let handle: DatabaseHandle
let services: TestServices
beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle)
  // The replica's copy of the settings, with a LISTEN that never hears a NOTIFY and an hour's TTL:
  // only this replica's own purge after a commit can make it read them again.
  await startSettingsReadModel(handle.db, async (_channel, _onNotify, onListening) => onListening(), createLogger({ level: 'silent' }), 3_600_000)
})
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

describe(`settings on ${engine}`, () => {
  it('are read again by this replica as soon as a change that stored one commits, also when it was one step of a larger change', async () => {
    const ctx = services.system('settings-test')
    expect(await getTelegramShippingSetting(handle.db)).toBe(false)
    await setTelegramShippingSetting(ctx, true)
    expect(await getTelegramShippingSetting(handle.db)).toBe(true)
    // The same setter joined to an outer write: the copy is read again after the outer commit.
    await write(ctx, async (w) => {
      await setTelegramShippingSetting(w, false)
      expect(await getTelegramShippingSetting(w.db)).toBe(false)
    })
    expect(await getTelegramShippingSetting(handle.db)).toBe(false)
    // A change rolled back leaves the copy as it was.
    await expect(
      write(ctx, async (w) => {
        await setTelegramShippingSetting(w, true)
        throw new Error('changed my mind')
      }),
    ).rejects.toThrow('changed my mind')
    expect(await getTelegramShippingSetting(handle.db)).toBe(false)
  })
})
