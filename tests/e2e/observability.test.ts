import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { metricsHeaders, startApp, type RunningApp } from '../helpers/app'

/**
 * The `observability` compose profile (docs/deployment.md): Docker cannot run here, so this checks
 * what can rot silently offline. The compose file and the configs parse and point at each other;
 * every metric the Grafana dashboard queries is one a running app exports on /metrics (a renamed
 * metric would leave an empty panel nobody notices); the log panel filters on fields the app writes.
 */
const root = resolve(import.meta.dirname, '../..')
const read = (path: string) => readFileSync(resolve(root, path), 'utf8')

interface ComposeService { profiles?: string[]; image?: string; volumes?: string[]; secrets?: string[]; command?: string[]; environment?: Record<string, string>; ports?: string[] }
const compose = parse(read('compose.yaml')) as { services: Record<string, ComposeService>; volumes: Record<string, unknown>; secrets: Record<string, { file: string }> }
const dashboard = JSON.parse(read('deploy/grafana/dashboards/tma-platform.json')) as {
  uid: string
  templating: { list: { name: string }[] }
  panels: { type: string; title: string; datasource?: { uid: string }; targets?: { expr: string; datasource?: { uid: string } }[] }[]
}

const PROMQL_WORDS = new Set([
  'sum', 'max', 'min', 'avg', 'count', 'by', 'without', 'rate', 'irate', 'increase', 'delta', 'histogram_quantile', 'time', 'and', 'or', 'unless', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'topk', 'bottomk', 'abs', 'clamp_min', 'clamp_max', 'vector', 'scalar', 'label_replace', 'avg_over_time', 'max_over_time',
])

/** Metric names in a PromQL expression: identifiers outside label matchers, `by (...)` lists and strings, that are not functions or keywords. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '')
  return [...stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0]).filter((w) => !PROMQL_WORDS.has(w) && !/^\d/.test(w) && w.includes('_'))
}

interface AlertRule { alert: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
const alertRules = (parse(read('deploy/prometheus/alerts.yml')) as { groups: { name: string; rules: AlertRule[] }[] }).groups.flatMap((g) => g.rules)
/** Series Prometheus makes itself for every scrape target. */
const PROMETHEUS_OWN = new Set(['up'])

const promTargets = dashboard.panels.flatMap((p) => (p.targets ?? []).filter((t) => (t.datasource ?? p.datasource)?.uid === 'prometheus'))
const lokiTargets = dashboard.panels.flatMap((p) => (p.targets ?? []).filter((t) => (t.datasource ?? p.datasource)?.uid === 'loki'))

describe('the observability compose profile', () => {
  it('adds Prometheus, Loki, Alloy and Grafana under the profile only, with their configs from deploy/', () => {
    const observability = Object.entries(compose.services).filter(([, s]) => s.profiles?.includes('observability')).map(([name]) => name).sort()
    expect(observability).toEqual(['alloy', 'grafana', 'loki', 'prometheus'])
    // The default `docker compose up` still starts only the database and the app.
    expect(Object.entries(compose.services).filter(([, s]) => !s.profiles).map(([name]) => name).sort()).toEqual(['app', 'postgres'])
    for (const name of observability) {
      const service = compose.services[name]!
      expect(service.image, name).toMatch(/:[\w.-]+$/) // a pinned tag, never `latest`
      expect(service.image).not.toMatch(/:latest$/)
      for (const volume of service.volumes ?? []) {
        const [source] = volume.split(':')
        if (source!.startsWith('./')) expect(() => read(source!.slice(2).replace(/\/$/, '')), `${name}: ${source}`).not.toThrow(/ENOENT/)
        else if (!source!.startsWith('/')) expect(compose.volumes, `${name}: volume ${source}`).toHaveProperty(source!)
      }
      for (const secret of service.secrets ?? []) expect(compose.secrets, `${name}: secret ${secret}`).toHaveProperty(secret)
      for (const port of service.ports ?? []) expect(port, `${name} publishes on loopback only`).toMatch(/^127\.0\.0\.1:/)
    }
    expect(compose.services.prometheus!.secrets).toContain('metrics_token')
  })

  it('has a Prometheus config that scrapes every replica on /metrics with the METRICS_TOKEN bearer', () => {
    const config = parse(read('deploy/prometheus/prometheus.yml')) as Record<string, unknown>
    // The keys Prometheus accepts at the top and in a scrape config (it refuses unknown ones at start).
    expect(Object.keys(config).every((k) => ['global', 'scrape_configs', 'rule_files', 'alerting', 'remote_write', 'remote_read', 'storage', 'otlp', 'runtime', 'tracing'].includes(k))).toBe(true)
    const scrapes = config.scrape_configs as Record<string, unknown>[]
    expect(scrapes).toHaveLength(1)
    const scrape = scrapes[0]!
    expect(Object.keys(scrape).every((k) => ['job_name', 'metrics_path', 'scheme', 'authorization', 'dns_sd_configs', 'static_configs', 'relabel_configs', 'scrape_interval', 'scrape_timeout'].includes(k))).toBe(true)
    expect(scrape).toMatchObject({ job_name: 'tma-platform', metrics_path: '/metrics', authorization: { type: 'Bearer', credentials_file: '/run/secrets/metrics_token' } })
    expect(scrape.dns_sd_configs).toEqual([expect.objectContaining({ names: ['app'], type: 'A', port: 3000 })])
    const global = config.global as Record<string, string>
    for (const key of ['scrape_interval', 'evaluation_interval']) expect(global[key]).toMatch(/^\d+[smh]$/)
  })

  it('loads alert rules that each say what is wrong and where to look', () => {
    const config = parse(read('deploy/prometheus/prometheus.yml')) as { rule_files?: string[] }
    expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml'])
    expect(compose.services.prometheus!.volumes).toContain('./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro')
    expect(alertRules.length).toBeGreaterThanOrEqual(10)
    expect(new Set(alertRules.map((r) => r.alert)).size).toBe(alertRules.length)
    for (const rule of alertRules) {
      expect(Object.keys(rule).every((k) => ['alert', 'expr', 'for', 'labels', 'annotations', 'keep_firing_for'].includes(k)), rule.alert).toBe(true)
      expect(rule.alert, 'CamelCase names').toMatch(/^[A-Z][A-Za-z]+$/)
      expect(rule.for ?? '0s', rule.alert).toMatch(/^\d+[smh]$/)
      expect(['critical', 'warning'], rule.alert).toContain(rule.labels?.severity)
      expect(rule.annotations?.summary, rule.alert).toBeTruthy()
      expect(rule.annotations?.description, rule.alert).toBeTruthy()
      // Balanced parentheses and braces: a typo Prometheus would refuse at start.
      for (const [open, close] of [['(', ')'], ['{', '}'], ['[', ']']] as const) expect(rule.expr.split(open).length, `${rule.alert}: ${open}${close}`).toBe(rule.expr.split(close).length)
    }
    for (const severity of ['critical', 'warning']) expect(alertRules.some((r) => r.labels?.severity === severity)).toBe(true)
  })

  it('provisions both data sources the dashboard uses, and the dashboard from deploy/grafana/dashboards', () => {
    const sources = (parse(read('deploy/grafana/provisioning/datasources/datasources.yaml')) as { datasources: { uid: string; url: string; type: string }[] }).datasources
    expect(sources.map((s) => `${s.type}:${s.uid}:${s.url}`).sort()).toEqual(['loki:loki:http://loki:3100', 'prometheus:prometheus:http://prometheus:9090'])
    const used = new Set(dashboard.panels.flatMap((p) => [p.datasource?.uid, ...(p.targets ?? []).map((t) => t.datasource?.uid)]).filter(Boolean))
    expect([...used].sort()).toEqual(['loki', 'prometheus'])
    const providers = (parse(read('deploy/grafana/provisioning/dashboards/dashboards.yaml')) as { providers: { options: { path: string } }[] }).providers
    expect(providers[0]!.options.path).toBe('/var/lib/grafana/dashboards')
    expect(compose.services.grafana!.volumes).toContain('./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro')
    expect(read('deploy/alloy/config.alloy')).toContain('http://loki:3100/loki/api/v1/push')
  })

  it('searches logs by request id (a dashboard variable) on the fields the app logs', () => {
    expect(dashboard.templating.list.map((v) => v.name)).toContain('request_id')
    expect(lokiTargets.some((t) => /\| json \|.*requestId =~ "\$\{request_id/.test(t.expr))).toBe(true)
  })
})

describe('the dashboard against a running app', () => {
  let app: RunningApp
  // The public-demo sandbox: a bot, a queue and the demo business, nothing outside the machine.
  beforeAll(async () => {
    app = await startApp()
  })
  afterAll(async () => {
    await app?.stop()
  })

  it('queries only metrics /metrics exports (so no panel goes silently empty after a rename)', async () => {
    // One request of each kind the panels count, so the histogram has samples.
    await fetch(`${app.url}/api/catalog/products`)
    const text = await (await fetch(`${app.url}/metrics`, { headers: metricsHeaders })).text()
    const declared = new Set([...text.matchAll(/^# TYPE (\S+) (\w+)$/gm)].flatMap(([, name, type]) => (type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name!])))
    const queried = [...new Set(promTargets.flatMap((t) => metricNames(t.expr)))].sort()
    expect(queried.length).toBeGreaterThan(10)
    expect(queried.filter((m) => !declared.has(m))).toEqual([])
    // The alert rules, too: an alert on a renamed metric would never fire.
    const alerted = [...new Set(alertRules.flatMap((r) => metricNames(r.expr)))].sort()
    expect(alerted.length).toBeGreaterThan(8)
    expect(alerted.filter((m) => !declared.has(m) && !PROMETHEUS_OWN.has(m))).toEqual([])
    // The business figures the dashboard graphs are there with a value.
    for (const kind of ['orders_placed', 'orders_paid', 'bookings', 'conversations']) expect(text).toMatch(new RegExp(`^business_records\\{kind="${kind}"\\} \\d+$`, 'm'))
    expect(text).toMatch(/^queue_lag_seconds\{queue="[^"]+"\} [\d.e+-]+$/m)
  })

  it('logs one JSON line per request with the requestId the dashboard searches for', async () => {
    const res = await fetch(`${app.url}/api/catalog/products`, { headers: { 'x-request-id': 'dash-check-0001' } })
    expect(res.headers.get('x-request-id')).toBe('dash-check-0001')
    await new Promise((r) => setTimeout(r, 200))
    expect(app.logs().find((l) => l.requestId === 'dash-check-0001')).toMatchObject({ level: 'info', msg: 'request', route: '/api/catalog/products', status: 200 })
  })
})
