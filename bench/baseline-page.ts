/**
 * The baseline for `frontend`: a bare node:http server answering every GET with the bytes of one
 * saved page (PAGE_FILE) and the app's content type, run by plain `node` like baseline-server.ts.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

const body = readFileSync(process.env.PAGE_FILE!)
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html;charset=utf-8', 'Cache-Control': 'public, max-age=60, stale-while-revalidate=300', 'Content-Length': body.length })
  res.end(body)
})
server.keepAliveTimeout = 5000
server.listen(Number(process.env.PORT), '127.0.0.1')
process.on('SIGTERM', () => { server.close(() => process.exit(0)); server.closeAllConnections() })
