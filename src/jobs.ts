import { ForgetLoginThrottlesJob } from './auth/jobs/forget-login-throttles.job.js';
import { SweepTempObjectsJob } from './files/jobs/sweep-temp-objects.job.js';
import { ProcessFileJob } from './media/jobs/process-file.job.js';
import { TvLessonQcJob } from './media/jobs/tv-lesson-qc.job.js';
import { IndexMaterialJob } from './search/jobs/index-material.job.js';
import { MaterialChangedJob } from './publishing/youtube/jobs/material-changed.job.js';
import { YouTubeExportJob } from './publishing/youtube/jobs/youtube-export.job.js';
import { YouTubeSchedulerJob } from './publishing/youtube/jobs/youtube-scheduler.job.js';
import { SweepExpiredUploadsJob } from './uploads/jobs/sweep-expired-uploads.job.js';

/** Every background job of the system. Workers run exactly these; the API enqueues only these. */
export const JOBS = [
  IndexMaterialJob, SweepTempObjectsJob, SweepExpiredUploadsJob, ProcessFileJob, TvLessonQcJob,
  YouTubeExportJob, YouTubeSchedulerJob, MaterialChangedJob, ForgetLoginThrottlesJob,
] as const;
