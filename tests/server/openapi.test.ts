// The document is walked as plain JSON here: its shape is what the test checks.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildOpenApiDocument } from '../../server/services/openapi/document'
import { ROUTES } from '../../server/services/openapi/routes'

const root = resolve(import.meta.dirname, '../..')

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    return statSync(full).isDirectory() ? routeFiles(full) : name.endsWith('.ts') ? [full] : []
  })
}

/** server/api/orders/[id]/cancel.post.ts -> "post /api/orders/{id}/cancel" */
function routeOf(file: string, base: string, prefix: string) {
  const rel = relative(base, file).replace(/\.ts$/, '')
  const match = /^(.*?)(?:\.(get|post|patch|put|delete))?$/.exec(rel)!
  const path = `${prefix}/${match[1]}`.replace(/\/index$/, '').replace(/\[\.\.\.(\w+)\]/g, '{$1}').replace(/\[(\w+)\]/g, '{$1}')
  return `${match[2] ?? 'any'} ${path}`
}

describe('OpenAPI document', () => {
  it('documents every route file, and nothing that does not exist', () => {
    const files = [
      ...routeFiles(resolve(root, 'server/api')).map((f) => routeOf(f, resolve(root, 'server/api'), '/api')),
      ...routeFiles(resolve(root, 'server/routes')).map((f) => routeOf(f, resolve(root, 'server/routes'), '')),
    ].filter((r) => r !== 'any /api/[...]') // the JSON 404 for unknown API paths
    const documented = ROUTES.map((r) => `${r.method} ${r.path}`)
    // House rule: every route file names its method.
    expect(files.filter((f) => f.startsWith('any '))).toEqual([])
    expect([...documented].sort()).toEqual([...files].sort())
  })

  it('is OpenAPI 3.1 with request schemas generated from the shared contracts', () => {
    const doc = buildOpenApiDocument('https://shop.example.com')
    expect(doc.openapi).toBe('3.1.0')
    const createOrder = (doc.paths['/api/orders'] as Record<string, any>).post
    expect(createOrder.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]))
    const body = createOrder.requestBody.content['application/json'].schema
    expect(body.required).toEqual(expect.arrayContaining(['delivery', 'contact', 'paymentMethod']))
    expect(JSON.stringify(body)).not.toContain('totalMinor')
    expect(Object.keys(createOrder.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '409']))
    expect(createOrder.responses['409'].description).toContain('cart_changed')
    const products = (doc.paths['/api/catalog/products'] as Record<string, any>).get
    expect(products.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['category', 'q', 'priceMin', 'priceMax', 'inStock', 'tags', 'sort', 'cursor', 'limit']))
    const refund = (doc.paths['/api/admin/payments/{id}/refund'] as Record<string, any>).post
    expect(refund['x-permission']).toBe('payments.refund')
    expect(refund.responses['403']).toBeDefined()
  })
})
