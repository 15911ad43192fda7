import { useAdminApi, useList } from './api'
import type { AdminCategory, AdminProduct, ImportResult } from './types'

/** Every product, hidden ones included. */
export const useAdminProducts = () => useList<AdminProduct>('/api/admin/catalog/products')
/** Every category, hidden ones included. */
export const useAdminCategories = () => useList<AdminCategory>('/api/admin/catalog/categories')

/** Catalog writes; each throws AdminApiError with the server's code and field details. */
export function useCatalogActions() {
  const api = useAdminApi()
  return {
    createProduct: (body: unknown) => api.post<AdminProduct>('/api/admin/catalog/products', body),
    updateProduct: (id: number, patch: unknown) => api.patch<AdminProduct>(`/api/admin/catalog/products/${id}`, patch),
    adjustStock: (id: number, delta: number, reason: string) => api.post<{ stock: number }>(`/api/admin/catalog/products/${id}/stock`, { delta, reason }),
    uploadImage(id: number, file: File) {
      const form = new FormData()
      form.append('image', file)
      return api.postForm<{ image: { path: string }; product: AdminProduct }>(`/api/admin/catalog/products/${id}/images`, form)
    },
    importCsv: (text: string) => api.postText<ImportResult>('/api/admin/catalog/products/import', text),
    exportCsv: () => api.download('/api/admin/catalog/products/export.csv'),
    createCategory: (body: unknown) => api.post<AdminCategory>('/api/admin/catalog/categories', body),
    updateCategory: (id: number, patch: unknown) => api.patch<AdminCategory>(`/api/admin/catalog/categories/${id}`, patch),
  }
}
