import type { buildOpenApiDocument } from './document'

const esc = (s: unknown) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

type Operation = { tags: string[]; summary: string; parameters: { name: string; in: string; required: boolean; schema: unknown }[]; requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, { description: string }>; 'x-permission'?: string; security: Record<string, unknown>[] }

/** Renders the OpenAPI document as one static HTML page, grouped by tag. */
export function renderApiDocs(doc: ReturnType<typeof buildOpenApiDocument>) {
  const byTag = new Map<string, string[]>()
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods as Record<string, Operation>)) {
      const auth = op['x-permission'] ? `staff: ${op['x-permission']}` : op.security.length ? Object.keys(op.security[0]!).join(', ') : 'public'
      const params = op.parameters.length
        ? `<table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${op.parameters.map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'yes' : ''}</td><td><code>${esc(JSON.stringify(p.schema))}</code></td></tr>`).join('')}</table>`
        : ''
      const body = op.requestBody ? Object.entries(op.requestBody.content).map(([type, c]) => `<details><summary>Body (${esc(type)})</summary><pre>${esc(JSON.stringify(c.schema, null, 2))}</pre></details>`).join('') : ''
      const responses = `<ul>${Object.entries(op.responses).map(([status, r]) => `<li><b>${esc(status)}</b> ${esc(r.description).replace(/\n\n/g, '<br>')}</li>`).join('')}</ul>`
      const html = `<section id="${esc(method + path)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3><p>${esc(op.summary)} <small>(${esc(auth)})</small></p>${params}${body}${responses}</section>`
      byTag.set(op.tags[0]!, [...(byTag.get(op.tags[0]!) ?? []), html])
    }
  }
  const nav = [...byTag.keys()].map((t) => `<a href="#tag-${esc(t)}">${esc(t)}</a>`).join(' · ')
  const sections = [...byTag].map(([tag, ops]) => `<h2 id="tag-${esc(tag)}">${esc(tag)}</h2>${ops.join('')}`).join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(doc.info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:980px;margin:0 auto;padding:24px;color:#1b1f24}code,pre{font:13px ui-monospace,monospace}pre{background:#f4f6f8;padding:12px;overflow:auto}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d8dee4;padding:4px 8px;text-align:left;vertical-align:top}section{border-top:1px solid #e5e9ee;padding:8px 0}.m{display:inline-block;min-width:64px;text-align:center;border-radius:4px;color:#fff;font-size:13px;padding:2px 6px}.get{background:#1f7a4d}.post{background:#1d5fa8}.patch{background:#8a5a00}.delete{background:#b3261e}small{color:#57606a}</style></head>
<body><h1>${esc(doc.info.title)}</h1><p>${esc(doc.info.description)}</p><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${esc(doc.openapi)})</p><nav>${nav}</nav>${sections}</body></html>`
}
