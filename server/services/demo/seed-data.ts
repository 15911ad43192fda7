import type { FormInput } from '../../../shared/schemas/forms'
import type { LocalizedText } from '../../db/schema/_columns'
import type { ProductAttribute, ProductOption } from '../../db/schema/catalog'

/**
 * Demo business: a Moscow specialty coffee shop with delivery and a few bookable classes.
 * Prices are in kopecks (minor units of RUB). Everything here is what a real shop would show.
 */
export const DEMO_BUSINESS = {
  name: { ru: 'Кофейня «Зерно»', en: 'Zerno Coffee' },
  tagline: { ru: 'Свежая обжарка, завтраки весь день и доставка за 40 минут', en: 'Fresh roasts, all-day breakfast and delivery in 40 minutes' },
  catalogTitle: { ru: 'Меню', en: 'Menu' },
  menuHint: { ru: 'Кофе, завтраки, десерты', en: 'Coffee, breakfast, desserts' },
  address: { ru: 'Москва, ул. Покровка, 17, стр. 1', en: '17/1 Pokrovka St, Moscow' },
  phone: '+7 495 120-45-67',
  hours: { ru: 'Ежедневно 8:00–22:00', en: 'Daily 8 am – 10 pm' },
  currency: 'RUB',
  timezone: 'Europe/Moscow',
  country: 'RU',
}

type DemoCategory = { slug: string; name: LocalizedText; description: LocalizedText }
type DemoProduct = {
  options?: ProductOption[]
  slug: string
  category: string
  name: LocalizedText
  description: LocalizedText
  price: number
  compareAt?: number
  stock: number
  attributes: ProductAttribute[]
  tags: string[]
}

/** The facts the demo products show, named in both languages. */
const ATTRIBUTE_NAMES = {
  volume: { ru: 'Объём', en: 'Volume' },
  weight: { ru: 'Вес', en: 'Weight' },
  roast: { ru: 'Обжарка', en: 'Roast' },
  process: { ru: 'Обработка', en: 'Process' },
  color: { ru: 'Цвет', en: 'Colour' },
} satisfies Record<string, LocalizedText>
const fact = (key: keyof typeof ATTRIBUTE_NAMES, ru: string, en: string): ProductAttribute => ({ key, name: ATTRIBUTE_NAMES[key], value: { ru, en } })
const ml = (n: number) => fact('volume', `${n} мл`, `${n} ml`)
const grams = (n: number) => fact('weight', `${n} г`, `${n} g`)

const MILK: ProductOption = {
  key: 'milk',
  name: { ru: 'Молоко', en: 'Milk' },
  required: false,
  values: [
    { value: 'cow', name: { ru: 'Коровье', en: 'Whole milk' }, priceDeltaMinor: 0 },
    { value: 'oat', name: { ru: 'Овсяное', en: 'Oat' }, priceDeltaMinor: 6000 },
    { value: 'almond', name: { ru: 'Миндальное', en: 'Almond' }, priceDeltaMinor: 7000 },
  ],
}
const SIZE: ProductOption = {
  key: 'size',
  name: { ru: 'Объём', en: 'Size' },
  required: false,
  values: [
    // Each size sets the volume shown on the card.
    { value: 's', name: { ru: '250 мл', en: '250 ml' }, priceDeltaMinor: -3000, attributes: [{ key: 'volume', value: { ru: '250 мл', en: '250 ml' } }] },
    { value: 'm', name: { ru: '300 мл', en: '300 ml' }, priceDeltaMinor: 0, attributes: [{ key: 'volume', value: { ru: '300 мл', en: '300 ml' } }] },
    { value: 'l', name: { ru: '400 мл', en: '400 ml' }, priceDeltaMinor: 5000, attributes: [{ key: 'volume', value: { ru: '400 мл', en: '400 ml' } }] },
  ],
}

export const DEMO_PICKUP_POINTS = [
  { slug: 'pokrovka', name: { ru: 'Кофейня на Покровке', en: 'Pokrovka café' }, address: { ru: 'ул. Покровка, 17, стр. 1', en: '17/1 Pokrovka St' }, hours: { ru: 'Ежедневно 8:00–22:00', en: 'Daily 8 am – 10 pm' } },
  { slug: 'sretenka', name: { ru: 'Окно выдачи на Сретенке', en: 'Sretenka pickup window' }, address: { ru: 'ул. Сретенка, 24', en: '24 Sretenka St' }, hours: { ru: 'Пн–Пт 8:00–20:00', en: 'Mon–Fri 8 am – 8 pm' } },
]

/**
 * For addresses typed in Telegram's payment form: central Moscow post codes (101xxx-109xxx) are the
 * centre zone, the rest of Moscow the Third Ring zone; anywhere else is refused.
 */
export const DEMO_DELIVERY_ZONES = [
  { slug: 'center', name: { ru: 'Центр (до 3 км)', en: 'Centre (up to 3 km)' }, description: { ru: 'Внутри Садового кольца', en: 'Inside the Garden Ring' }, priceMinor: 19000, freeFromMinor: 150000, minOrderMinor: 50000, etaMinutes: 40, countryCode: 'RU', cities: [], postCodePrefixes: ['101', '103', '105', '107', '109'] },
  { slug: 'ttk', name: { ru: 'До ТТК (до 7 км)', en: 'Up to the Third Ring (7 km)' }, description: { ru: 'Между Садовым кольцом и ТТК', en: 'Between the Garden Ring and the Third Ring' }, priceMinor: 29000, freeFromMinor: 250000, minOrderMinor: 80000, etaMinutes: 60, countryCode: 'RU', cities: ['Москва', 'Moscow'], postCodePrefixes: [] },
]

export const DEMO_CATEGORIES: DemoCategory[] = [
  { slug: 'coffee', name: { ru: 'Кофе', en: 'Coffee' }, description: { ru: 'Эспрессо-напитки и фильтр на зерне недели', en: 'Espresso drinks and filter with the bean of the week' } },
  { slug: 'tea', name: { ru: 'Чай и не кофе', en: 'Tea & more' }, description: { ru: 'Листовой чай, какао, матча', en: 'Loose-leaf tea, cocoa, matcha' } },
  { slug: 'breakfast', name: { ru: 'Завтраки', en: 'Breakfast' }, description: { ru: 'Подаём весь день', en: 'Served all day' } },
  { slug: 'desserts', name: { ru: 'Десерты', en: 'Desserts' }, description: { ru: 'Печём каждое утро', en: 'Baked every morning' } },
  { slug: 'beans', name: { ru: 'Зерно домой', en: 'Beans to go' }, description: { ru: 'Обжариваем по вторникам и пятницам', en: 'Roasted on Tuesdays and Fridays' } },
  { slug: 'merch', name: { ru: 'Посуда и мерч', en: 'Gear & merch' }, description: { ru: 'Всё для заваривания дома', en: 'Everything to brew at home' } },
]

export const DEMO_PRODUCTS: DemoProduct[] = [
  { slug: 'cappuccino', category: 'coffee', name: { ru: 'Капучино', en: 'Cappuccino' }, description: { ru: 'Двойной эспрессо и бархатное молоко. Можно на овсяном.', en: 'Double espresso with silky milk. Oat milk on request.' }, price: 22000, stock: 500, attributes: [ml(300)], tags: ['hot', 'bestseller'], options: [MILK, SIZE] },
  { slug: 'flat-white', category: 'coffee', name: { ru: 'Флэт уайт', en: 'Flat white' }, description: { ru: 'Крепче капучино: два шота ристретто и меньше молока.', en: 'Stronger than a cappuccino: two ristretto shots, less milk.' }, price: 24000, stock: 500, attributes: [ml(200)], tags: ['hot'], options: [MILK] },
  { slug: 'latte-raf', category: 'coffee', name: { ru: 'Раф ванильный', en: 'Vanilla raf' }, description: { ru: 'Эспрессо, сливки и ваниль, взбитые вместе. Сладкий и нежный.', en: 'Espresso, cream and vanilla whipped together. Sweet and smooth.' }, price: 29000, stock: 400, attributes: [ml(350)], tags: ['hot', 'sweet'] },
  { slug: 'americano', category: 'coffee', name: { ru: 'Американо', en: 'Americano' }, description: { ru: 'Двойной эспрессо с горячей водой.', en: 'Double espresso topped up with hot water.' }, price: 17000, stock: 500, attributes: [ml(300)], tags: ['hot'] },
  { slug: 'espresso-tonic', category: 'coffee', name: { ru: 'Эспрессо-тоник', en: 'Espresso tonic' }, description: { ru: 'Тоник, лёд, апельсин и эспрессо на эфиопском зерне.', en: 'Tonic, ice, orange and an Ethiopian espresso shot.' }, price: 27000, stock: 300, attributes: [ml(350)], tags: ['cold', 'summer'] },
  { slug: 'v60-filter', category: 'coffee', name: { ru: 'Фильтр V60', en: 'V60 pour-over' }, description: { ru: 'Зерно недели, заваренное вручную. Спросите бариста про вкус.', en: 'Bean of the week, brewed by hand. Ask the barista about the notes.' }, price: 26000, stock: 200, attributes: [ml(250)], tags: ['hot', 'filter'] },
  { slug: 'matcha-latte', category: 'tea', name: { ru: 'Матча латте', en: 'Matcha latte' }, description: { ru: 'Японская матча церемониального сорта с молоком.', en: 'Ceremonial-grade Japanese matcha with milk.' }, price: 28000, stock: 200, attributes: [ml(300)], tags: ['hot'], options: [MILK] },
  { slug: 'cocoa', category: 'tea', name: { ru: 'Какао с маршмеллоу', en: 'Cocoa with marshmallows' }, description: { ru: 'Бельгийский шоколад и маршмеллоу ручной работы.', en: 'Belgian chocolate and handmade marshmallows.' }, price: 23000, stock: 250, attributes: [ml(300)], tags: ['hot', 'kids'] },
  { slug: 'sencha', category: 'tea', name: { ru: 'Сенча', en: 'Sencha green tea' }, description: { ru: 'Японский зелёный чай, чайник на 500 мл.', en: 'Japanese green tea, a 500 ml pot.' }, price: 25000, stock: 150, attributes: [ml(500)], tags: ['hot'] },
  { slug: 'syrniki', category: 'breakfast', name: { ru: 'Сырники со сметаной', en: 'Syrniki with sour cream' }, description: { ru: 'Три сырника из фермерского творога, сметана и ягодный джем.', en: 'Three farmer’s cheese pancakes with sour cream and berry jam.' }, price: 39000, stock: 60, attributes: [grams(220)], tags: ['vegetarian', 'bestseller'] },
  { slug: 'shakshuka', category: 'breakfast', name: { ru: 'Шакшука', en: 'Shakshuka' }, description: { ru: 'Яйца в томатах с перцем и фетой, хлеб на закваске.', en: 'Eggs baked in tomatoes and peppers with feta, sourdough bread.' }, price: 49000, stock: 40, attributes: [grams(350)], tags: ['vegetarian', 'spicy'] },
  { slug: 'avocado-toast', category: 'breakfast', name: { ru: 'Тост с авокадо и яйцом пашот', en: 'Avocado toast with poached egg' }, description: { ru: 'Хлеб на закваске, авокадо, яйцо пашот, микрозелень.', en: 'Sourdough, avocado, a poached egg and microgreens.' }, price: 52000, stock: 35, attributes: [grams(250)], tags: ['vegetarian'] },
  { slug: 'granola', category: 'breakfast', name: { ru: 'Гранола с йогуртом', en: 'Granola with yogurt' }, description: { ru: 'Домашняя гранола, греческий йогурт, сезонные ягоды.', en: 'House granola, Greek yogurt, seasonal berries.' }, price: 34000, stock: 45, attributes: [grams(230)], tags: ['vegetarian', 'light'] },
  { slug: 'croissant', category: 'desserts', name: { ru: 'Круассан', en: 'Butter croissant' }, description: { ru: 'Слоёное тесто на французском масле, печём каждое утро.', en: 'Laminated with French butter, baked every morning.' }, price: 19000, stock: 80, attributes: [grams(80)], tags: ['bakery'] },
  { slug: 'cheesecake', category: 'desserts', name: { ru: 'Чизкейк Сан-Себастьян', en: 'Basque cheesecake' }, description: { ru: 'Обожжённый сверху, кремовый внутри.', en: 'Burnt on top, creamy inside.' }, price: 36000, stock: 24, attributes: [grams(150)], tags: ['bestseller'] },
  { slug: 'carrot-cake', category: 'desserts', name: { ru: 'Морковный торт', en: 'Carrot cake' }, description: { ru: 'С грецким орехом и сливочным кремом.', en: 'With walnuts and cream cheese frosting.' }, price: 34000, stock: 20, attributes: [grams(160)], tags: ['nuts'] },
  { slug: 'cinnamon-roll', category: 'desserts', name: { ru: 'Синнабон с корицей', en: 'Cinnamon roll' }, description: { ru: 'Мягкая булочка с корицей и глазурью.', en: 'A soft cinnamon bun with glaze.' }, price: 21000, stock: 0, attributes: [grams(120)], tags: ['bakery'] },
  { slug: 'ethiopia-yirgacheffe', category: 'beans', name: { ru: 'Эфиопия Иргачеффе, 250 г', en: 'Ethiopia Yirgacheffe, 250 g' }, description: { ru: 'Светлая обжарка: бергамот, жасмин, персик. Для фильтра.', en: 'Light roast: bergamot, jasmine, peach. For filter brewing.' }, price: 129000, stock: 30, attributes: [grams(250), fact('roast', 'светлая', 'light'), fact('process', 'мытая', 'washed')], tags: ['filter'] },
  { slug: 'brazil-cerrado', category: 'beans', name: { ru: 'Бразилия Серрадо, 250 г', en: 'Brazil Cerrado, 250 g' }, description: { ru: 'Средняя обжарка: шоколад, орех, карамель. Для эспрессо.', en: 'Medium roast: chocolate, nuts, caramel. For espresso.' }, price: 99000, compareAt: 115000, stock: 45, attributes: [grams(250), fact('roast', 'средняя', 'medium'), fact('process', 'натуральная', 'natural')], tags: ['espresso'] },
  { slug: 'colombia-decaf', category: 'beans', name: { ru: 'Колумбия без кофеина, 250 г', en: 'Colombia decaf, 250 g' }, description: { ru: 'Декаф методом сахарного тростника: какао, красное яблоко.', en: 'Sugarcane-process decaf: cocoa, red apple.' }, price: 109000, stock: 12, attributes: [grams(250), fact('roast', 'средняя', 'medium'), fact('process', 'декаф на сахарном тростнике', 'sugarcane decaf')], tags: ['espresso', 'filter'] },
  { slug: 'hario-v60', category: 'merch', name: { ru: 'Воронка Hario V60', en: 'Hario V60 dripper' }, description: { ru: 'Керамическая воронка на 1–4 чашки.', en: 'Ceramic dripper for 1–4 cups.' }, price: 250000, stock: 8, attributes: [fact('color', 'белый', 'white')], tags: ['brewing'] },
  { slug: 'zerno-tumbler', category: 'merch', name: { ru: 'Термокружка «Зерно»', en: 'Zerno tumbler' }, description: { ru: '350 мл, держит тепло 4 часа. Со своей кружкой кофе на 10% дешевле.', en: '350 ml, keeps drinks hot for 4 hours. 10% off drinks in your own cup.' }, price: 190000, stock: 15, attributes: [ml(350), fact('color', 'чёрный', 'black')], tags: ['gift'] },
]

export const DEMO_SERVICES = [
  { slug: 'barista-basics', name: { ru: 'Мастер-класс «Бариста с нуля»', en: 'Barista basics class' }, description: { ru: 'Два часа у кофемашины: эспрессо, молоко, первые рисунки латте-арт. До 4 человек.', en: 'Two hours at the espresso machine: shots, milk, first latte art. Up to 4 people.' }, durationMinutes: 120, priceMinor: 350000, capacity: 4, bufferAfterMinutes: 30, slotStepMinutes: 60 },
  { slug: 'cupping', name: { ru: 'Каппинг: дегустация зерна', en: 'Cupping: coffee tasting' }, description: { ru: 'Пробуем шесть сортов и учимся различать вкусы. Час.', en: 'Taste six coffees and learn to tell the notes apart. One hour.' }, durationMinutes: 60, priceMinor: 150000, capacity: 6, bufferBeforeMinutes: 15, slotStepMinutes: 60, prepaymentMethod: 'stars' as const, prepaymentMinor: 100, refundDeadlineMinutes: 720 },
  { slug: 'latte-art', name: { ru: 'Латте-арт: сердце и тюльпан', en: 'Latte art: heart and tulip' }, description: { ru: 'Индивидуальное занятие с бариста-чемпионом. 90 минут.', en: 'One-on-one with a champion barista. 90 minutes.' }, durationMinutes: 90, priceMinor: 450000, bufferAfterMinutes: 15, reminderOffsetsMinutes: [1440, 180] },
  { slug: 'table-8', name: { ru: 'Большой стол на 8 гостей', en: 'Large table for 8' }, description: { ru: 'Бронь стола у окна для встреч и дней рождения.', en: 'The window table for meetings and birthdays.' }, durationMinutes: 120, priceMinor: 0, slotStepMinutes: 60, cancelDeadlineMinutes: 60 },
]

const weekdays = (from: string, to: string) => Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [String(d), [from, to] as [string, string]]))
const lunch = (from: string, to: string) => Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [String(d), [[from, to]] as [string, string][]]))
const withoutMonday = (hours: Record<string, [string, string]>) => Object.fromEntries(Object.entries(hours).filter(([d]) => d !== '1'))

export const DEMO_RESOURCES = [
  // Anna lunches 14:00-15:00; Ivan roasts on Mondays (his day off from classes).
  { slug: 'anna', name: { ru: 'Анна, старший бариста', en: 'Anna, head barista' }, workingHours: weekdays('10:00', '19:00'), breaks: lunch('14:00', '15:00'), services: ['barista-basics', 'cupping', 'latte-art'] },
  { slug: 'ivan', name: { ru: 'Иван, обжарщик', en: 'Ivan, roaster' }, workingHours: withoutMonday(weekdays('12:00', '20:00')), services: ['cupping', 'barista-basics'] },
  { slug: 'window-table', name: { ru: 'Стол у окна', en: 'Window table' }, workingHours: weekdays('08:00', '22:00'), services: ['table-8'] },
]

/**
 * Demo people for the sandbox: one per role the product serves. Written only in the sandbox: with a
 * real bot these ids can be real Telegram users (server/services/demo/seed.ts). `phone` is what the
 * sandbox shares when the person accepts requestContact (as Telegram: digits, no "+").
 */
export const DEMO_PEOPLE = [
  { key: 'customer', telegramId: 9_000_000_001, firstName: 'Мария', lastName: 'Соколова', username: 'maria_demo', languageCode: 'ru', phone: '79161234501', roles: [] as const },
  { key: 'customer_en', telegramId: 9_000_000_002, firstName: 'Emma', lastName: 'Clarke', username: 'emma_demo', languageCode: 'en', phone: '447700900123', roles: [] as const },
  { key: 'operator', telegramId: 9_000_000_010, firstName: 'Олег', lastName: 'Петров', username: 'oleg_operator', languageCode: 'ru', phone: '79161234510', roles: ['operator'] as const },
  { key: 'staff', telegramId: 9_000_000_020, firstName: 'Дмитрий', lastName: 'Курьеров', username: 'dmitry_courier', languageCode: 'ru', phone: '79161234520', roles: ['staff'] as const },
  { key: 'owner', telegramId: 9_000_000_099, firstName: 'Алексей', lastName: 'Зернов', username: 'zerno_owner', languageCode: 'ru', phone: '79161234599', roles: ['owner'] as const },
]

/** The demo answer base: what a coffee shop's customers ask most, in both languages. */
export const DEMO_ARTICLES: { slug: string; category: string; title: LocalizedText; body: LocalizedText }[] = [
  {
    slug: 'delivery-time',
    category: 'delivery',
    title: { ru: 'Сколько ждать доставку?', en: 'How long does delivery take?' },
    body: {
      ru: 'Курьер привозит заказ в центре Москвы за 40 минут, в остальных зонах — до 90 минут. Статус заказа виден в приложении в разделе «Заказы», а о каждом шаге мы пишем в этот чат.',
      en: 'A courier brings your order within 40 minutes in central Moscow and within 90 minutes elsewhere. The order status is in the app under Orders, and we write to this chat at every step.',
    },
  },
  {
    slug: 'delivery-zones',
    category: 'delivery',
    title: { ru: 'Куда вы доставляете и сколько это стоит?', en: 'Where do you deliver and what does it cost?' },
    body: {
      ru: 'Доставляем в пределах МКАД. Стоимость зависит от зоны и указана при оформлении; от суммы заказа, указанной для зоны, доставка бесплатна. Самовывоз с Покровки — всегда бесплатно.',
      en: 'We deliver within the MKAD ring road. The price depends on the zone and is shown at checkout; above the zone\'s free-delivery amount it costs nothing. Pickup at Pokrovka is always free.',
    },
  },
  {
    slug: 'payment-methods',
    category: 'payment',
    title: { ru: 'Как можно оплатить заказ?', en: 'How can I pay?' },
    body: {
      ru: 'Картой прямо в Telegram при оформлении, звёздами Telegram за цифровые товары, либо наличными или картой курьеру при получении.',
      en: 'By card right in Telegram at checkout, with Telegram Stars for digital goods, or in cash or by card to the courier on delivery.',
    },
  },
  {
    slug: 'refunds',
    category: 'payment',
    title: { ru: 'Возврат денег: как вернуть оплату за заказ?', en: 'Refunds: how do I get my money back?' },
    body: {
      ru: 'Если заказ ещё не начали готовить, отмените его в приложении — деньги вернутся на карту за 3–5 рабочих дней. Если что-то не так с уже доставленным заказом, напишите оператору: вернём деньги или привезём замену.',
      en: 'If we have not started on the order, cancel it in the app and the money returns to your card within 3-5 business days. If something is wrong with a delivered order, write to an operator: we refund or bring a replacement.',
    },
  },
  {
    slug: 'change-order',
    category: 'orders',
    title: { ru: 'Можно ли изменить заказ?', en: 'Can I change my order?' },
    body: {
      ru: 'Пока заказ в статусе «Новый», его можно отменить и оформить заново. Если его уже готовят, напишите оператору — постараемся успеть.',
      en: 'While the order is New you can cancel it and place it again. If we are already preparing it, write to an operator and we will try to catch it in time.',
    },
  },
  {
    slug: 'allergens',
    category: 'menu',
    title: { ru: 'Где посмотреть состав и аллергены?', en: 'Where can I see ingredients and allergens?' },
    body: {
      ru: 'Состав, калорийность и аллергены указаны в карточке каждого блюда в меню. Растительное молоко можно выбрать в опциях напитка.',
      en: 'Ingredients, calories and allergens are on each item\'s page in the menu. Plant milk is one of the drink options.',
    },
  },
]

type Text = { ru: string; en: string }
const t = (ru: string, en: string): Text => ({ ru, en })

/**
 * Demo forms, published as version 1: a customer request with a condition (the order number is
 * asked only about an order), and a field staff visit report with photos and a location.
 */
export const DEMO_FORMS: FormInput[] = [
  {
    slug: 'catering',
    title: t('Заявка на кейтеринг', 'Catering request'),
    description: t('Расскажите о мероприятии — мы перезвоним с предложением.', 'Tell us about your event and we will call back with an offer.'),
    audience: 'anyone',
    destination: 'operators',
    definition: {
      steps: [
        {
          title: t('Мероприятие', 'The event'),
          fields: [
            { key: 'event', type: 'choice', label: t('Что за событие', 'What kind of event'), required: true, options: [{ value: 'office', label: t('Офис', 'Office') }, { value: 'party', label: t('Праздник', 'Party') }, { value: 'other', label: t('Другое', 'Other') }] },
            { key: 'event_other', type: 'text', label: t('Опишите событие', 'Describe the event'), required: true, max: 200, showIf: { field: 'event', equals: ['other'] } },
            { key: 'date', type: 'date', label: t('Дата', 'Date'), required: true },
            { key: 'guests', type: 'number', label: t('Сколько гостей', 'Number of guests'), required: true, min: 5, max: 500 },
          ],
        },
        {
          title: t('Меню', 'Menu'),
          fields: [
            { key: 'menu', type: 'multichoice', label: t('Что привезти', 'What to bring'), required: true, options: [{ value: 'coffee', label: t('Кофе', 'Coffee') }, { value: 'pastry', label: t('Выпечка', 'Pastry') }, { value: 'desserts', label: t('Десерты', 'Desserts') }] },
            { key: 'wishes', type: 'textarea', label: t('Пожелания', 'Wishes'), required: false, max: 2000 },
          ],
        },
        {
          title: t('Контакты', 'Contact'),
          fields: [
            { key: 'name', type: 'text', label: t('Имя', 'Name'), required: true, max: 80 },
            { key: 'phone', type: 'phone', label: t('Телефон', 'Phone'), required: true },
            { key: 'email', type: 'email', label: t('Эл. почта', 'Email'), required: false },
            { key: 'consent', type: 'consent', label: t('Согласен на обработку персональных данных', 'I agree to the processing of my personal data'), required: true },
          ],
        },
      ],
    },
  },
  {
    slug: 'visit-report',
    title: t('Отчёт о визите', 'Visit report'),
    description: t('Для сотрудников: точка, фото витрины, замечания.', 'For staff: the point, photos of the display, remarks.'),
    audience: 'staff',
    destination: 'operators',
    definition: {
      steps: [
        {
          title: t('Точка', 'The point'),
          fields: [
            { key: 'point', type: 'text', label: t('Название точки', 'Point name'), required: true, max: 120 },
            { key: 'where', type: 'location', label: t('Где вы', 'Where you are'), required: true },
          ],
        },
        {
          title: t('Фото и замечания', 'Photos and remarks'),
          fields: [
            { key: 'photos', type: 'photo', label: t('Фото витрины', 'Photos of the display'), required: true, min: 1, max: 5 },
            { key: 'state', type: 'choice', label: t('Состояние', 'Condition'), required: true, options: [{ value: 'ok', label: t('Всё в порядке', 'All fine') }, { value: 'issues', label: t('Есть замечания', 'Issues found') }] },
            { key: 'issues', type: 'textarea', label: t('Что не так', 'What is wrong'), required: true, max: 2000, showIf: { field: 'state', equals: ['issues'] } },
          ],
        },
      ],
    },
  },
]
