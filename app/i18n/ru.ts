/**
 * Russian strings the Mini App's first screen needs: shell, home and the errors a launch can meet.
 * Every other screen's strings (and the sandbox's and the way in from a plain browser) are in
 * `ru.more.ts`, loaded once the first screen has painted or before another screen opens. Together
 * the two files are the contract `en.ts` and `en.more.ts` must match.
 */
const ru = {
  common: {
    retry: 'Повторить',
    loading: 'Загрузка…',
    back: 'Назад',
    comingSoon: 'Скоро',
    comingSoonText: 'Этот раздел появится в одном из ближайших обновлений. Пока можно вернуться на главную.',
    toHome: 'На главную',
  },
  offline: 'Нет соединения. Покажем свежие данные, как только сеть вернётся.',
  home: {
    greeting: 'Здравствуйте, {name}!',
    sections: 'Разделы',
    menuHint: 'Товары и цены',
    booking: 'Запись',
    bookingHint: 'Запись на свободное время',
    support: 'Помощь',
    supportHint: 'Ответы и оператор',
    account: 'Профиль',
    accountHint: 'Профиль, история, документы, данные',
    hours: 'Часы работы',
    address: 'Адрес',
    phone: 'Телефон',
    secondaryButton: 'Записаться',
  },
  errors: {
    auth_missing: { title: 'Не удалось узнать вас', action: 'Закройте приложение и откройте его снова из чата с ботом.' },
    auth_malformed: { title: 'Данные входа повреждены', action: 'Закройте приложение и откройте его снова из чата с ботом.' },
    auth_invalid_signature: { title: 'Вход не подтверждён Telegram', action: 'Откройте приложение из официального чата с ботом.' },
    auth_expired: { title: 'Сессия устарела', action: 'Закройте приложение и откройте его снова — это займёт секунду.' },
    forbidden: { title: 'Нет доступа', action: 'Этот раздел доступен только сотрудникам. Если это ошибка, напишите владельцу.' },
    rate_limited: { title: 'Слишком много запросов', action: 'Подождите несколько секунд и повторите.' },
    not_ready: { title: 'Сервис запускается', action: 'Повторите через минуту.' },
    internal_error: { title: 'У нас что-то сломалось', action: 'Мы уже знаем. Повторите через минуту.' },
    network: { title: 'Нет связи с сервером', action: 'Проверьте интернет и нажмите «Повторить».' },
    unknown: { title: 'Что-то пошло не так', action: 'Повторите ещё раз чуть позже.' },
  },
  cart: {
    entry: 'Корзина',
    entryCount: 'Корзина: {count} шт. на {price}',
    entrySummary: '{count} шт. на {price}',
    empty: 'Корзина пуста',
  },
  orders: {
    entry: 'Заказы',
    entryHint: 'Статусы и история',
  },
}

export default ru
export type FirstMessages = typeof ru
