/** Printing (aligned tables, limits) and the JSON result files in `bench/results/` (gitignored). */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { resolve } from 'node:path'
import { root } from './lib'

export type Cell = string | number
export type Row = Record<string, Cell>

export function fmt(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return String(value)
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

export function ratio(a: number, b: number): string {
  return b === 0 ? 'n/a' : `${fmt(a / b, 2)}x`
}

/** Prints rows as an aligned table (columns from the first row). */
export function table(title: string, rows: Row[]): void {
  if (rows.length === 0) return
  const cols = Object.keys(rows[0]!)
  const cell = (v: Cell | undefined) => (typeof v === 'number' ? fmt(v, Number.isInteger(v) ? 0 : 1) : (v ?? ''))
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join('  ')
  console.log(`\n${title}`)
  console.log(line(cols))
  console.log(line(width.map((w) => '-'.repeat(w))))
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))))
}

export interface Limit {
  what: string
  value: number
  /** The limit it is compared with, and whether the value must stay at or below it ('max') or above it ('min'). */
  limit: number
  kind: 'max' | 'min'
  unit?: string
}

/** Prints each figure against its limit. Benchmarks report; they never fail the run on a limit. */
export function limits(items: Limit[]): Array<Limit & { within: boolean }> {
  const out = items.map((l) => ({ ...l, within: l.kind === 'max' ? l.value <= l.limit : l.value >= l.limit }))
  console.log('\nlimits')
  for (const l of out) {
    const sign = l.kind === 'max' ? '<=' : '>='
    console.log(`  ${l.within ? 'ok  ' : 'OVER'} ${l.what}: ${fmt(l.value, 2)}${l.unit ?? ''} (limit ${sign} ${fmt(l.limit, 2)}${l.unit ?? ''})`)
  }
  return out
}

export function writeResult(name: string, data: unknown): string {
  const dir = resolve(root, 'bench/results')
  mkdirSync(dir, { recursive: true })
  const file = resolve(dir, `${name}.json`)
  const meta = { name, date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model }
  writeFileSync(file, JSON.stringify({ ...meta, ...(data as object) }, null, 2) + '\n')
  return file
}
