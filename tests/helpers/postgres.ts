import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import postgres from 'postgres'

/**
 * Helpers shared by the tests and the benchmarks (no vitest imports here, so bench/ can use them).
 */

/** A fresh, empty PostgreSQL database created on the admin connection; `drop()` removes it. */
export async function createPostgresDatabase(adminUrl: string, prefix = 't') {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} })
      await a.unsafe(`drop database if exists ${name} with (force)`)
      await a.end()
    },
  }
}

/** A TCP port nobody listens on right now, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolvePort(port))
    })
    server.on('error', reject)
  })
}
