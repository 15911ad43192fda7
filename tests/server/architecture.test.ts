import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { parseCircular, parseDependencyTree } from 'dpdm'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * The rules of docs/architecture.md that a machine can check: no import cycles under server/,
 * each module's services touch only their own tables, handlers leave the write path to services,
 * services know nothing of HTTP. A change that breaks one fails here with the file to look at.
 */
const root = resolve(import.meta.dirname, '../..')

const files = (dir: string) => readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f))

/** Value imports of a file (type-only imports and specifiers left out): what it needs at run time. */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest)
  const out: string[] = []
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue
    const clause = statement.importClause
    if (clause?.isTypeOnly) continue
    const bindings = clause?.namedBindings
    const onlyTypes = !clause?.name && bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly)
    if (!onlyTypes) out.push(statement.moduleSpecifier.text)
  }
  return out
}

/** Which schema files (server/db/schema/<name>.ts) each service module may read and write. */
const OWNED_TABLES: Record<string, readonly string[]> = {
  account: ['account'],
  audit: ['audit'],
  idempotency: ['idempotency'],
  integrations: ['integrations'],
  auth: ['auth'],
  cart: ['cart'],
  catalog: ['catalog'],
  delivery: ['delivery'],
  forms: ['forms'],
  orders: ['orders'],
  support: ['support'],
  payments: ['payments'],
  settings: ['settings'],
  telegram: ['telegram'],
  booking: ['booking', 'booking-feeds'],
  broadcasts: ['broadcasts'],
  // The partner API's keys; its reads and writes go through the modules' own `partner.ts`.
  'partner-api': ['partner-api'],
  insights: ['insights'],
  // The demo business is written once, on a fresh database, across every module's tables.
  demo: ['*'],
}

describe('server architecture', () => {
  it('has no import cycle at run time (type imports aside)', async () => {
    const tree = await parseDependencyTree(['server/**/*.ts'], { cwd: root, context: root, transform: true, tsconfig: join(root, '.nuxt/tsconfig.server.json'), exclude: /node_modules/ })
    const cycles = parseCircular(tree).map((cycle) => cycle.join(' -> '))
    expect(cycles).toEqual([])
  })

  it("lets each module's services touch only their own tables", () => {
    const violations: string[] = []
    for (const file of files('server/services')) {
      const module = relative('server/services', file).split('/')[0]!.replace(/\.ts$/, '')
      const owned = OWNED_TABLES[module] ?? []
      for (const request of valueImports(file)) {
        const match = /db\/schema(?:\/([\w-]+))?$/.exec(request)
        if (!match) continue
        const schema = match[1] ?? 'index'
        if (!owned.includes('*') && !owned.includes(schema)) violations.push(`${file} imports tables of "${schema}"`)
      }
    }
    expect(violations).toEqual([])
  })

  it('keeps HTTP out of services, and transactions and audit out of handlers', () => {
    const violations: string[] = []
    for (const file of files('server/services')) {
      for (const request of valueImports(file)) if (request === 'h3' || /(^|\/)(api|utils\/(auth|context|runtime))(\/|$)/.test(request)) violations.push(`${file} imports ${request}`)
    }
    for (const file of files('server/api')) {
      const text = readFileSync(join(root, file), 'utf8')
      if (/\.transaction\(|recordAudit\(|enqueueIn\(/.test(text)) violations.push(`${file} opens a transaction, audits or enqueues itself: a service does that`)
      if (/from '(\.\.\/){3,}/.test(text)) violations.push(`${file} climbs three or more folders: use #server/... or Nitro's auto-imports`)
    }
    expect(violations).toEqual([])
  })

  it('declares every job apart from its worker: services never import workers', () => {
    const intoWorkers = (file: string, request: string) => {
      const target = request.startsWith('#server/') ? join('server', request.slice('#server/'.length)) : request.startsWith('.') ? join(dirname(file), request) : ''
      return /^server\/jobs(\/|$)/.test(target) && target !== 'server/jobs/queue'
    }
    const violations = files('server/services').flatMap((file) => valueImports(file).filter((r) => intoWorkers(file, r)).map((r) => `${file} imports ${r}`))
    expect(violations).toEqual([])
  })

  it('knows every middleware and per-request hook that a hot answer skips', () => {
    // Hot answers (server/utils/hot-answers.ts) are written before h3: no middleware and no Nitro
    // request hook runs for them. Their headers are replayed; anything else a new one does (count,
    // refuse, log) must be done in answerHot too - then add the file here.
    const reviewed = ['server/middleware/00.body-limit.ts', 'server/middleware/01.database-breaker.ts', 'server/middleware/admin-guard.ts', 'server/middleware/sandbox-page.ts', 'server/plugins/00.runtime.ts', 'server/plugins/page-cache.ts', 'server/plugins/security-headers.ts']
    const perRequest = [...files('server/middleware'), ...files('server/plugins').filter((file) => /hooks\.hook\('(request|beforeResponse|afterResponse)'/.test(readFileSync(join(root, file), 'utf8')))]
    expect(perRequest.sort()).toEqual(reviewed.sort())
  })
})
