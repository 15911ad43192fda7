/** Whether the browser believes it is online, kept live by the online/offline events (client only). */
export function useOnline() {
  const online = useState('online', () => (import.meta.client ? navigator.onLine : true))
  if (import.meta.client) {
    const update = () => (online.value = navigator.onLine)
    onMounted(() => {
      window.addEventListener('online', update)
      window.addEventListener('offline', update)
    })
    onBeforeUnmount(() => {
      window.removeEventListener('online', update)
      window.removeEventListener('offline', update)
    })
  }
  return online
}
