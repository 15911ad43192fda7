import { BusinessProfileSchema } from '#shared/schemas/business'
import type { z } from 'zod'
import { AccountDeletionSchema, AccountIdParamsSchema, AddressInputSchema, AddressPatchSchema, AdminCustomersQuerySchema, CustomerDocumentParamsSchema, CustomerHistoryQuerySchema, CustomerNoteSchema, CustomerParamsSchema, DocumentTokenParamsSchema, HistoryQuerySchema, LegalDetailsSchema, ProfilePatchSchema } from '#shared/schemas/account'
import { AuditQuerySchema } from '#shared/schemas/audit'
import { AdminLinkSchema, AdminUsersQuerySchema, GrantRoleSchema, UpdateMeSchema, UserIdParamsSchema, UserRoleParamsSchema } from '#shared/schemas/auth'
import { CategoryInputSchema, CategoryPatchSchema, IdParamsSchema, ProductInputSchema, ProductListQuerySchema, ProductPatchSchema, ProductSlugParamsSchema, StockAdjustmentSchema } from '#shared/schemas/catalog'
import { AddToCartSchema, AdminOrdersQuerySchema, DeliverySettingsPatchSchema, DeliveryZoneInputSchema, DeliveryZonePatchSchema, PickupPointInputSchema, PickupPointPatchSchema, CartLineParamsSchema, CartLineUpdateSchema, CheckoutQuoteSchema, CheckoutSchema, OrderParamsSchema, OrderStatusChangeSchema } from '#shared/schemas/orders'
import { BookingResourceInputSchema, BookingResourcePatchSchema, BookingServiceInputSchema, BookingServicePatchSchema, ResourceExceptionDeleteQuerySchema, ResourceExceptionInputSchema, ResourceExceptionParamsSchema, ResourceExceptionsQuerySchema, StaffBookingInputSchema } from '#shared/schemas/booking-admin'
import { AdminBookingStatusSchema, AdminBookingsQuerySchema, BookingParamsSchema, HoldBookingSchema, JoinWaitlistSchema, RescheduleBookingSchema, ServiceSlugParamsSchema, SlotsQuerySchema, WaitlistParamsSchema } from '#shared/schemas/booking'
import { BookingReportQuerySchema, CalendarLinkQuerySchema, CalendarTokenParamsSchema, CreateFeedSchema, FeedParamsSchema, FeedTokenParamsSchema } from '#shared/schemas/booking-calendar'
import { AdminPaymentsQuerySchema, PaymentsReportQuerySchema, RefundSchema } from '#shared/schemas/payments'
import { SandboxCallbackBody, SandboxChatMessageBody, SandboxClockBody, SandboxContactBody, SandboxChatQuery, SandboxInvoiceParams, SandboxInvoicePayBody, SandboxLaunchQuery, SandboxShippingBody } from '#shared/schemas/sandbox'
import { BulkRetrySchema, LocateAddressSchema, ConnectorParamsSchema, DeliveriesQuerySchema, DeliveryParamsSchema, PartnerWebhookQuerySchema } from '#shared/schemas/integrations'
import { ArticleFeedbackSchema, ArticleIdParamsSchema, ArticleInputSchema, ArticlePatchSchema, ArticleSlugParamsSchema, ArticlesQuerySchema, AssignSchema, ConversationParamsSchema, ConversationStatusSchema, InboxQuerySchema, OperatorGroupSchema, OperatorMessageSchema, RatingSchema, SupportHoursSchema, SupportMessageParamsSchema, SupportMessageSchema } from '#shared/schemas/support'
import { AdminSubmissionsQuerySchema, DraftSaveSchema, FormIdParamsSchema, FormInputSchema, FormPatchSchema, FormSlugParamsSchema, MySubmissionsQuerySchema, SubmissionPatchSchema, SubmissionSchema } from '#shared/schemas/forms'
import { RetryJobSchema, UpdateReplayParamsSchema } from '#shared/schemas/system'
import { BroadcastClickParamsSchema, BroadcastInputSchema, BroadcastListQuerySchema, BroadcastParamsSchema, BroadcastScheduleSchema, BroadcastSegmentSchema } from '#shared/schemas/broadcasts'
import { ApiKeyInputSchema, ApiKeyParamsSchema, V1BookingsQuerySchema, V1CustomersQuerySchema, V1OrderParamsSchema, V1OrdersQuerySchema, V1OrderStatusSchema, V1PricesSchema, V1StockSchema, WebhookInputSchema, WebhookParamsSchema, WebhookPatchSchema, WebhookReplaySchema, type ApiScope } from '#shared/schemas/partner-api'
import { BusinessOverviewQuerySchema } from '#shared/schemas/insights'
import type { ErrorCode } from '#shared/errors'
import type { Permission } from '#shared/permissions'

/** How a route authenticates: none, Mini App initData, staff (initData or /admin cookie) with a permission, or Telegram's secret header. */
export type RouteAuth = { kind: 'public' } | { kind: 'tma' } | { kind: 'staff'; permission: Permission } | { kind: 'telegram' } | { kind: 'cookie' } | { kind: 'bearer' } | { kind: 'apiKey'; scope: ApiScope }

export interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'delete'
  /** OpenAPI path, `{param}` style. */
  path: string
  tag: string
  summary: string
  auth: RouteAuth
  params?: z.ZodType
  query?: z.ZodType
  body?: z.ZodType
  /** Non-JSON bodies (CSV, multipart). */
  bodyType?: 'text/csv' | 'multipart/form-data'
  idempotencyKey?: 'required'
  /** Content type of a successful answer when not JSON. */
  produces?: string
  /** Error codes the route answers with, beyond the auth and validation ones every route has. */
  errors?: ErrorCode[]
  /** Most bytes the request body may have when more than DEFAULT_BODY_LIMIT (100 KB, server/utils/body-limit.ts). */
  bodyLimit?: number
  /** Examples for the document (the partner API has one for each request and answer). */
  example?: { request?: unknown; response?: unknown }
}

const KB = 1024
const MB = 1024 * KB

const staff = (permission: Permission): RouteAuth => ({ kind: 'staff', permission })
const tma: RouteAuth = { kind: 'tma' }
const pub: RouteAuth = { kind: 'public' }
const apiKey = (scope: ApiScope): RouteAuth => ({ kind: 'apiKey', scope })

const V1_ORDER_EXAMPLE = {
  id: 42,
  number: 'A-1042',
  status: 'in_progress',
  currency: 'RUB',
  itemsTotalMinor: 149000,
  deliveryMinor: 30000,
  discountMinor: 0,
  totalMinor: 179000,
  deliveryMethod: 'courier',
  paymentMethod: 'cash',
  contactName: 'Anna',
  contactPhone: '+79990001122',
  customerTelegramId: 123456789,
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:05:00.000Z',
}
const V1_ORDER_DETAIL_EXAMPLE = {
  ...V1_ORDER_EXAMPLE,
  items: [{ productId: 7, name: { ru: 'Кофе', en: 'Coffee' }, options: [], unitPriceMinor: 74500, quantity: 2, totalMinor: 149000 }],
  history: [{ from: null, to: 'new', actorKind: 'customer', note: null, at: '2026-03-01T10:00:00.000Z' }],
  allowedStatuses: ['ready', 'shipped', 'cancelled'],
}

/**
 * Every HTTP route of the app, documented. tests/server/openapi.test.ts checks this list against
 * the route files, so a new route without an entry fails the suite.
 */
export const ROUTES: RouteDoc[] = [
  // Operations
  { method: 'get', path: '/api/health', tag: 'operations', summary: 'Liveness: the process answers', auth: pub },
  { method: 'get', path: '/api/ready', tag: 'operations', summary: 'Readiness: database and queue (503 with the failing check otherwise)', auth: pub, errors: ['not_ready'] },
  { method: 'get', path: '/metrics', tag: 'operations', summary: 'Prometheus metrics (text exposition format); `Authorization: Bearer <METRICS_TOKEN>`', auth: { kind: 'bearer' }, produces: 'text/plain', errors: ['auth_missing', 'auth_invalid_token'] },
  { method: 'get', path: '/sitemap.xml', tag: 'operations', summary: 'Sitemap of the public pages', auth: pub, produces: 'application/xml' },
  { method: 'get', path: '/robots.txt', tag: 'operations', summary: 'Rules for search engines', auth: pub, produces: 'text/plain' },
  { method: 'get', path: '/files/{path}', tag: 'operations', summary: 'An uploaded image', auth: pub, produces: 'image/*', errors: ['not_found'] },
  { method: 'get', path: '/api/business', tag: 'operations', summary: 'The business profile, sandbox flag and the t.me link', auth: pub },
  // Telegram
  { method: 'post', path: '/api/telegram/webhook', tag: 'telegram', summary: 'Telegram updates; stored (deduped by update_id) before the 200. A pre_checkout_query is answered in the 200 itself: {"method":"answerPreCheckoutQuery",...}, which Telegram runs', auth: { kind: 'telegram' }, errors: ['webhook_secret_mismatch', 'payload_too_large'], bodyLimit: 1 * MB },
  // Integrations (docs/integrations.md)
  { method: 'post', path: '/api/integrations/moysklad/webhook', tag: 'integrations', summary: "MoySklad's webhook (entity or stock change): `?secret=` as given to MoySklad; stored, then stock pulled by a job; a payload outside the contract is quarantined (still 202)", auth: pub, query: PartnerWebhookQuerySchema, errors: ['integration_webhook_unauthorized', 'integration_not_configured'] },
  { method: 'get', path: '/api/admin/integrations', tag: 'integrations', summary: 'Health per connector: configured (never the secrets), "partner changed" warning, last success, error rate, latency, deliveries by status', auth: staff('integrations.manage') },
  { method: 'get', path: '/api/admin/integrations/deliveries', tag: 'integrations', summary: 'The delivery log, newest first, by connector and status', auth: staff('integrations.manage'), query: DeliveriesQuerySchema },
  { method: 'get', path: '/api/admin/integrations/deliveries/{id}', tag: 'integrations', summary: 'One delivery with its event, attempts, the partner answer and the contract issues', auth: staff('integrations.manage'), params: DeliveryParamsSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/admin/integrations/deliveries/{id}/retry', tag: 'integrations', summary: 'Send a held or dead delivery again (audited)', auth: staff('integrations.manage'), params: DeliveryParamsSchema, errors: ['not_found', 'conflict'] },
  { method: 'post', path: '/api/admin/integrations/retry', tag: 'integrations', summary: 'Replay every held (or dead) delivery of a connector (audited)', auth: staff('integrations.manage'), body: BulkRetrySchema },
  { method: 'post', path: '/api/admin/integrations/{connector}/dismiss-warning', tag: 'integrations', summary: 'Clear a "partner changed" warning once dealt with (audited)', auth: staff('integrations.manage'), params: ConnectorParamsSchema },
  { method: 'post', path: '/api/admin/integrations/probe', tag: 'integrations', summary: 'Check every configured partner now: a harmless read whose answer must match its contract (hourly on its own)', auth: staff('integrations.manage') },
  { method: 'post', path: '/api/admin/integrations/maps/locate', tag: 'integrations', summary: 'Geocode an address (Yandex Geocoder) and name the active delivery zones that cover it', auth: staff('orders.manage'), body: LocateAddressSchema, errors: ['integration_not_configured', 'partner_unavailable', 'partner_contract_changed'] },
  { method: 'get', path: '/api/admin/integrations/inbound', tag: 'integrations', summary: 'Partner payloads received or pulled: applied, accepted, quarantined with the field paths', auth: staff('integrations.manage') },
  { method: 'post', path: '/api/admin/integrations/warehouse/preview', tag: 'integrations', summary: "Dry run: what importing the warehouse's stock would change (our open orders subtracted)", auth: staff('integrations.manage'), errors: ['integration_not_configured', 'partner_unavailable', 'partner_contract_changed'] },
  { method: 'post', path: '/api/admin/integrations/warehouse/apply', tag: 'integrations', summary: "Import the warehouse's stock now, all or nothing (audited)", auth: staff('integrations.manage'), errors: ['integration_not_configured', 'partner_unavailable', 'partner_contract_changed'] },
  // Outbound webhooks and API keys, managed in /admin (docs/integrations.md)
  { method: 'get', path: '/api/admin/webhooks', tag: 'integrations', summary: 'Outbound webhooks with their deliveries by status (never the secrets)', auth: staff('integrations.manage') },
  { method: 'post', path: '/api/admin/webhooks', tag: 'integrations', summary: 'Create an outbound webhook (audited); the answer carries its signing secret, shown this once', auth: staff('integrations.manage'), body: WebhookInputSchema, errors: ['webhook_url_refused'], example: { request: { name: 'CRM', url: 'https://crm.example.com/hooks/shop', events: ['order.created', 'order.paid'] } } },
  { method: 'patch', path: '/api/admin/webhooks/{id}', tag: 'integrations', summary: "Change a webhook's name, URL, events, or pause it (audited)", auth: staff('integrations.manage'), params: WebhookParamsSchema, body: WebhookPatchSchema, errors: ['not_found', 'webhook_url_refused'] },
  { method: 'delete', path: '/api/admin/webhooks/{id}', tag: 'integrations', summary: 'Remove a webhook with its deliveries (audited)', auth: staff('integrations.manage'), params: WebhookParamsSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/admin/webhooks/{id}/rotate-secret', tag: 'integrations', summary: 'A new signing secret, shown this once; the old one also signs for 24 hours (audited)', auth: staff('integrations.manage'), params: WebhookParamsSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/admin/webhooks/{id}/replay', tag: 'integrations', summary: 'Send every dead (and held) delivery of this webhook again (audited); one delivery: /api/admin/integrations/deliveries/{id}/retry', auth: staff('integrations.manage'), params: WebhookParamsSchema, body: WebhookReplaySchema, errors: ['not_found'] },
  { method: 'get', path: '/api/admin/api-keys', tag: 'integrations', summary: "Partners' API keys: name, prefix, scopes, rate limit, last used, revoked (never the key)", auth: staff('integrations.manage') },
  { method: 'post', path: '/api/admin/api-keys', tag: 'integrations', summary: 'Create an API key with scopes (audited); the answer carries the key, shown this once', auth: staff('integrations.manage'), body: ApiKeyInputSchema, example: { request: { name: 'Warehouse sync', scopes: ['stock:write', 'orders:read'], rateLimitPerMinute: 120 } } },
  { method: 'post', path: '/api/admin/api-keys/{id}/revoke', tag: 'integrations', summary: 'Revoke an API key at once (audited)', auth: staff('integrations.manage'), params: ApiKeyParamsSchema, errors: ['not_found'] },
  // Partner REST API v1: `Authorization: Bearer <API key>` (docs/integrations.md)
  { method: 'get', path: '/api/v1/orders', tag: 'partner-api', summary: 'Orders, newest first; filter by status and `updatedSince` to poll for changes; page with `before`', auth: apiKey('orders:read'), query: V1OrdersQuerySchema, example: { response: { items: [V1_ORDER_EXAMPLE], nextBefore: null } } },
  { method: 'get', path: '/api/v1/orders/{id}', tag: 'partner-api', summary: 'One order with its lines, timeline and the statuses it may move to', auth: apiKey('orders:read'), params: V1OrderParamsSchema, errors: ['not_found'], example: { response: V1_ORDER_DETAIL_EXAMPLE } },
  { method: 'post', path: '/api/v1/orders/{id}/status', tag: 'partner-api', summary: 'Move an order to one of its `allowedStatuses` (paid and refunded follow payments; an order paid in Telegram is cancelled by a refund)', auth: apiKey('orders:write'), params: V1OrderParamsSchema, body: V1OrderStatusSchema, idempotencyKey: 'required', errors: ['not_found', 'invalid_transition', 'refund_required', 'conflict', 'idempotency_key_reused', 'idempotency_key_in_use'], example: { request: { status: 'shipped', note: 'Courier #12' }, response: { ...V1_ORDER_DETAIL_EXAMPLE, status: 'shipped', allowedStatuses: ['done'] } } },
  { method: 'post', path: '/api/v1/stock', tag: 'partner-api', summary: "Set stock by SKU (our product's slug), all or nothing; each change is a `stock.changed` event", auth: apiKey('stock:write'), body: V1StockSchema, idempotencyKey: 'required', errors: ['idempotency_key_reused', 'idempotency_key_in_use'], example: { request: { items: [{ sku: 'coffee-beans-1kg', stock: 25 }] }, response: { items: [{ sku: 'coffee-beans-1kg', from: 20, to: 25, changed: true }] } } },
  { method: 'post', path: '/api/v1/prices', tag: 'partner-api', summary: "Set prices by SKU in minor units of the product's currency, all or nothing", auth: apiKey('catalog:write'), body: V1PricesSchema, idempotencyKey: 'required', errors: ['idempotency_key_reused', 'idempotency_key_in_use'], example: { request: { items: [{ sku: 'coffee-beans-1kg', priceMinor: 149000 }] }, response: { items: [{ sku: 'coffee-beans-1kg', currency: 'RUB', from: 139000, to: 149000, changed: true }] } } },
  { method: 'get', path: '/api/v1/customers', tag: 'partner-api', summary: 'Customers who agreed to news and offers (nobody else), newest first; page with `before` (a Telegram id)', auth: apiKey('customers:read'), query: V1CustomersQuerySchema, example: { response: { items: [{ telegramId: 123456789, name: 'Anna K', username: 'anna', locale: 'ru', phone: '+79990001122', email: 'anna@example.com', newsConsent: true, since: '2026-01-10T08:00:00.000Z' }], nextBefore: null } } },
  { method: 'get', path: '/api/v1/bookings', tag: 'partner-api', summary: 'Bookings by start time (`from`, `to`) and status, newest first; page with `before`', auth: apiKey('bookings:read'), query: V1BookingsQuerySchema, example: { response: { items: [{ id: 9, status: 'confirmed', startsAt: '2026-03-02T09:00:00.000Z', endsAt: '2026-03-02T10:00:00.000Z', timezone: 'Europe/Moscow', priceMinor: 250000, currency: 'RUB', customerTelegramId: 123456789, customerConfirmedAt: null, service: { id: 1, slug: 'haircut', name: { ru: 'Стрижка', en: 'Haircut' } }, resource: { id: 2, slug: 'olga', name: { ru: 'Ольга', en: 'Olga' } }, createdAt: '2026-03-01T12:00:00.000Z', updatedAt: '2026-03-01T12:00:00.000Z' }], nextBefore: null } } },
  // Identity
  { method: 'get', path: '/api/me', tag: 'identity', summary: 'The validated Telegram user and their roles', auth: tma },
  { method: 'patch', path: '/api/me', tag: 'identity', summary: "Change the user's language", auth: tma, body: UpdateMeSchema },
  { method: 'post', path: '/api/auth/admin-link', tag: 'identity', summary: 'Exchange a one-time /admin link for a session cookie', auth: pub, body: AdminLinkSchema, errors: ['login_link_invalid', 'login_link_used', 'login_link_expired', 'rate_limited'] },
  { method: 'get', path: '/api/auth/session', tag: 'identity', summary: 'The /admin session: user, roles, permissions and the CSRF token', auth: { kind: 'cookie' } },
  { method: 'post', path: '/api/auth/logout', tag: 'identity', summary: 'End the /admin session', auth: { kind: 'cookie' }, errors: ['csrf_failed'] },
  // Catalog
  { method: 'get', path: '/api/catalog/categories', tag: 'catalog', summary: 'Active categories', auth: pub },
  { method: 'get', path: '/api/catalog/products', tag: 'catalog', summary: 'Products with filters, search (Russian/English word forms, typos) and a cursor', auth: pub, query: ProductListQuerySchema },
  { method: 'get', path: '/api/catalog/products/{slug}', tag: 'catalog', summary: 'One product with options and gallery', auth: pub, params: ProductSlugParamsSchema, errors: ['not_found'] },
  { method: 'get', path: '/api/catalog/facets', tag: 'catalog', summary: 'Price bounds and tags for filters', auth: pub },
  // Support (customers)
  { method: 'get', path: '/api/support/articles', tag: 'support', summary: 'The answer base, searched as you type (word forms, typos, keyboard layout)', auth: pub, query: ArticlesQuerySchema },
  { method: 'get', path: '/api/support/articles/{slug}', tag: 'support', summary: 'One published article (plain text in both languages)', auth: pub, params: ArticleSlugParamsSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/support/articles/{slug}/feedback', tag: 'support', summary: '"Did this help?"', auth: tma, params: ArticleSlugParamsSchema, body: ArticleFeedbackSchema, errors: ['not_found'] },
  { method: 'get', path: '/api/support/conversation', tag: 'support', summary: "The customer's conversation (open, else the last) and whether operators are at work now", auth: tma },
  { method: 'post', path: '/api/support/messages', tag: 'support', summary: 'Talk to a person: a message into the conversation, with the article tried and the order (201; a retry answers 200)', auth: tma, body: SupportMessageSchema, idempotencyKey: 'required', errors: ['not_found'] },
  { method: 'post', path: '/api/support/conversations/{id}/rating', tag: 'support', summary: 'Rate a closed conversation 1-5 with a comment', auth: tma, params: ConversationParamsSchema, body: RatingSchema, errors: ['not_found', 'conflict'] },
  // Cart and orders
  { method: 'get', path: '/api/cart', tag: 'cart', summary: "The customer's cart, priced now, with what changed per line", auth: tma },
  { method: 'post', path: '/api/cart/items', tag: 'cart', summary: 'Add a product (with options) to the cart', auth: tma, body: AddToCartSchema, errors: ['not_found', 'invalid_options', 'insufficient_stock', 'cart_full', 'cart_currency_mismatch'] },
  { method: 'patch', path: '/api/cart/items/{id}', tag: 'cart', summary: "Change a line's quantity (0 removes it)", auth: tma, params: CartLineParamsSchema, body: CartLineUpdateSchema, errors: ['not_found', 'insufficient_stock'] },
  { method: 'delete', path: '/api/cart/items/{id}', tag: 'cart', summary: 'Remove a line', auth: tma, params: CartLineParamsSchema },
  { method: 'post', path: '/api/cart/accept-prices', tag: 'cart', summary: 'Accept changed prices before checkout', auth: tma },
  { method: 'get', path: '/api/checkout/options', tag: 'orders', summary: 'Pickup points, courier zones, saved addresses, payment methods', auth: tma },
  { method: 'post', path: '/api/checkout/quote', tag: 'orders', summary: 'What the order costs with this delivery', auth: tma, body: CheckoutQuoteSchema, errors: ['not_found', 'below_minimum_order'] },
  { method: 'post', path: '/api/orders', tag: 'orders', summary: 'Place an order from the cart (201; a retry with the same key answers 200 with the same order)', auth: tma, body: CheckoutSchema, idempotencyKey: 'required', errors: ['cart_empty', 'cart_changed', 'out_of_stock', 'below_minimum_order', 'payment_method_unavailable', 'delivery_method_unavailable'] },
  { method: 'get', path: '/api/orders', tag: 'orders', summary: "The customer's orders", auth: tma },
  { method: 'get', path: '/api/orders/{id}', tag: 'orders', summary: 'One order with lines and status timeline', auth: tma, params: OrderParamsSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/orders/{id}/cancel', tag: 'orders', summary: 'Cancel an order nobody has started on', auth: tma, params: OrderParamsSchema, errors: ['not_found', 'invalid_transition'] },
  { method: 'post', path: '/api/orders/{id}/invoice', tag: 'payments', summary: 'A Telegram invoice link for an order awaiting payment', auth: tma, params: OrderParamsSchema, errors: ['not_found', 'order_not_payable', 'order_expired'] },
  // Booking
  { method: 'get', path: '/api/booking/services', tag: 'booking', summary: 'Services a customer can book (duration, price, seats, cancellation deadline)', auth: pub },
  { method: 'get', path: '/api/booking/services/{slug}', tag: 'booking', summary: 'One service with the specialists or rooms that perform it', auth: pub, params: ServiceSlugParamsSchema, errors: ['not_found'] },
  { method: 'get', path: '/api/booking/slots', tag: 'booking', summary: 'Free start times per local day of the business (`timezone`), for one specialist or any; instants in UTC', auth: pub, query: SlotsQuerySchema, errors: ['not_found'] },
  { method: 'get', path: '/api/booking/bookings', tag: 'booking', summary: "The customer's bookings, latest start first", auth: tma },
  { method: 'post', path: '/api/booking/bookings', tag: 'booking', summary: 'Hold a free slot while the customer confirms (201; a retry with the same key answers 200 with the same hold; 409 `slot_taken` carries fresh alternatives)', auth: tma, body: HoldBookingSchema, idempotencyKey: 'required', errors: ['not_found', 'slot_taken', 'too_many_holds'] },
  { method: 'get', path: '/api/booking/bookings/{id}', tag: 'booking', summary: 'One booking with its history and whether the customer may still change it', auth: tma, params: BookingParamsSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/booking/bookings/{id}/confirm', tag: 'booking', summary: 'Confirm a hold: booked, told in the chat, reminders planned (a prepaid service is confirmed by its payment: 409 `payment_required`)', auth: tma, params: BookingParamsSchema, errors: ['not_found', 'hold_expired', 'invalid_transition', 'payment_required'] },
  { method: 'post', path: '/api/booking/bookings/{id}/pay', tag: 'payments', summary: "A Telegram invoice link for a held booking's prepayment (`booking:<id>`); opening it keeps the hold once more", auth: tma, params: BookingParamsSchema, errors: ['not_found', 'hold_expired', 'invalid_transition'] },
  { method: 'post', path: '/api/booking/bookings/{id}/cancel', tag: 'booking', summary: "Cancel a booking (or let go of a hold) until the service's deadline; a prepayment comes back when cancelled within the refund deadline (`refundIfCancelledNow`)", auth: tma, params: BookingParamsSchema, errors: ['not_found', 'change_deadline_passed', 'invalid_transition'] },
  { method: 'get', path: '/api/booking/waitlist', tag: 'booking', summary: "The customer's waitlist entries, newest first", auth: tma },
  { method: 'post', path: '/api/booking/waitlist', tag: 'booking', summary: 'Wait for a full slot (`startsAt`) or any time of a full day (`day`): a freed seat is offered in the chat to the first in line (201; 200 when already waiting)', auth: tma, body: JoinWaitlistSchema, errors: ['not_found', 'slot_available', 'too_many_waitlist'] },
  { method: 'post', path: '/api/booking/waitlist/{id}/leave', tag: 'booking', summary: 'Leave a waitlist', auth: tma, params: WaitlistParamsSchema, errors: ['not_found', 'invalid_transition'] },
  { method: 'post', path: '/api/booking/bookings/{id}/reschedule', tag: 'booking', summary: 'Move a confirmed booking to another free slot; reminders re-planned', auth: tma, params: BookingParamsSchema, body: RescheduleBookingSchema, errors: ['not_found', 'slot_taken', 'change_deadline_passed', 'invalid_transition', 'conflict'] },
  { method: 'post', path: '/api/booking/bookings/{id}/calendar-link', tag: 'booking', summary: 'A 5-minute signed link to the booking as an .ics file (for Telegram\'s downloadFile, which sends no initData)', auth: tma, params: BookingParamsSchema, query: CalendarLinkQuerySchema, errors: ['not_found'] },
  { method: 'get', path: '/api/booking/calendar/{token}', tag: 'booking', summary: 'One booking as iCalendar (RFC 5545) through its signed link; if the request carries initData it must be the owner\'s', auth: pub, params: CalendarTokenParamsSchema, produces: 'text/calendar', errors: ['calendar_link_invalid', 'calendar_link_expired', 'not_found', 'forbidden'] },
  { method: 'get', path: '/api/booking/feeds/{token}', tag: 'booking', summary: 'A staff calendar feed (`<token>.ics`): one resource\'s recent and upcoming bookings; the secret URL is the permission; 304 to a matching If-None-Match', auth: pub, params: FeedTokenParamsSchema, produces: 'text/calendar', errors: ['not_found', 'rate_limited'] },
  // Admin
  { method: 'get', path: '/api/admin/users', tag: 'admin', summary: 'Find users and their roles', auth: staff('roles.manage'), query: AdminUsersQuerySchema },
  { method: 'post', path: '/api/admin/users/{id}/roles', tag: 'admin', summary: 'Grant a role (audited)', auth: staff('roles.manage'), params: UserIdParamsSchema, body: GrantRoleSchema, errors: ['not_found'] },
  { method: 'delete', path: '/api/admin/users/{id}/roles/{role}', tag: 'admin', summary: 'Remove a role (audited)', auth: staff('roles.manage'), params: UserRoleParamsSchema, errors: ['last_owner', 'role_pinned'] },
  { method: 'get', path: '/api/admin/audit', tag: 'admin', summary: 'Audit log with filters and a cursor', auth: staff('audit.read'), query: AuditQuerySchema },
  { method: 'get', path: '/api/admin/audit/export.csv', tag: 'admin', summary: 'Audit log as CSV', auth: staff('audit.read'), query: AuditQuerySchema, produces: 'text/csv' },
  // Forms
  { method: 'get', path: '/api/forms', tag: 'forms', summary: 'The forms this person may fill (staff forms for staff only)', auth: tma },
  { method: 'get', path: '/api/forms/{slug}', tag: 'forms', summary: "A published form (steps, fields, rules) with the user's draft", auth: tma, params: FormSlugParamsSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/forms/{slug}/draft', tag: 'forms', summary: 'Save the draft on top of `baseRevision` (409 `draft_conflict` with the current draft when another device saved)', auth: tma, params: FormSlugParamsSchema, body: DraftSaveSchema, errors: ['not_found', 'draft_conflict'] },
  { method: 'delete', path: '/api/forms/{slug}/draft', tag: 'forms', summary: 'Throw the draft away', auth: tma, params: FormSlugParamsSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/forms/{slug}/submissions', tag: 'forms', summary: 'Send a filled form (201; a resend with the same key answers 200 with the same submission)', auth: tma, params: FormSlugParamsSchema, body: SubmissionSchema, idempotencyKey: 'required', errors: ['not_found', 'form_invalid', 'form_version_unknown'] },
  { method: 'get', path: '/api/form-submissions', tag: 'forms', summary: 'What this person sent since `since` (default 24 hours)', auth: tma, query: MySubmissionsQuerySchema },
  { method: 'post', path: '/api/form-photos', tag: 'forms', summary: 'Upload a photo for a form field (field `image`; JPEG/PNG/WebP/GIF up to 5 MB); a resend with the same key answers the same path', auth: tma, bodyType: 'multipart/form-data', idempotencyKey: 'required', errors: ['unsupported_media_type', 'payload_too_large', 'idempotency_key_in_use'], bodyLimit: 5 * MB + 64 * KB },
  { method: 'get', path: '/api/admin/forms', tag: 'admin', summary: 'Forms with their published version and submission counts', auth: staff('forms.manage') },
  { method: 'post', path: '/api/admin/forms', tag: 'admin', summary: 'Create a form (unpublished)', auth: staff('forms.manage'), body: FormInputSchema, errors: ['conflict'] },
  { method: 'get', path: '/api/admin/forms/{id}', tag: 'admin', summary: 'One form as edited', auth: staff('forms.manage'), params: FormIdParamsSchema, errors: ['not_found'] },
  { method: 'patch', path: '/api/admin/forms/{id}', tag: 'admin', summary: 'Edit a form (the Mini App sees it after publishing)', auth: staff('forms.manage'), params: FormIdParamsSchema, body: FormPatchSchema, errors: ['not_found', 'conflict'] },
  { method: 'post', path: '/api/admin/forms/{id}/publish', tag: 'admin', summary: 'Publish the edited definition as the next version (audited)', auth: staff('forms.manage'), params: FormIdParamsSchema, errors: ['not_found'] },
  { method: 'get', path: '/api/admin/form-submissions', tag: 'admin', summary: 'Submissions by form, status and dates', auth: staff('forms.submissions'), query: AdminSubmissionsQuerySchema },
  { method: 'get', path: '/api/admin/form-submissions/{id}', tag: 'admin', summary: 'One submission with the definition it was filled with', auth: staff('forms.submissions'), params: FormIdParamsSchema, errors: ['not_found'] },
  { method: 'patch', path: '/api/admin/form-submissions/{id}', tag: 'admin', summary: 'Set the status or assignee of a submission (audited)', auth: staff('forms.submissions'), params: FormIdParamsSchema, body: SubmissionPatchSchema, errors: ['not_found'] },
  { method: 'get', path: '/api/admin/form-submissions/export.csv', tag: 'admin', summary: 'Submissions as CSV', auth: staff('forms.submissions'), query: AdminSubmissionsQuerySchema, produces: 'text/csv' },
  { method: 'get', path: '/api/admin/orders', tag: 'admin', summary: 'Orders with filters and search', auth: staff('orders.read'), query: AdminOrdersQuerySchema },
  { method: 'get', path: '/api/admin/orders/{id}', tag: 'admin', summary: 'Order detail with customer contact', auth: staff('orders.read'), params: OrderParamsSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/admin/orders/{id}/status', tag: 'admin', summary: 'Move an order along the status machine, with a note (audited)', auth: staff('orders.manage'), params: OrderParamsSchema, body: OrderStatusChangeSchema, errors: ['invalid_transition', 'conflict'] },
  { method: 'get', path: '/api/admin/booking/bookings', tag: 'admin', summary: 'Bookings of a local day (or up to 7) for every resource or one, with the resources', auth: staff('bookings.manage'), query: AdminBookingsQuerySchema },
  { method: 'post', path: '/api/admin/booking/bookings/{id}/status', tag: 'admin', summary: 'Mark a booking done or no-show, or cancel it for the customer (audited)', auth: staff('bookings.manage'), params: BookingParamsSchema, body: AdminBookingStatusSchema, errors: ['not_found', 'invalid_transition'] },
  { method: 'post', path: '/api/admin/booking/bookings/{id}/move', tag: 'admin', summary: 'Move a booking to another free slot for the customer (audited; the customer told)', auth: staff('bookings.manage'), params: BookingParamsSchema, body: RescheduleBookingSchema, errors: ['not_found', 'slot_taken', 'invalid_transition', 'conflict'] },
  { method: 'post', path: '/api/admin/booking/bookings', tag: 'admin', summary: 'Book a free slot for a customer: confirmed at once, told in the chat, reminders planned (audited)', auth: staff('bookings.manage'), body: StaffBookingInputSchema, idempotencyKey: 'required', errors: ['not_found', 'slot_taken'] },
  { method: 'get', path: '/api/admin/booking/services', tag: 'admin', summary: 'Every booking service, hidden ones too, with who performs it', auth: staff('bookings.manage') },
  { method: 'post', path: '/api/admin/booking/services', tag: 'admin', summary: 'Add a booking service (audited)', auth: staff('bookings.setup'), body: BookingServiceInputSchema, errors: ['conflict'] },
  { method: 'patch', path: '/api/admin/booking/services/{id}', tag: 'admin', summary: 'Edit a booking service or hide it; bookings made keep their time (audited)', auth: staff('bookings.setup'), params: IdParamsSchema, body: BookingServicePatchSchema, errors: ['not_found', 'conflict'] },
  { method: 'get', path: '/api/admin/booking/resources', tag: 'admin', summary: 'Every resource (staff member, room) with its weekly hours, breaks and services', auth: staff('bookings.manage') },
  { method: 'post', path: '/api/admin/booking/resources', tag: 'admin', summary: 'Add a staff member or room with its week (audited)', auth: staff('bookings.setup'), body: BookingResourceInputSchema, errors: ['conflict'] },
  { method: 'patch', path: '/api/admin/booking/resources/{id}', tag: 'admin', summary: 'Edit a resource\'s week, breaks, zone or services; confirmed bookings left outside the hours answer 409 `schedule_conflict` unless `onConflict` is `keep` or `cancel` (audited)', auth: staff('bookings.setup'), params: IdParamsSchema, body: BookingResourcePatchSchema, errors: ['not_found', 'conflict', 'schedule_conflict'] },
  { method: 'get', path: '/api/admin/booking/resources/{id}/exceptions', tag: 'admin', summary: "A resource's dated exceptions (holidays, sick days, other hours)", auth: staff('bookings.manage'), params: IdParamsSchema, query: ResourceExceptionsQuerySchema, errors: ['not_found'] },
  { method: 'post', path: '/api/admin/booking/resources/{id}/exceptions/{day}', tag: 'admin', summary: "Set one date's hours of a resource (none: a day off); `schedule_conflict` as for the week (audited)", auth: staff('bookings.setup'), params: ResourceExceptionParamsSchema, body: ResourceExceptionInputSchema, errors: ['not_found', 'schedule_conflict'] },
  { method: 'delete', path: '/api/admin/booking/resources/{id}/exceptions/{day}', tag: 'admin', summary: "Remove a date's exception; `schedule_conflict` as for the week (audited)", auth: staff('bookings.setup'), params: ResourceExceptionParamsSchema, query: ResourceExceptionDeleteQuerySchema, errors: ['not_found', 'schedule_conflict'] },
  { method: 'get', path: '/api/admin/booking/report', tag: 'admin', summary: 'Bookings, no-shows, cancellations and utilisation (booked / open minutes) per resource and business day', auth: staff('reports.read'), query: BookingReportQuerySchema },
  { method: 'get', path: '/api/admin/booking/export.csv', tag: 'admin', summary: 'The booking report as CSV, one line per resource and day', auth: staff('reports.read'), query: BookingReportQuerySchema, produces: 'text/csv' },
  { method: 'get', path: '/api/admin/booking/feeds', tag: 'admin', summary: 'Staff calendar feeds (never their URLs) and the resources', auth: staff('bookings.feeds') },
  { method: 'post', path: '/api/admin/booking/feeds', tag: 'admin', summary: 'A new secret calendar URL for a resource, shown once; its current one is revoked (audited)', auth: staff('bookings.feeds'), body: CreateFeedSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/admin/booking/feeds/{id}/revoke', tag: 'admin', summary: 'Revoke a calendar feed: its URL answers 404 from now on (audited)', auth: staff('bookings.feeds'), params: FeedParamsSchema, errors: ['not_found'] },
  { method: 'get', path: '/api/admin/catalog/products', tag: 'admin', summary: 'All products, hidden ones included', auth: staff('catalog.write') },
  { method: 'post', path: '/api/admin/catalog/products', tag: 'admin', summary: 'Create a product (audited)', auth: staff('catalog.write'), body: ProductInputSchema, errors: ['conflict'] },
  { method: 'patch', path: '/api/admin/catalog/products/{id}', tag: 'admin', summary: 'Edit a product: price, texts, options, hide/show (audited)', auth: staff('catalog.write'), params: IdParamsSchema, body: ProductPatchSchema, errors: ['not_found', 'conflict'] },
  { method: 'post', path: '/api/admin/catalog/products/{id}/stock', tag: 'admin', summary: 'Adjust stock with a reason (audited)', auth: staff('catalog.write'), params: IdParamsSchema, body: StockAdjustmentSchema, errors: ['insufficient_stock'] },
  { method: 'post', path: '/api/admin/catalog/products/{id}/images', tag: 'admin', summary: 'Upload an image (field `image`; JPEG/PNG/WebP/GIF up to 5 MB)', auth: staff('catalog.write'), params: IdParamsSchema, bodyType: 'multipart/form-data', errors: ['unsupported_media_type', 'payload_too_large'], bodyLimit: 5 * MB + 64 * KB },
  { method: 'get', path: '/api/admin/catalog/products/export.csv', tag: 'admin', summary: 'The catalog as CSV', auth: staff('catalog.write'), produces: 'text/csv' },
  { method: 'post', path: '/api/admin/catalog/products/import', tag: 'admin', summary: 'Import products from CSV; answers the per-row errors', auth: staff('catalog.write'), bodyType: 'text/csv', errors: ['payload_too_large'], bodyLimit: 2 * MB },
  { method: 'get', path: '/api/admin/catalog/categories', tag: 'admin', summary: 'Every category, hidden ones too', auth: staff('catalog.write') },
  { method: 'post', path: '/api/admin/catalog/categories', tag: 'admin', summary: 'Create a category (audited)', auth: staff('catalog.write'), body: CategoryInputSchema, errors: ['conflict'] },
  { method: 'patch', path: '/api/admin/catalog/categories/{id}', tag: 'admin', summary: 'Edit a category (audited)', auth: staff('catalog.write'), params: IdParamsSchema, body: CategoryPatchSchema, errors: ['not_found'] },
  { method: 'get', path: '/api/admin/delivery/zones', tag: 'admin', summary: 'Every courier zone, inactive ones too (prices in minor units)', auth: staff('settings.write') },
  { method: 'post', path: '/api/admin/delivery/zones', tag: 'admin', summary: 'Create a courier zone: price, free-from, minimum, cities and post-code prefixes for Telegram-typed addresses (audited)', auth: staff('settings.write'), body: DeliveryZoneInputSchema, errors: ['conflict'] },
  { method: 'patch', path: '/api/admin/delivery/zones/{id}', tag: 'admin', summary: 'Edit a courier zone; `isActive: false` takes it off checkout, zones are never deleted (audited)', auth: staff('settings.write'), params: IdParamsSchema, body: DeliveryZonePatchSchema, errors: ['not_found', 'conflict'] },
  { method: 'get', path: '/api/admin/delivery/pickup-points', tag: 'admin', summary: 'Every pickup point, inactive ones too', auth: staff('settings.write') },
  { method: 'post', path: '/api/admin/delivery/pickup-points', tag: 'admin', summary: 'Create a pickup point (audited)', auth: staff('settings.write'), body: PickupPointInputSchema, errors: ['conflict'] },
  { method: 'patch', path: '/api/admin/delivery/pickup-points/{id}', tag: 'admin', summary: 'Edit a pickup point; `isActive: false` takes it off checkout (audited)', auth: staff('settings.write'), params: IdParamsSchema, body: PickupPointPatchSchema, errors: ['not_found', 'conflict'] },
  { method: 'get', path: '/api/admin/delivery/settings', tag: 'admin', summary: 'Whether Telegram collects the address in its payment form, and whether card payments are configured', auth: staff('settings.write') },
  { method: 'patch', path: '/api/admin/delivery/settings', tag: 'admin', summary: "Turn Telegram's address collection on or off (audited as `setting.update`)", auth: staff('settings.write'), body: DeliverySettingsPatchSchema },
  { method: 'get', path: '/api/admin/payments', tag: 'admin', summary: 'Payments with filters (method, status, flagged, order, dates) and search by order number or charge id', auth: staff('payments.read'), query: AdminPaymentsQuerySchema },
  { method: 'get', path: '/api/admin/payments/{id}', tag: 'admin', summary: "A payment with Telegram's raw payload, its refunds and its order", auth: staff('payments.read'), params: IdParamsSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/admin/payments/{id}/refund', tag: 'admin', summary: 'Refund (Stars via Telegram; cards recorded with the provider reference); audited', auth: staff('payments.refund'), params: IdParamsSchema, body: RefundSchema, idempotencyKey: 'required', errors: ['already_refunded', 'partial_refund_unavailable', 'refund_failed', 'conflict'] },
  { method: 'get', path: '/api/admin/overview', tag: 'admin', summary: 'Business overview per day: Mini App opens, carts, orders, paid, bookings, conversations', auth: staff('reports.read'), query: BusinessOverviewQuerySchema },
  { method: 'get', path: '/api/admin/payments/report', tag: 'admin', summary: 'Revenue, payments and refunds per day and method', auth: staff('reports.read'), query: PaymentsReportQuerySchema },
  { method: 'get', path: '/api/admin/payments/export.csv', tag: 'admin', summary: 'Payments as CSV', auth: staff('payments.read'), query: AdminPaymentsQuerySchema, produces: 'text/csv' },
  { method: 'get', path: '/api/admin/payments/reconciliations', tag: 'admin', summary: 'Stars reconciliation reports', auth: staff('payments.read') },
  { method: 'post', path: '/api/admin/payments/reconciliations', tag: 'admin', summary: 'Run the Stars reconciliation now and return its report (3 a minute per operator)', auth: staff('payments.read'), errors: ['telegram_unavailable', 'rate_limited'] },
  // Personal account
  { method: 'get', path: '/api/account', tag: 'account', summary: "The customer's profile: Telegram's fields, phone, email, birthday, notification preferences", auth: tma },
  { method: 'patch', path: '/api/account/profile', tag: 'account', summary: 'Change phone, email, birthday, language or notification preferences (null clears a field)', auth: tma, body: ProfilePatchSchema },
  { method: 'get', path: '/api/account/addresses', tag: 'account', summary: 'Saved addresses, the default first', auth: tma },
  { method: 'post', path: '/api/account/addresses', tag: 'account', summary: 'Save an address (201)', auth: tma, body: AddressInputSchema, errors: ['conflict'] },
  { method: 'patch', path: '/api/account/addresses/{id}', tag: 'account', summary: 'Edit an address or make it the default', auth: tma, params: AccountIdParamsSchema, body: AddressPatchSchema, errors: ['not_found'] },
  { method: 'delete', path: '/api/account/addresses/{id}', tag: 'account', summary: 'Delete an address (204)', auth: tma, params: AccountIdParamsSchema, errors: ['not_found'] },
  { method: 'get', path: '/api/account/history', tag: 'account', summary: 'Orders (and bookings, conversations, forms as their modules add them) with status and next step, newest first; page with `before`', auth: tma, query: HistoryQuerySchema },
  { method: 'get', path: '/api/account/documents', tag: 'account', summary: 'Receipts and documents attached by operators', auth: tma },
  { method: 'post', path: '/api/account/documents/{id}/link', tag: 'account', summary: 'A signed download link to one of your documents, valid for 5 minutes', auth: tma, params: AccountIdParamsSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/account/documents/{id}/send', tag: 'account', summary: 'Send the document into your chat with the bot (202, queued)', auth: tma, params: AccountIdParamsSchema, errors: ['not_found'] },
  { method: 'get', path: '/api/account/documents/download/{token}', tag: 'account', summary: 'A document file through its signed link (if the request carries initData, it must be the owner\'s)', auth: pub, params: DocumentTokenParamsSchema, produces: 'application/octet-stream', errors: ['document_link_invalid', 'document_link_expired', 'not_found', 'forbidden'] },
  { method: 'get', path: '/api/account/export', tag: 'account', summary: 'Everything we hold about you as one ZIP: account.json plus your documents (audited)', auth: tma, produces: 'application/zip' },
  { method: 'post', path: '/api/account/export/send', tag: 'account', summary: 'Send the same archive into your chat with the bot (202, queued)', auth: tma },
  { method: 'post', path: '/api/account/deletion', tag: 'account', summary: 'Delete your account: personal data erased, orders and payments kept anonymised for accounting; confirmed in the chat', auth: tma, body: AccountDeletionSchema, errors: ['conflict'] },
  { method: 'get', path: '/api/admin/customers', tag: 'admin', summary: 'Find customers by name, @username, Telegram id, phone or order number', auth: staff('customers.read'), query: AdminCustomersQuerySchema },
  { method: 'get', path: '/api/admin/customers/{id}', tag: 'admin', summary: 'The customer card: profile, addresses, history, documents, notes', auth: staff('customers.read'), params: CustomerParamsSchema, errors: ['not_found'] },
  { method: 'get', path: '/api/admin/customers/{id}/history', tag: 'admin', summary: "More of a customer's history", auth: staff('customers.read'), params: CustomerParamsSchema, query: CustomerHistoryQuerySchema, errors: ['not_found'] },
  { method: 'post', path: '/api/admin/customers/{id}/notes', tag: 'admin', summary: 'A note on the customer, for staff only (201, audited)', auth: staff('customers.manage'), params: CustomerParamsSchema, body: CustomerNoteSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/admin/customers/{id}/documents', tag: 'admin', summary: 'Attach a document (multipart `file`, `kind`, `title`; PDF/JPEG/PNG up to 10 MB; audited, the customer is told in the chat)', auth: staff('customers.manage'), params: CustomerParamsSchema, bodyType: 'multipart/form-data', errors: ['not_found', 'document_type_unsupported', 'payload_too_large'], bodyLimit: 10 * MB + 64 * KB },
  { method: 'post', path: '/api/admin/customers/{id}/documents/{documentId}/revoke', tag: 'admin', summary: "Revoke a customer's document (audited)", auth: staff('customers.manage'), params: CustomerDocumentParamsSchema, errors: ['not_found'] },
  { method: 'get', path: '/api/admin/customers/{id}/documents/{documentId}/file', tag: 'admin', summary: "A customer's document file", auth: staff('customers.read'), params: CustomerDocumentParamsSchema, produces: 'application/octet-stream', errors: ['not_found'] },
  { method: 'get', path: '/api/admin/settings/business', tag: 'admin', summary: 'The business profile customers see; configured is false until saved', auth: staff('settings.write') },
  { method: 'patch', path: '/api/admin/settings/business', tag: 'admin', summary: 'Save the business profile: name, tagline, address, phone, hours, time zone (audited)', auth: staff('settings.write'), body: BusinessProfileSchema },
  { method: 'get', path: '/api/admin/settings/legal', tag: 'admin', summary: 'Legal details printed on receipts', auth: staff('settings.write') },
  { method: 'patch', path: '/api/admin/settings/legal', tag: 'admin', summary: 'Set the legal details: name, tax number, address, taxes line, receipt footer (audited)', auth: staff('settings.write'), body: LegalDetailsSchema },
  { method: 'get', path: '/api/admin/support/conversations', tag: 'support', summary: 'The support inbox: a folder (new, mine, waiting, closed, open) with counters and a cursor', auth: staff('support.reply'), query: InboxQuerySchema },
  { method: 'get', path: '/api/admin/support/conversations/{id}', tag: 'support', summary: 'A conversation with every message (notes, delivery states), the customer and their recent orders; marks it read', auth: staff('support.reply'), params: ConversationParamsSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/admin/support/conversations/{id}/messages', tag: 'support', summary: 'Reply to the customer (queued to their chat) or leave an internal note (audited)', auth: staff('support.reply'), params: ConversationParamsSchema, body: OperatorMessageSchema, idempotencyKey: 'required', errors: ['not_found', 'conversation_closed'] },
  { method: 'post', path: '/api/admin/support/conversations/{id}/assign', tag: 'support', summary: 'Assign to an operator or to nobody (audited)', auth: staff('support.reply'), params: ConversationParamsSchema, body: AssignSchema, errors: ['not_found'] },
  { method: 'post', path: '/api/admin/support/conversations/{id}/status', tag: 'support', summary: 'Open, waiting or closed; closing asks the customer for a rating (audited)', auth: staff('support.reply'), params: ConversationParamsSchema, body: ConversationStatusSchema, errors: ['not_found', 'conflict'] },
  { method: 'post', path: '/api/admin/support/messages/{id}/retry', tag: 'support', summary: 'Send an undelivered (failed or blocked) reply again', auth: staff('support.reply'), params: SupportMessageParamsSchema, errors: ['not_found', 'conflict'] },
  { method: 'get', path: '/api/admin/support/articles', tag: 'support', summary: 'Every answer-base article with its "did this help?" counts', auth: staff('support.reply') },
  { method: 'post', path: '/api/admin/support/articles', tag: 'support', summary: 'Add an article (audited)', auth: staff('support.manage'), body: ArticleInputSchema, errors: ['conflict'] },
  { method: 'patch', path: '/api/admin/support/articles/{id}', tag: 'support', summary: 'Edit or hide an article (audited)', auth: staff('support.manage'), params: ArticleIdParamsSchema, body: ArticlePatchSchema, errors: ['not_found', 'conflict'] },
  { method: 'get', path: '/api/admin/support/hours', tag: 'support', summary: 'Support hours, auto-reply and expected wait', auth: staff('support.reply') },
  { method: 'post', path: '/api/admin/support/hours', tag: 'support', summary: 'Set support hours (weekly, time zone, holidays), auto-reply and expected wait (audited)', auth: staff('support.manage'), body: SupportHoursSchema },
  { method: 'get', path: '/api/admin/support/events', tag: 'support', summary: 'Live updates for the support screens (Server-Sent Events: `ready`, `change` with conversation ids, `ping` every 15 s)', auth: staff('support.reply'), produces: 'text/event-stream', errors: ['not_ready', 'rate_limited'] },
  { method: 'get', path: '/api/admin/support/operator-group', tag: 'support', summary: "The operators' Telegram group (forum topics per conversation), or null", auth: staff('support.manage') },
  { method: 'post', path: '/api/admin/support/operator-group', tag: 'support', summary: "Connect or disconnect the operators' Telegram group (audited)", auth: staff('support.manage'), body: OperatorGroupSchema },
  { method: 'get', path: '/api/admin/system', tag: 'admin', summary: 'System page: version, uptime, migrations, queue depths and failed jobs, Telegram updates and webhook, backups', auth: staff('system.manage') },
  { method: 'post', path: '/api/admin/system/jobs/retry', tag: 'admin', summary: 'Run a failed job once more (audited)', auth: staff('system.manage'), body: RetryJobSchema, errors: ['not_found', 'conflict'] },
  { method: 'post', path: '/api/admin/system/updates/{updateId}/replay', tag: 'admin', summary: 'Hand a parked (failed) Telegram update to the bot again (audited)', auth: staff('system.manage'), params: UpdateReplayParamsSchema, errors: ['not_found'] },
  // Broadcasts through the bot (docs/broadcasts.md)
  { method: 'get', path: '/api/admin/broadcasts', tag: 'broadcasts', summary: 'Broadcasts, newest first (30 a page, `before=` the last id), with sent, failed, blocked and click figures', auth: staff('broadcasts.manage'), query: BroadcastListQuerySchema },
  { method: 'post', path: '/api/admin/broadcasts', tag: 'broadcasts', summary: 'Write a broadcast as a draft: Telegram HTML in ru and/or en, optional photo and button, the segment (audited)', auth: staff('broadcasts.manage'), body: BroadcastInputSchema },
  { method: 'post', path: '/api/admin/broadcasts/audience', tag: 'broadcasts', summary: 'How many customers a segment reaches now (opted in to news, not blocked), in all and per language', auth: staff('broadcasts.manage'), body: BroadcastSegmentSchema },
  { method: 'get', path: '/api/admin/broadcasts/{id}', tag: 'broadcasts', summary: 'One broadcast with its figures and whether this version was previewed', auth: staff('broadcasts.manage'), params: BroadcastParamsSchema, errors: ['not_found'] },
  { method: 'patch', path: '/api/admin/broadcasts/{id}', tag: 'broadcasts', summary: 'Rewrite a draft; any change needs a new preview (audited)', auth: staff('broadcasts.manage'), params: BroadcastParamsSchema, body: BroadcastInputSchema, errors: ['not_found', 'broadcast_not_editable'] },
  { method: 'post', path: '/api/admin/broadcasts/{id}/preview', tag: 'broadcasts', summary: "Send the draft to the author's own chat in each of its languages (202, queued; audited)", auth: staff('broadcasts.manage'), params: BroadcastParamsSchema, errors: ['not_found', 'broadcast_not_editable'] },
  { method: 'post', path: '/api/admin/broadcasts/{id}/schedule', tag: 'broadcasts', summary: 'Send now (`at: null`) or at a time; needs a preview of this version first (audited)', auth: staff('broadcasts.manage'), params: BroadcastParamsSchema, body: BroadcastScheduleSchema, errors: ['not_found', 'broadcast_not_editable', 'broadcast_preview_required'] },
  { method: 'post', path: '/api/admin/broadcasts/{id}/cancel', tag: 'broadcasts', summary: 'Cancel a draft or scheduled broadcast, or stop one being sent (audited)', auth: staff('broadcasts.manage'), params: BroadcastParamsSchema, errors: ['not_found', 'broadcast_not_editable'] },
  { method: 'get', path: '/api/broadcasts/click/{token}', tag: 'broadcasts', summary: "A broadcast's button: counts the press for that recipient and redirects (302) to the link or the Mini App", auth: pub, params: BroadcastClickParamsSchema, produces: 'text/html', errors: ['not_found'] },
  // Sandbox (only without a real bot token)
  { method: 'get', path: '/api/sandbox/launch', tag: 'sandbox', summary: 'Signed launch parameters for a demo person', auth: pub, query: SandboxLaunchQuery, errors: ['not_found'] },
  { method: 'get', path: '/api/sandbox/chat', tag: 'sandbox', summary: 'What the bot sent to a demo person', auth: pub, query: SandboxChatQuery, errors: ['not_found'] },
  { method: 'post', path: '/api/sandbox/chat', tag: 'sandbox', summary: 'A demo person writes to the bot (through the webhook)', auth: pub, body: SandboxChatMessageBody, errors: ['not_found'] },
  { method: 'post', path: '/api/sandbox/contact', tag: 'sandbox', summary: "Share (or decline) the demo person's phone number for requestContact: the contact goes to the bot, the signed answer to the Mini App", auth: pub, body: SandboxContactBody, errors: ['not_found', 'payload_too_large'] },
  { method: 'post', path: '/api/sandbox/callback', tag: 'sandbox', summary: 'A demo person presses an inline button', auth: pub, body: SandboxCallbackBody, errors: ['not_found'] },
  { method: 'get', path: '/api/sandbox/invoices/{slug}', tag: 'sandbox', summary: 'An invoice link as the payment sheet shows it (amounts, shipping address needed)', auth: pub, params: SandboxInvoiceParams, errors: ['not_found'] },
  { method: 'post', path: '/api/sandbox/invoices/shipping', tag: 'sandbox', summary: "Send a shipping address from the payment sheet: the bot's delivery options or its refusal", auth: pub, body: SandboxShippingBody, errors: ['not_found'] },
  { method: 'post', path: '/api/sandbox/clock/booking-reminders', tag: 'sandbox', summary: "Tests only (sandbox under NODE_ENV=test, else 404): the booking's planned reminders become due now and the queue sends them", auth: pub, body: SandboxClockBody, errors: ['not_found'] },
  { method: 'post', path: '/api/sandbox/invoices/pay', tag: 'sandbox', summary: 'Pay, cancel, fail or leave pending an invoice like the Telegram payment sheet', auth: pub, body: SandboxInvoicePayBody, errors: ['not_found'] },
  { method: 'get', path: '/api/openapi.json', tag: 'operations', summary: 'This document', auth: pub },
  { method: 'get', path: '/api/docs', tag: 'operations', summary: 'A readable page of this document', auth: pub, produces: 'text/html' },
]
