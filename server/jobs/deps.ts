import type { AppServices } from '../utils/runtime'

/** What every job handler gets besides its payload. */
export interface JobDeps {
  services: AppServices
}
