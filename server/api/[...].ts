/** Unknown API paths get a JSON 404 instead of falling through to the page renderer. */
export default defineEventHandler(() => {
  throw apiError('not_found', 'No such API route')
})
