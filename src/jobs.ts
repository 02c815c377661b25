import { ForgetLoginThrottlesJob } from './auth/jobs/forget-login-throttles.job.js';
import { SweepTempObjectsJob } from './files/jobs/sweep-temp-objects.job.js';
import { ProcessDocumentJob } from './documents/jobs/process-document.job.js';
import { ProcessFileJob } from './media/jobs/process-file.job.js';
import { TvLessonQcJob } from './media/jobs/tv-lesson-qc.job.js';
import { ValidatePackageJob } from './packages/jobs/validate-package.job.js';
import { IndexMaterialJob } from './search/jobs/index-material.job.js';
import { SyncSearchDownloadsJob } from './search/jobs/sync-downloads.job.js';
import { MaterialChangedJob } from './publishing/youtube/jobs/material-changed.job.js';
import { YouTubeExportJob } from './publishing/youtube/jobs/youtube-export.job.js';
import { YouTubeSchedulerJob } from './publishing/youtube/jobs/youtube-scheduler.job.js';
import { SweepExpiredUploadsJob } from './uploads/jobs/sweep-expired-uploads.job.js';
import { ClaimReminderJob } from './notifications/jobs/claim-reminder.job.js';
import { SendNotificationEmailJob } from './notifications/jobs/send-notification-email.job.js';

/** Every background job of the system. Workers run exactly these; the API enqueues only these. */
export const JOBS = [
  IndexMaterialJob, SyncSearchDownloadsJob, SweepTempObjectsJob, SweepExpiredUploadsJob, ProcessFileJob, TvLessonQcJob, ProcessDocumentJob, ValidatePackageJob,
  YouTubeExportJob, YouTubeSchedulerJob, MaterialChangedJob, ForgetLoginThrottlesJob, SendNotificationEmailJob, ClaimReminderJob,
] as const;
