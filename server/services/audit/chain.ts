import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import type { AuditChainStatus } from '#shared/schemas/audit'

/** The hash before the first link. */
export const GENESIS_HASH = '0'.repeat(64)
const BATCH = 5000

type LinkRow = { chain_seq: string | number; id: string | number; prev_hash: string; hash: string; payload: string }

const rowsOf = <T>(result: unknown) => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[]

/**
 * Walks the audit hash chain (drizzle/*_audit_hash_chain.sql) from the first link to the head and
 * recomputes every hash in Node: SHA-256 of the previous hash and the row's content, read as the
 * same canonical jsonb array the insert trigger hashed (built-in jsonb text only, so a replaced
 * trigger function cannot fake it). Any row changed, removed or slipped in behind the app's back
 * breaks the chain at that row; the first break is reported. Linear in the log's size, in batches.
 */
export async function verifyAuditChain(db: DbOrTx): Promise<AuditChainStatus> {
  let expectedSeq = 1
  let previous = GENESIS_HASH
  let after = 0
  const broken = (seq: number, entryId: number | null, reason: string): AuditChainStatus => ({ ok: false, entries: seq - 1, headHash: null, brokenAt: { seq, entryId, reason } })
  for (;;) {
    const batch = rowsOf<LinkRow>(
      await db.execute(sql`
        select chain_seq, id, prev_hash, hash,
          jsonb_build_array(chain_seq, id, floor(extract(epoch from created_at) * 1000000)::bigint,
            actor_id, actor_via, action, entity_type, entity_id, before, after, request_id, ip)::text as payload
        from audit_entries where chain_seq > ${after} order by chain_seq limit ${BATCH}`),
    )
    for (const row of batch) {
      const seq = Number(row.chain_seq)
      const id = Number(row.id)
      if (seq !== expectedSeq) return broken(expectedSeq, null, seq > expectedSeq ? `link ${expectedSeq} is missing` : `link ${seq} is out of place`)
      if (row.prev_hash !== previous) return broken(seq, id, 'does not follow the previous link')
      const hash = createHash('sha256').update(previous + row.payload, 'utf8').digest('hex')
      if (hash !== row.hash) return broken(seq, id, 'content changed after it was written')
      previous = hash
      expectedSeq++
    }
    if (batch.length < BATCH) break
    after = Number(batch.at(-1)!.chain_seq)
  }
  const [head] = rowsOf<{ seq: string | number; hash: string }>(await db.execute(sql`select seq, hash from audit_chain_heads where id = 1`))
  const entries = expectedSeq - 1
  if (!head) return broken(expectedSeq, null, 'the chain head is missing')
  // Rows removed from the end would leave a shorter chain that is consistent in itself.
  if (Number(head.seq) !== entries || head.hash !== previous) return broken(entries + 1, null, `the head says ${head.seq} links, the table holds ${entries}`)
  return { ok: true, entries, headHash: previous, brokenAt: null }
}
