/**
 * One flat illustration per demo product (800x600 SVG), drawn from a few shared shapes: the demo
 * shows each product with its own picture, as a real shop's photos would. `scripts/demo-images`
 * turns them into the WebP files the seed stores through the files service.
 */

export const WIDTH = 800
export const HEIGHT = 600

type Svg = string

/** A warm backdrop and a table edge; `table` is the tabletop colour. */
function scene(top: string, bottom: string, table: string, body: Svg): Svg {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
<defs>
  <linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient>
  <linearGradient id="table" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${table}"/><stop offset="1" stop-color="${shade(table, -0.12)}"/></linearGradient>
  <radialGradient id="glow" cx="0.5" cy="0.35" r="0.6"><stop offset="0" stop-color="#fff" stop-opacity=".45"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>
  <linearGradient id="gloss" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#fff" stop-opacity="0"/><stop offset=".5" stop-color="#fff" stop-opacity=".35"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></linearGradient>
</defs>
<rect width="${WIDTH}" height="${HEIGHT}" fill="url(#wall)"/>
<rect width="${WIDTH}" height="${HEIGHT}" fill="url(#glow)"/>
<rect y="430" width="${WIDTH}" height="170" fill="url(#table)"/>
<rect y="430" width="${WIDTH}" height="4" fill="#fff" opacity=".25"/>
${body}
</svg>`
}

/** A hex colour lightened (amount > 0) or darkened (amount < 0). */
function shade(hex: string, amount: number) {
  const n = Number.parseInt(hex.slice(1), 16)
  const channel = (v: number) => Math.round(Math.min(255, Math.max(0, amount >= 0 ? v + (255 - v) * amount : v * (1 + amount))))
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map(channel)
  return `#${((1 << 24) | (r! << 16) | (g! << 8) | b!).toString(16).slice(1)}`
}

const shadow = (cx: number, cy: number, rx: number, ry: number, opacity = 0.16) => `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="#3b2413" opacity="${opacity}"/>`
const steam = (x: number, y: number, color = '#fff') =>
  [-34, 0, 34].map((dx, i) => `<path d="M${x + dx} ${y} c-16 -22 16 -34 0 -58 c-14 -20 10 -30 2 -46" fill="none" stroke="${color}" stroke-width="7" stroke-linecap="round" opacity="${0.55 - i * 0.08}"/>`).join('')

/** A saucer and a round cup seen from slightly above, with a drink inside and something drawn on it. */
function cupOnSaucer(o: { cx?: number; width: number; cupColor: string; drink: string; art?: Svg; saucer?: boolean; handle?: boolean; top?: number }) {
  const cx = o.cx ?? 400
  const w = o.width
  const top = o.top ?? 270
  const bottom = 440
  const saucer = o.saucer === false ? shadow(cx, 452, w * 0.8, 26) : `${shadow(cx, 458, w * 1.15, 34)}<ellipse cx="${cx}" cy="446" rx="${w * 1.1}" ry="38" fill="${shade(o.cupColor, -0.08)}"/><ellipse cx="${cx}" cy="440" rx="${w * 1.02}" ry="32" fill="${o.cupColor}"/><ellipse cx="${cx}" cy="440" rx="${w * 0.62}" ry="18" fill="${shade(o.cupColor, -0.06)}"/>`
  const handle = o.handle === false ? '' : `<path d="M${cx + w * 0.86} ${top + 40} c${w * 0.5} -6 ${w * 0.52} ${(bottom - top) * 0.62} ${w * 0.02} ${(bottom - top) * 0.66}" fill="none" stroke="${shade(o.cupColor, -0.05)}" stroke-width="${w * 0.13}" stroke-linecap="round"/>`
  const body = `<path d="M${cx - w} ${top} C${cx - w} ${bottom - 30} ${cx - w * 0.72} ${bottom} ${cx} ${bottom} C${cx + w * 0.72} ${bottom} ${cx + w} ${bottom - 30} ${cx + w} ${top} Z" fill="${o.cupColor}"/>
<path d="M${cx - w * 0.78} ${top + 24} C${cx - w * 0.74} ${bottom - 50} ${cx - w * 0.5} ${bottom - 20} ${cx - w * 0.2} ${bottom - 14}" fill="none" stroke="#fff" stroke-opacity=".5" stroke-width="10" stroke-linecap="round"/>`
  const rim = `<ellipse cx="${cx}" cy="${top}" rx="${w}" ry="${w * 0.28}" fill="${shade(o.cupColor, -0.1)}"/><ellipse cx="${cx}" cy="${top + 3}" rx="${w * 0.9}" ry="${w * 0.24}" fill="${o.drink}"/>`
  return `${saucer}${handle}${body}${rim}<g transform="translate(${cx} ${top + 3})">${o.art ?? ''}</g>`
}

/** Latte art centred on the drink's surface (drawn around 0,0). */
const heart = (color: string, s = 1) => `<path transform="scale(${s} ${s * 0.3})" d="M0 60 C-70 10 -60 -55 -18 -50 C-6 -48 0 -38 0 -30 C0 -38 6 -48 18 -50 C60 -55 70 10 0 60Z" fill="${color}"/>`
const tulip = (color: string, s = 1) =>
  `<g transform="scale(${s} ${s * 0.3})">${[40, 5, -30].map((y, i) => `<path d="M${-46 + i * 8} ${y} Q0 ${y - 52 + i * 6} ${46 - i * 8} ${y} Q0 ${y - 20} ${-46 + i * 8} ${y}Z" fill="${color}"/>`).join('')}<rect x="-3" y="-40" width="6" height="100" fill="${color}"/></g>`
const leafArt = (color: string, s = 1) =>
  `<g transform="scale(${s} ${s * 0.3})"><path d="M0 -60 C45 -30 45 30 0 62 C-45 30 -45 -30 0 -60Z" fill="${color}"/>${[-36, -14, 8, 30].map((y) => `<path d="M0 ${y} l-26 -14 M0 ${y} l26 -14" stroke="${shade(color, -0.25)}" stroke-width="5"/>`).join('')}<path d="M0 -58 V60" stroke="${shade(color, -0.25)}" stroke-width="5"/></g>`

/** A tall glass with layers from the bottom up (colour, height in px), optional ice and a garnish. */
function glass(o: { cx?: number; layers: [string, number][]; ice?: boolean; garnish?: Svg; width?: number; foam?: string }) {
  const cx = o.cx ?? 400
  const w = o.width ?? 82
  const top = 170
  const bottom = 440
  // Each layer fills the glass from its own top down to the layer below it.
  let y = bottom
  const halfWidth = (at: number) => w * (0.88 + ((bottom - at) / (bottom - top)) * 0.12)
  const layers = o.layers
    .map(([color, h], i) => {
      const lower = y
      y -= h
      const base = i === 0 ? `L${cx - w * 0.88} ${bottom - 12} Q${cx} ${bottom + 4} ${cx + w * 0.88} ${bottom - 12}` : `L${cx - halfWidth(lower)} ${lower} L${cx + halfWidth(lower)} ${lower}`
      return `<path d="M${cx - halfWidth(y)} ${y} ${base} L${cx + halfWidth(y)} ${y} Z" fill="${color}"/>`
    })
    .join('')
  const surface = y
  const ice = o.ice ? [[-30, surface + 20, 14], [18, surface + 8, -10], [-8, surface + 62, 8], [30, surface + 70, 20]].map(([dx, cy, r]) => `<rect x="${cx + dx! - 24}" y="${cy! - 22}" width="48" height="44" rx="8" transform="rotate(${r} ${cx + dx!} ${cy})" fill="#fff" opacity=".45" stroke="#fff" stroke-opacity=".7" stroke-width="2"/>`).join('') : ''
  const foam = o.foam ? `<ellipse cx="${cx}" cy="${surface}" rx="${w * 1.0}" ry="14" fill="${o.foam}"/>` : ''
  return `${shadow(cx, 446, w * 1.3, 20)}
<path d="M${cx - w} ${top} L${cx - w * 0.9} ${bottom - 10} Q${cx} ${bottom + 8} ${cx + w * 0.9} ${bottom - 10} L${cx + w} ${top} Z" fill="#fff" opacity=".28"/>
${layers}${foam}${ice}
<path d="M${cx - w} ${top} L${cx - w * 0.9} ${bottom - 10} Q${cx} ${bottom + 8} ${cx + w * 0.9} ${bottom - 10} L${cx + w} ${top}" fill="none" stroke="#fff" stroke-width="5" opacity=".8"/>
<ellipse cx="${cx}" cy="${top}" rx="${w}" ry="12" fill="none" stroke="#fff" stroke-width="5" opacity=".85"/>
<path d="M${cx - w * 0.7} ${top + 30} L${cx - w * 0.64} ${bottom - 40}" stroke="#fff" stroke-width="10" stroke-linecap="round" opacity=".35"/>
${o.garnish ?? ''}`
}

/** A round plate from slightly above, with `food` drawn on it. */
const plate = (food: Svg, color = '#fbfaf7', cx = 400, rx = 250) =>
  `${shadow(cx, 470, rx * 1.02, 62)}<ellipse cx="${cx}" cy="452" rx="${rx}" ry="66" fill="${shade(color, -0.07)}"/><ellipse cx="${cx}" cy="446" rx="${rx}" ry="62" fill="${color}"/><ellipse cx="${cx}" cy="446" rx="${rx * 0.72}" ry="42" fill="${shade(color, -0.035)}"/>${food}`

/** A stand-up coffee bag with a coloured label, and a few beans in front. */
function coffeeBag(o: { bag: string; label: string; ink: string; title: string; subtitle: string; accent: Svg }) {
  const beans = [[250, 470, -20], [290, 492, 25], [540, 486, 10], [580, 466, -35], [512, 508, 50]]
    .map(([x, y, r]) => `<g transform="translate(${x} ${y}) rotate(${r})"><ellipse rx="20" ry="14" fill="#5b3a24"/><path d="M-16 0 Q0 -6 16 0" fill="none" stroke="#2f1d11" stroke-width="3"/></g>`)
    .join('')
  return `${shadow(400, 452, 170, 24)}
<path d="M280 120 L520 120 L540 440 Q400 456 260 440 Z" fill="${o.bag}"/>
<path d="M280 120 L520 120 L524 150 L276 150 Z" fill="${shade(o.bag, -0.15)}"/>
<path d="M290 132 H510" stroke="${shade(o.bag, 0.2)}" stroke-width="4" stroke-dasharray="10 8"/>
<rect x="300" y="200" width="200" height="190" rx="14" fill="${o.label}"/>
<g transform="translate(400 250)">${o.accent}</g>
<text x="400" y="335" text-anchor="middle" font-family="Georgia, 'DejaVu Serif', serif" font-size="25" font-weight="700" fill="${o.ink}">${o.title}</text>
<text x="400" y="366" text-anchor="middle" font-family="'DejaVu Sans', Arial, sans-serif" font-size="15" letter-spacing="2" fill="${o.ink}" opacity=".85">${o.subtitle}</text>
<path d="M300 160 L310 430" stroke="#fff" stroke-width="12" opacity=".12" stroke-linecap="round"/>
${beans}`
}

const berry = (x: number, y: number, color: string, r = 11) => `<circle cx="${x}" cy="${y}" r="${r}" fill="${color}"/><circle cx="${x - r * 0.35}" cy="${y - r * 0.35}" r="${r * 0.3}" fill="#fff" opacity=".5"/>`

const COFFEE = ['#f6e7d6', '#efd6bd', '#b98a62'] as const
const TEA = ['#e6f0dc', '#d3e4c4', '#a98a6a'] as const
const BREAKFAST = ['#fdf0d5', '#f7dfb0', '#c49a6c'] as const
const DESSERT = ['#fbe4e4', '#f4cfd2', '#b58a78'] as const
const BEANS = ['#efe6da', '#e0d2bf', '#8c6a4f'] as const
const MERCH = ['#e4ebf2', '#d2dce6', '#9a8c7e'] as const

/** Every demo product's picture, by slug. */
export const ILLUSTRATIONS: Record<string, Svg> = {
  cappuccino: scene(...COFFEE, cupOnSaucer({ width: 140, cupColor: '#ffffff', drink: '#b07a4f', art: heart('#f6e8d6', 1.3) }) + steam(400, 230)),
  'flat-white': scene(...COFFEE, cupOnSaucer({ width: 112, top: 300, cupColor: '#2f6f73', drink: '#9a6238', art: tulip('#f4e4cf', 1.25) }) + steam(400, 262)),
  'latte-raf': scene(
    ...COFFEE,
    glass({ layers: [['#c99c73', 70], ['#dcb48c', 70], ['#ecd6bb', 100]], foam: '#fbf3e8' }) +
    `<g transform="translate(560 452) rotate(-8)"><path d="M-70 0 Q0 -14 70 0 Q0 8 -70 0Z" fill="#3d2a1a"/><path d="M-60 -2 Q0 -10 60 -2" stroke="#5a3f28" stroke-width="2" fill="none"/></g>` +
    `<g transform="translate(232 440)">${[0, 72, 144, 216, 288].map((a) => `<ellipse rx="11" ry="24" cy="-20" transform="rotate(${a})" fill="#f6ecc4"/>`).join('')}<circle r="9" fill="#e7c34a"/></g>`,
  ),
  americano: scene(...COFFEE, cupOnSaucer({ width: 130, top: 262, cupColor: '#f4f1ec', drink: '#3a2214', art: `<ellipse rx="60" ry="10" fill="#5a3620" opacity=".9"/><ellipse cx="-30" cy="-2" rx="14" ry="4" fill="#d9a273" opacity=".7"/>`, saucer: false }) + steam(400, 226)),
  'espresso-tonic': scene(
    '#e8f4f7',
    '#cfe6ec',
    '#b98a62',
    glass({
      layers: [['#f5d9a6', 90], ['#d89a4e', 60], ['#5b3216', 70]],
      ice: true,
      garnish: `<g transform="translate(470 170) rotate(20)"><circle r="46" fill="#f7a23b"/><circle r="38" fill="#fcd38a"/>${[0, 45, 90, 135].map((a) => `<path d="M0 0 L${38 * Math.cos((a * Math.PI) / 180)} ${38 * Math.sin((a * Math.PI) / 180)} M0 0 L${-38 * Math.cos((a * Math.PI) / 180)} ${-38 * Math.sin((a * Math.PI) / 180)}" stroke="#f7a23b" stroke-width="4"/>`).join('')}</g>`,
    }),
  ),
  'v60-filter': scene(
    ...COFFEE,
    `${shadow(400, 450, 150, 24)}
<path d="M300 330 Q300 450 400 450 Q500 450 500 330 Z" fill="#fff" opacity=".35" stroke="#fff" stroke-width="5"/>
<path d="M312 370 Q320 440 400 442 Q480 440 488 370 Z" fill="#7a4522"/>
<rect x="300" y="316" width="200" height="18" rx="9" fill="#e8e2da"/>
<path d="M262 150 L538 150 L438 316 L362 316 Z" fill="#f8f6f2"/><path d="M262 150 L538 150" stroke="#ddd5cb" stroke-width="8" stroke-linecap="round"/>
${[-70, -35, 0, 35, 70].map((dx) => `<path d="M${400 + dx} 168 L${400 + dx * 0.4} 300" stroke="#e4ddd3" stroke-width="4"/>`).join('')}
<path d="M286 158 L514 158 L430 296 L370 296 Z" fill="#efe3cf" opacity=".8"/><ellipse cx="400" cy="166" rx="100" ry="12" fill="#7a4522"/>
<path d="M400 318 L400 372" stroke="#5b3216" stroke-width="5" stroke-dasharray="8 8"/>`,
  ),
  'matcha-latte': scene(...TEA, cupOnSaucer({ width: 136, cupColor: '#f2ede4', drink: '#8fb35a', art: leafArt('#e9f1d8', 1.2) }) + steam(400, 232)),
  cocoa: scene(
    ...DESSERT,
    cupOnSaucer({
      width: 126,
      top: 262,
      cupColor: '#c9504a',
      drink: '#6b3b26',
      saucer: false,
      art: [[-56, -4], [-18, -14], [20, -6], [54, -12], [-30, 10], [12, 12], [44, 6]].map(([x, y], i) => `<rect x="${x! - 17}" y="${y! - 11}" width="34" height="22" rx="7" fill="${i % 3 ? '#fff8f0' : '#fbd3de'}" stroke="#e8d9cc" stroke-width="2"/>`).join(''),
    }) + steam(400, 212),
  ),
  sencha: scene(
    ...TEA,
    `${shadow(330, 452, 150, 26)}
<ellipse cx="330" cy="340" rx="136" ry="108" fill="#5d8a5e"/><path d="M204 320 Q212 250 330 238 Q448 250 456 320" fill="#6f9d6e"/>
<ellipse cx="330" cy="240" rx="70" ry="16" fill="#4b744c"/><circle cx="330" cy="222" r="14" fill="#4b744c"/>
<path d="M450 318 Q520 300 540 250" fill="none" stroke="#5d8a5e" stroke-width="22" stroke-linecap="round"/>
<path d="M232 300 Q220 228 276 218 M384 218 Q440 228 428 300" fill="none" stroke="#b98a5a" stroke-width="8" stroke-linecap="round"/>
<path d="M230 360 Q330 400 430 360" fill="none" stroke="#fff" stroke-width="6" opacity=".3"/>
${shadow(580, 452, 70, 14)}<path d="M520 380 Q522 446 580 446 Q638 446 640 380 Z" fill="#f3efe6"/><ellipse cx="580" cy="380" rx="60" ry="14" fill="#e1d9c9"/><ellipse cx="580" cy="382" rx="52" ry="10" fill="#c4cf6e"/>`,
  ),
  syrniki: scene(
    ...BREAKFAST,
    plate(
      [[320, 430], [470, 436], [396, 400]]
        .map(([x, y]) => `<ellipse cx="${x}" cy="${y! + 12}" rx="78" ry="34" fill="#b8702f"/><ellipse cx="${x}" cy="${y}" rx="78" ry="32" fill="#e2a65a"/><ellipse cx="${x}" cy="${y! - 2}" rx="60" ry="22" fill="#eeb96c"/>`)
        .join('') +
        `<path d="M500 400 q20 -30 50 -8 q24 -22 36 8 q10 24 -40 30 q-50 -4 -46 -30z" fill="#fffaf0"/><path d="M268 388 q18 -22 44 -4 q10 20 -24 26 q-30 -4 -20 -22z" fill="#b3213b"/>${berry(560, 402, '#9f1d35', 9)}${berry(284, 392, '#c0284a', 8)}<path d="M540 384 l10 -16 l10 16" fill="#4f8a3a"/>`,
    ),
  ),
  shakshuka: scene(
    ...BREAKFAST,
    `${shadow(400, 466, 240, 50)}<path d="M600 410 L720 370" stroke="#2b2b2b" stroke-width="22" stroke-linecap="round"/>
<ellipse cx="400" cy="430" rx="220" ry="70" fill="#2b2b2b"/><ellipse cx="400" cy="420" rx="200" ry="58" fill="#3a3a3a"/><ellipse cx="400" cy="424" rx="186" ry="50" fill="#c73b22"/>
${[[330, 418], [440, 404], [470, 440], [370, 446]].map(([x, y]) => `<ellipse cx="${x}" cy="${y}" rx="40" ry="16" fill="#fffaf2"/><ellipse cx="${x! + 4}" cy="${y! - 2}" rx="15" ry="9" fill="#f6b21b"/>`).join('')}
${[[280, 430], [520, 420], [410, 380], [300, 396], [500, 452]].map(([x, y]) => `<rect x="${x}" y="${y}" width="16" height="12" rx="3" fill="#fbf7ee"/>`).join('')}
${[[260, 410], [540, 432], [420, 460], [350, 392]].map(([x, y]) => `<path d="M${x} ${y} l8 -10 l6 10 z" fill="#3f8a3a"/>`).join('')}`,
  ),
  'avocado-toast': scene(
    ...BREAKFAST,
    plate(
      `<path d="M250 440 Q240 360 300 352 L500 352 Q560 356 552 440 Q400 470 250 440Z" fill="#c98a4b"/><path d="M262 432 Q256 372 304 366 L496 366 Q542 370 538 432 Q400 456 262 432Z" fill="#eecf9a"/>
${[290, 340, 390, 440, 490].map((x, i) => `<path d="M${x - 22} ${412 - (i % 2) * 6} q22 -34 50 0 q-24 14 -50 0z" fill="#8fb644"/><path d="M${x - 16} ${410 - (i % 2) * 6} q16 -22 38 0" fill="none" stroke="#c7de7a" stroke-width="4"/>`).join('')}
<ellipse cx="400" cy="386" rx="62" ry="30" fill="#fffdf6"/><ellipse cx="404" cy="382" rx="26" ry="16" fill="#f7b500"/>
${[[330, 380], [470, 384], [360, 400], [440, 404]].map(([x, y]) => `<path d="M${x} ${y} l6 -10 l6 10 l-6 -3z" fill="#2f7d32"/>`).join('')}<circle cx="430" cy="372" r="3" fill="#c0392b"/><circle cx="376" cy="392" r="3" fill="#c0392b"/>`,
    ),
  ),
  granola: scene(
    ...BREAKFAST,
    `${shadow(400, 462, 210, 40)}<path d="M200 330 Q210 470 400 470 Q590 470 600 330 Z" fill="#f0ece4"/><path d="M200 330 Q210 470 400 470 Q590 470 600 330" fill="none" stroke="#d9d1c3" stroke-width="4"/>
<ellipse cx="400" cy="330" rx="200" ry="52" fill="#e4ddd1"/><ellipse cx="400" cy="332" rx="184" ry="44" fill="#fbfbf7"/>
${Array.from({ length: 26 }, (_, i) => `<circle cx="${300 + ((i * 37) % 140)}" cy="${318 + ((i * 19) % 32)}" r="${7 + (i % 3) * 2}" fill="${['#c98f4b', '#b27736', '#deae69'][i % 3]}"/>`).join('')}
${berry(470, 318, '#3d3f8f', 12)}${berry(496, 334, '#3d3f8f', 11)}${berry(452, 340, '#c0284a', 12)}${berry(520, 316, '#c0284a', 10)}${berry(486, 300, '#3d3f8f', 10)}<path d="M430 300 l12 -20 l12 20" fill="#4f8a3a"/>`,
  ),
  croissant: scene(
    ...DESSERT,
    plate(
      `<path d="M238 436 Q250 330 400 318 Q550 330 562 436 Q540 410 500 404 Q460 372 400 370 Q340 372 300 404 Q260 410 238 436Z" fill="#c9802f"/>
<path d="M252 424 Q268 344 400 332 Q532 344 548 424 Q526 400 494 396 Q456 366 400 364 Q344 366 306 396 Q274 400 252 424Z" fill="#e6a347"/>
${[-120, -70, -22, 22, 70, 120].map((dx) => `<path d="M${400 + dx * 0.9} ${338 + Math.abs(dx) * 0.42} Q${400 + dx * 1.02} ${360 + Math.abs(dx) * 0.3} ${400 + dx * 0.92} ${378 + Math.abs(dx) * 0.2}" fill="none" stroke="#b86f26" stroke-width="7" stroke-linecap="round"/>`).join('')}
<path d="M330 346 Q400 326 470 346" fill="none" stroke="#f8d592" stroke-width="9" stroke-linecap="round" opacity=".9"/>`,
      '#f7f3ee',
    ),
  ),
  cheesecake: scene(
    ...DESSERT,
    plate(
      `<path d="M290 420 L520 360 L520 300 L290 360 Z" fill="#f3dfae"/><path d="M290 420 L290 360 L250 330 L250 390 Z" fill="#f8e9c2"/><path d="M290 360 L520 300 L480 276 L250 330 Z" fill="#6b3b1d"/><path d="M300 356 L510 302" stroke="#8a4e27" stroke-width="8"/>
<path d="M250 330 L480 276" stroke="#4a2813" stroke-width="6"/><path d="M290 420 L520 360" stroke="#e5c98c" stroke-width="5"/>${berry(560, 420, '#b3213b', 13)}${berry(586, 432, '#9f1d35', 11)}<path d="M548 404 l10 -18 l10 18" fill="#4f8a3a"/>`,
      '#fdfbf8',
    ),
  ),
  'carrot-cake': scene(
    ...DESSERT,
    plate(
      `<path d="M270 420 L530 378 L530 262 L270 304 Z" fill="#c7772e"/>
<path d="M270 346 L530 304 L530 320 L270 362 Z" fill="#fbf3e4"/><path d="M270 388 L530 346 L530 360 L270 402 Z" fill="#fbf3e4"/>
<path d="M270 304 L530 262 L470 236 L220 276 Z" fill="#fdf6e8"/><path d="M270 420 L270 304 L220 276 L220 392 Z" fill="#b36522"/>
${[[330, 270], [400, 258], [460, 248]].map(([x, y]) => `<path d="M${x! - 14} ${y} q6 -16 14 -6 q8 -12 14 4 q-4 12 -14 6 q-8 8 -14 -4z" fill="#8a5a35"/>`).join('')}
<path d="M410 232 l26 -6 l-10 14 z" fill="#e86a1f"/><path d="M436 224 l10 -12 M438 226 l14 -4" stroke="#3f8a3a" stroke-width="4" stroke-linecap="round"/>`,
      '#f7f3ee',
    ),
  ),
  'cinnamon-roll': scene(
    ...DESSERT,
    plate(
      `<ellipse cx="400" cy="420" rx="150" ry="52" fill="#b86b2c"/><ellipse cx="400" cy="404" rx="146" ry="54" fill="#d9904a"/>
<path d="M400 404 m0 -4 a16 8 0 1 1 -20 4 a34 16 0 1 1 44 -4 a56 26 0 1 1 -74 8 a82 36 0 1 1 110 -8 a112 44 0 1 1 -150 14" fill="none" stroke="#8d4c1d" stroke-width="9" stroke-linecap="round"/>
<path d="M300 390 q30 24 60 0 q30 26 60 0 q30 24 70 2" fill="none" stroke="#fffaf2" stroke-width="12" stroke-linecap="round" opacity=".92"/><path d="M330 420 q40 18 80 -2 q30 16 60 -2" fill="none" stroke="#fffaf2" stroke-width="9" stroke-linecap="round" opacity=".85"/>`,
      '#f7f3ee',
    ),
  ),
  'ethiopia-yirgacheffe': scene(
    ...BEANS,
    coffeeBag({
      bag: '#2f6f9f',
      label: '#fdf3d8',
      ink: '#1e3f5a',
      title: 'ETHIOPIA',
      subtitle: 'YIRGACHEFFE',
      accent: `<circle r="28" fill="#f2b705"/>${Array.from({ length: 10 }, (_, i) => `<path d="M0 -34 L0 -44" transform="rotate(${i * 36})" stroke="#f2b705" stroke-width="5" stroke-linecap="round"/>`).join('')}`,
    }),
  ),
  'brazil-cerrado': scene(
    ...BEANS,
    coffeeBag({
      bag: '#2e7d4f',
      label: '#fbf1d6',
      ink: '#1f4d31',
      title: 'BRAZIL',
      subtitle: 'CERRADO',
      accent: `<path d="M-36 22 Q-10 -46 0 -36 Q10 -46 36 22 Z" fill="#f2c230"/><path d="M-40 26 H40" stroke="#2e7d4f" stroke-width="6"/>`,
    }),
  ),
  'colombia-decaf': scene(
    ...BEANS,
    coffeeBag({
      bag: '#8e2f3c',
      label: '#f8ecdc',
      ink: '#5e1d27',
      title: 'COLOMBIA',
      subtitle: 'DECAF',
      accent: `<path d="M-30 20 L0 -32 L30 20 Z" fill="#3f6e4a"/><path d="M-14 20 L6 -8 L26 20 Z" fill="#6a9a62"/><circle cx="24" cy="-22" r="9" fill="#f2b705"/>`,
    }),
  ),
  'hario-v60': scene(
    ...MERCH,
    `${shadow(400, 452, 170, 24)}<ellipse cx="400" cy="436" rx="120" ry="22" fill="#f4f4f2"/><ellipse cx="400" cy="430" rx="120" ry="20" fill="#ffffff"/>
<path d="M236 190 L564 190 L450 420 L350 420 Z" fill="#ffffff"/><path d="M236 190 L350 420 L376 420 L272 190 Z" fill="#eceef0"/>
${[-80, -40, 0, 40, 80].map((dx) => `<path d="M${400 + dx} 214 L${400 + dx * 0.35} 396" stroke="#dfe3e7" stroke-width="6" stroke-linecap="round"/>`).join('')}
<ellipse cx="400" cy="190" rx="164" ry="26" fill="#f1f3f5"/><ellipse cx="400" cy="192" rx="146" ry="18" fill="#dfe4e8"/>
<path d="M562 210 Q640 220 620 300 Q604 350 530 330" fill="none" stroke="#ffffff" stroke-width="26" stroke-linecap="round"/><path d="M240 196 L560 196" stroke="url(#gloss)" stroke-width="6"/>`,
  ),
  'zerno-tumbler': scene(
    ...MERCH,
    `${shadow(400, 452, 110, 20)}<path d="M318 170 L482 170 L466 440 Q400 452 334 440 Z" fill="#23262b"/><path d="M330 190 L344 430" stroke="#fff" stroke-width="12" stroke-linecap="round" opacity=".12"/>
<rect x="306" y="128" width="188" height="48" rx="14" fill="#3a3f46"/><rect x="330" y="118" width="80" height="16" rx="8" fill="#50565e"/><rect x="306" y="162" width="188" height="10" fill="#2c3036"/>
<rect x="336" y="272" width="128" height="64" rx="10" fill="none" stroke="#e8c07a" stroke-width="3"/>
<text x="400" y="314" text-anchor="middle" font-family="Georgia, 'DejaVu Serif', serif" font-size="24" font-weight="700" letter-spacing="2" fill="#e8c07a">ЗЕРНО</text>`,
  ),
}
