import type { FirstMessages } from './ru'

/** English strings of the first screen; `satisfies` keeps every key of `ru.ts` present here. */
const en = {
  common: {
    retry: 'Try again',
    loading: 'Loading…',
    back: 'Back',
    comingSoon: 'Coming soon',
    comingSoonText: 'This section arrives in one of the next updates. Meanwhile, head back home.',
    toHome: 'Home',
  },
  offline: 'You are offline. We will refresh as soon as the network is back.',
  home: {
    greeting: 'Hello, {name}!',
    sections: 'Sections',
    menuHint: 'Products and prices',
    booking: 'Booking',
    bookingHint: 'Book a free time slot',
    support: 'Help',
    supportHint: 'Answers and a live operator',
    account: 'Account',
    accountHint: 'Profile, history, documents, your data',
    hours: 'Opening hours',
    address: 'Address',
    phone: 'Phone',
    secondaryButton: 'Book a time',
  },
  errors: {
    auth_missing: { title: 'We could not recognise you', action: 'Close the app and open it again from the bot chat.' },
    auth_malformed: { title: 'Your sign-in data is damaged', action: 'Close the app and open it again from the bot chat.' },
    auth_invalid_signature: { title: 'Telegram did not confirm your sign-in', action: 'Open the app from the official bot chat.' },
    auth_expired: { title: 'Your session has expired', action: 'Close the app and open it again — it takes a second.' },
    forbidden: { title: 'No access', action: 'This section is for staff only. If this is a mistake, contact the owner.' },
    rate_limited: { title: 'Too many requests', action: 'Wait a few seconds and try again.' },
    not_ready: { title: 'The service is starting', action: 'Try again in a minute.' },
    internal_error: { title: 'Something broke on our side', action: 'We have been notified. Try again in a minute.' },
    network: { title: 'Cannot reach the server', action: 'Check your connection and tap “Try again”.' },
    unknown: { title: 'Something went wrong', action: 'Please try again a bit later.' },
  },
  cart: {
    entry: 'Cart',
    entryCount: 'Cart: {count} items, {price}',
    entrySummary: '{count} items, {price}',
    empty: 'Your cart is empty',
  },
  orders: {
    entry: 'Orders',
    entryHint: 'Statuses and history',
  },
} satisfies FirstMessages

export default en
