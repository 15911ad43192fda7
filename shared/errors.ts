/**
 * Every error `code` the API answers with, its HTTP status and what it means. Clients switch on
 * `code` (stable), never on `message` (human, may change). The Mini App maps each code to a
 * translated message; the OpenAPI document lists them.
 */
export const ERROR_CODES = {
  validation_failed: { status: 400, description: 'The request body, query or path did not match the schema; `details` lists each problem.' },
  bad_request: { status: 400, description: 'The request could not be read (bad JSON, wrong content type).' },
  payload_too_large: { status: 413, description: 'The request body is larger than this route accepts.' },
  auth_missing: { status: 401, description: 'No `Authorization: tma <initData>` header (or no session cookie on admin routes).' },
  auth_malformed: { status: 401, description: 'The init data or session could not be parsed.' },
  auth_invalid_signature: { status: 401, description: 'The init data signature does not match this bot.' },
  auth_expired: { status: 401, description: 'The init data is older than INIT_DATA_MAX_AGE; reopen the Mini App.' },
  auth_invalid_token: { status: 401, description: 'The bearer token (e.g. METRICS_TOKEN for GET /metrics) is wrong.' },
  forbidden: { status: 403, description: 'Signed in, but the role does not allow this action.' },
  demo_read_only: { status: 403, description: 'A public demo (PUBLIC_DEMO=1): people from the sandbox may look at /admin but not change settings, roles, prices or money.' },
  csrf_failed: { status: 403, description: 'A cookie-authenticated write without a valid `X-CSRF-Token` (from `GET /api/auth/session`) or from a foreign Origin.' },
  login_link_invalid: { status: 401, description: 'The /admin sign-in link is unknown; ask the bot for a new one with /admin.' },
  login_link_used: { status: 401, description: 'The /admin sign-in link was already used; links work once.' },
  login_link_expired: { status: 401, description: 'The /admin sign-in link is older than 5 minutes; ask the bot for a new one.' },
  last_owner: { status: 409, description: 'The last owner cannot lose the owner role.' },
  role_pinned: { status: 409, description: 'This owner is listed in ADMIN_TELEGRAM_IDS; remove them there first.' },
  webhook_secret_mismatch: { status: 401, description: 'X-Telegram-Bot-Api-Secret-Token is missing or wrong.' },
  not_found: { status: 404, description: 'No such route or resource.' },
  method_not_allowed: { status: 405, description: 'The route exists but not for this HTTP method.' },
  conflict: { status: 409, description: 'The resource changed meanwhile or the request repeats a finished one.' },
  idempotency_key_reused: { status: 422, description: 'This Idempotency-Key was already used with a different request (other body or path); a new request needs a new key.' },
  idempotency_key_in_use: { status: 409, description: 'The first request with this Idempotency-Key is still running; retry in a moment.' },
  rate_limited: { status: 429, description: 'Too many requests; wait for Retry-After seconds.' },
  integration_not_configured: { status: 409, description: 'The partner is not configured (its settings are not in the environment).' },
  api_key_invalid: { status: 401, description: 'REST API v1: no `Authorization: Bearer <key>`, or an unknown key.' },
  api_key_revoked: { status: 401, description: 'REST API v1: the API key was revoked in /admin; ask the business for a new one.' },
  api_scope_missing: { status: 403, description: 'REST API v1: the API key does not hold the scope this route needs; `details.required` names it.' },
  webhook_url_refused: { status: 400, description: 'An outbound webhook URL we will not post to: not http(s), or in production not https or an internal (private, loopback, link-local) address.' },
  integration_webhook_unauthorized: { status: 401, description: "A partner's webhook without the right secret (`?secret=` in the URL given to the partner)." },
  partner_unavailable: { status: 424, description: 'The partner did not answer, answered with an error, or refused our credentials; try again later.' },
  partner_contract_changed: { status: 424, description: "The partner's answer no longer matches its contract; it was quarantined and staff were warned. `details.issues` lists the field paths." },
  not_ready: { status: 503, description: 'The database or the queue is not available yet.' },
  database_unavailable: { status: 503, description: 'The database does not answer right now (restarting, unreachable); nothing was saved. Retry shortly; /api/ready says when it is back.' },
  storage_full: { status: 503, description: 'The disk holding DATA_DIR is full; nothing was saved. The operator must free space; /api/ready reports it.' },
  invalid_options: { status: 400, description: 'A product option or value that the product does not have, or a required option missing.' },
  unsupported_media_type: { status: 415, description: 'An upload that is not a JPEG, PNG, WebP or GIF image (checked from its bytes).' },
  insufficient_stock: { status: 409, description: 'Fewer items in stock than asked for; `details.available` says how many.' },
  out_of_stock: { status: 409, description: 'An item sold out while the order was being placed.' },
  cart_empty: { status: 409, description: 'Ordering with an empty cart.' },
  cart_currency_mismatch: { status: 409, description: 'The item is priced in another currency (e.g. Telegram Stars) than the cart; order them separately.' },
  cart_full: { status: 409, description: 'The cart holds its maximum number of lines.' },
  cart_changed: { status: 409, description: 'Prices or availability changed since the cart was seen; `details` lists the lines. Show them, then accept the new prices.' },
  below_minimum_order: { status: 409, description: 'The order is below the minimum for the chosen delivery zone; `details.minOrderMinor`.' },
  payment_method_unavailable: { status: 409, description: 'The business does not accept this payment method.' },
  delivery_method_unavailable: { status: 409, description: 'Delivery to an address given in Telegram is off, or needs paying in Telegram with a card (not Stars).' },
  invalid_transition: { status: 409, description: 'The order cannot move to that status from its current one; `details.allowed` lists where it can go.' },
  refund_required: { status: 409, description: 'The order was paid in Telegram: cancel it by refunding its payment (Payments), which also closes the order.' },
  order_not_payable: { status: 409, description: 'The order is not waiting for payment (already paid, cancelled or paid on delivery).' },
  order_expired: { status: 409, description: 'The time to pay the order ran out and its items were released; place it again.' },
  already_refunded: { status: 409, description: 'The payment has been refunded in full.' },
  partial_refund_unavailable: { status: 409, description: 'Telegram Stars payments can only be refunded in full.' },
  refund_failed: { status: 502, description: 'Telegram refused the refund; `message` says why. Nothing changed.' },
  conversation_closed: { status: 409, description: 'The support conversation is closed; the customer opens a new one by writing again.' },
  telegram_unavailable: { status: 502, description: 'Telegram did not answer or refused the call; `message` says why. Nothing was stored; try again later.' },
  document_type_unsupported: { status: 415, description: 'A document that is not a PDF, JPEG or PNG file (checked from its bytes).' },
  calendar_link_invalid: { status: 403, description: 'The calendar (.ics) link was altered or is not one of ours.' },
  calendar_link_expired: { status: 410, description: 'The calendar (.ics) link is older than 5 minutes; ask for a new one from the booking.' },
  document_link_invalid: { status: 403, description: 'The document link was altered or is not one of ours.' },
  document_link_expired: { status: 410, description: 'The document link is older than 5 minutes; open the document again from the account.' },
  slot_taken: { status: 409, description: 'The booking slot is no longer free (taken, or outside the schedule now); `details.alternatives` lists free slots nearby.' },
  too_many_holds: { status: 409, description: 'The customer already holds the most unconfirmed slots allowed; confirm or cancel one first.' },
  hold_expired: { status: 409, description: 'The time a slot was held for the customer ran out before they confirmed; pick it again.' },
  change_deadline_passed: { status: 409, description: "Too close to the booking's start to cancel or move it online (`details.deadlineMinutes`)." },
  payment_required: { status: 409, description: 'The service takes a prepayment: the booking is confirmed by paying it (`POST /api/booking/bookings/{id}/pay`), not by confirming.' },
  slot_available: { status: 409, description: 'The slot (or the day) has a free seat now: book it instead of joining the waitlist.' },
  too_many_waitlist: { status: 409, description: 'The customer already waits for the most slots allowed; leave one first.' },
  schedule_conflict: { status: 409, description: 'A schedule change would leave confirmed bookings outside the working hours (`details.bookings`); send `onConflict: "keep"` or `"cancel"` to proceed.' },
  form_invalid: { status: 400, description: 'Some answers do not fit the form (missing required field, a field hidden by a condition filled in, a wrong type); `details` lists `{ path, code, message }` per field.' },
  form_version_unknown: { status: 409, description: 'The form version the answers were filled against does not exist; reopen the form.' },
  draft_conflict: { status: 409, description: 'The draft was saved from another device since this one loaded it; `details.draft` is the current draft: merge and save again with its revision.' },
  broadcast_preview_required: { status: 409, description: 'A broadcast is sent only after its author received a preview of exactly this version in their own chat: send the preview first.' },
  broadcast_not_editable: { status: 409, description: 'The broadcast is already scheduled, being sent, sent or cancelled: only a draft can be changed.' },
  internal_error: { status: 500, description: 'An unexpected error; the request id in the response helps find it in the logs.' },
} as const satisfies Record<string, { status: number; description: string }>

export type ErrorCode = keyof typeof ERROR_CODES

/** The JSON body of every error response. */
export interface ApiErrorBody {
  statusCode: number
  code: ErrorCode | (string & {})
  message: string
  details?: unknown
  requestId?: string
}
