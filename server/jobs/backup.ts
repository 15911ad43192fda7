import { jobWorker, type JobContext } from './queue'
import type { JobDeps } from '../composition-root'
import { listStaffIds, chatRecipient } from '../services/auth/users'
import { backupJob } from '../services/backup/jobs'
import { pruneBackups, recordBackupStatus, writeBackupFile } from '../services/backup/files'
import { chatMessageJob } from '../services/notifications/jobs'
import { appVersion } from '../utils/version'

const FAILED = {
  ru: (error: string) => `⚠️ Резервная копия не сделана: ${error}\nПроверьте место на диске и /admin → Система.`,
  en: (error: string) => `⚠️ The backup failed: ${error}\nCheck the disk space and /admin → System.`,
}

export const backupWorkers = [
  jobWorker(backupJob, async (_data, { services, logger, job }: JobContext<JobDeps>) => {
    const { config, database } = services
    try {
      const written = await writeBackupFile(database, { dataDir: config.dataDir, appVersion: appVersion(), out: config.backup.dir })
      await recordBackupStatus(database.db, { ok: true, file: written.path, bytes: written.bytes })
      const removed = await pruneBackups(config.backup.dir, config.backup.retention)
      logger.info('backup written', { file: written.path, bytes: written.bytes, removed: removed.length })
    } catch (error) {
      const message = (error as Error).message
      logger.error('backup failed', { error })
      await recordBackupStatus(database.db, { ok: false, error: message })
      for (const id of await listStaffIds(database.db, ['owner', 'admin'])) {
        const to = await chatRecipient(database.db, id)
        if (to && !to.blocked) await services.queue.enqueue(chatMessageJob, { chatId: to.id, text: FAILED[to.locale](message.slice(0, 300)) }, { singletonKey: `backup-failed-${job.id}-${to.id}` })
      }
    }
  }),
]
