/**
 * The one CSV reader and writer (catalog import/export, payments and audit exports).
 *
 * RFC 4180 CSV: quoted fields with commas, quotes ("") and line breaks, CRLF or LF, a UTF-8 BOM
 * (Excel adds one). Also reads `;`-separated files, which Russian Excel writes by default.
 */
export function parseCsv(text: string): string[][] {
  const input = text.replace(/^\uFEFF/, '')
  const firstLine = input.slice(0, input.search(/\r?\n|$/))
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ','
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
      continue
    }
    if (c === '"' && field === '') quoted = true
    else if (c === delimiter) {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  if (field !== '' || row.length) {
    row.push(field)
    rows.push(row)
  }
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''))
}

const needsQuotes = /[",;\r\n]|^\s|\s$/
/** Formula-looking cells are prefixed so a spreadsheet never executes them (CSV injection). */
const formula = /^[=+\-@\t\r]/

/** A spreadsheet-safe CSV (UTF-8 BOM so Excel reads Cyrillic, CRLF); objects are written as JSON. */
export function toCsv(rows: unknown[][]): string {
  const cell = (value: unknown) => {
    if (value === null || value === undefined) return ''
    let s = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value)
    if (typeof value === 'string' && formula.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`
    return needsQuotes.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}
