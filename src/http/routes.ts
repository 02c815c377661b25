import { changePassword } from '../auth/routes/change-password.js';
import { login } from '../auth/routes/login.js';
import { logout } from '../auth/routes/logout.js';
import { me } from '../auth/routes/me.js';
import { addCollectionItem } from '../collections/routes/add-collection-item.js';
import { createCollection } from '../collections/routes/create-collection.js';
import { getCollection } from '../collections/routes/get-collection.js';
import { listCollections } from '../collections/routes/list-collections.js';
import { deleteFile } from '../files/routes/delete-file.js';
import { downloadFile } from '../files/routes/download-file.js';
import { uploadFile } from '../files/routes/upload-file.js';
import { archiveMaterial } from '../materials/routes/archive-material.js';
import { createMaterial } from '../materials/routes/create-material.js';
import { getMaterial } from '../materials/routes/get-material.js';
import { listMaterials } from '../materials/routes/list-materials.js';
import { materialHistory } from '../materials/routes/material-history.js';
import { reviseMaterial } from '../materials/routes/revise-material.js';
import { submitMaterial } from '../materials/routes/submit-material.js';
import { updateMaterial } from '../materials/routes/update-material.js';
import { createOrg } from '../orgs/routes/create-org.js';
import { getOrg } from '../orgs/routes/get-org.js';
import { listOrgs } from '../orgs/routes/list-orgs.js';
import { mergeOrg } from '../orgs/routes/merge-org.js';
import { moveOrg } from '../orgs/routes/move-org.js';
import { movePreview } from '../orgs/routes/move-preview.js';
import { updateOrg } from '../orgs/routes/update-org.js';
import { listAudit } from '../audit/routes/list-audit.js';
import { claimTask } from '../review/routes/claim-task.js';
import { decideTask } from '../review/routes/decide-task.js';
import { getTask } from '../review/routes/get-task.js';
import { listTasks } from '../review/routes/list-tasks.js';
import { releaseTask } from '../review/routes/release-task.js';
import { search } from '../search/routes/search.js';
import { suggestSearch } from '../search/routes/suggest.js';
import { health } from '../system/routes/health.js';
import { ready } from '../system/routes/ready.js';
import { getTaxonomy } from '../taxonomy/routes/get-taxonomy.js';
import { createUser } from '../users/routes/create-user.js';
import { listUsers } from '../users/routes/list-users.js';
import { updateUser } from '../users/routes/update-user.js';
import { getUser } from '../users/routes/get-user.js';
import { createPasswordReset } from '../users/routes/create-password-reset.js';
import { importUsers } from '../users/routes/import-users.js';
import { cancelJob } from '../jobs-admin/routes/cancel-job.js';
import { listJobs } from '../jobs-admin/routes/list-jobs.js';
import { retryJob } from '../jobs-admin/routes/retry-job.js';
import { documentPage } from '../documents/routes/document-page.js';
import { documentPdf } from '../documents/routes/document-pdf.js';
import { getDocument } from '../documents/routes/get-document.js';
import { hls } from '../media/routes/hls.js';
import { listRenditions } from '../media/routes/list-renditions.js';
import { poster } from '../media/routes/poster.js';
import { qcReport } from '../media/routes/qc-report.js';
import { renditionContent } from '../media/routes/rendition-content.js';
import { importQuestions } from '../questions/routes/import-questions.js';
import { exportTest } from '../exams/routes/export-test.js';
import { generateTest } from '../exams/routes/generate-test.js';
import { getTest } from '../exams/routes/get-test.js';
import { exportQuestions } from '../questions/routes/export-questions.js';
import { listQuestions } from '../questions/routes/list-questions.js';
import { questionAsset } from '../questions/routes/question-asset.js';
import { questionSummary } from '../questions/routes/question-summary.js';
import { questionTemplate } from '../questions/routes/question-template.js';
import { tusUploads } from '../uploads/routes/tus.js';
import { authorizeChannel } from '../publishing/youtube/routes/authorize-channel.js';
import { bulkExport } from '../publishing/youtube/routes/bulk-export.js';
import { createChannel } from '../publishing/youtube/routes/create-channel.js';
import { createExport } from '../publishing/youtube/routes/create-export.js';
import { deleteChannel } from '../publishing/youtube/routes/delete-channel.js';
import { getChannel } from '../publishing/youtube/routes/get-channel.js';
import { getExport } from '../publishing/youtube/routes/get-export.js';
import { listChannels } from '../publishing/youtube/routes/list-channels.js';
import { listExports } from '../publishing/youtube/routes/list-exports.js';
import { oauthCallback } from '../publishing/youtube/routes/oauth-callback.js';
import { updateChannel } from '../publishing/youtube/routes/update-channel.js';
import { broadcastSchedule } from '../publishing/broadcast/routes/schedule.js';
import { createBroadcastChannel } from '../publishing/broadcast/routes/create-channel.js';
import { createBroadcastSlot } from '../publishing/broadcast/routes/create-slot.js';
import { deleteBroadcastSlot } from '../publishing/broadcast/routes/delete-slot.js';
import { moveBroadcastSlot } from '../publishing/broadcast/routes/move-slot.js';
import { importBroadcastSlots } from '../publishing/broadcast/routes/import-slots.js';
import { listBroadcastChannels } from '../publishing/broadcast/routes/list-channels.js';
import { materialBroadcasts } from '../publishing/broadcast/routes/material-broadcasts.js';
import { setBroadcastSlotStatus } from '../publishing/broadcast/routes/set-slot-status.js';
import { listNotifications } from '../notifications/routes/list-notifications.js';
import { readAllNotifications } from '../notifications/routes/read-all-notifications.js';
import { readNotification } from '../notifications/routes/read-notification.js';
import { myAttempt } from '../packages/routes/my-attempt.js';
import { packageStatus } from '../packages/routes/package-status.js';
import type { Route } from './types.js';

/** Every endpoint of the API, one module each. */
export const ROUTES: Route[] = [
  health, ready,
  login, logout, me, changePassword,
  createOrg, listOrgs, getOrg, updateOrg, moveOrg, movePreview, mergeOrg,
  listAudit,
  createUser, listUsers, getUser, updateUser, createPasswordReset, importUsers,
  getTaxonomy,
  createMaterial, listMaterials, getMaterial, updateMaterial, submitMaterial, reviseMaterial, archiveMaterial, materialHistory,
  uploadFile, tusUploads, deleteFile, downloadFile,
  listRenditions, renditionContent, hls, poster, qcReport,
  getDocument, documentPdf, documentPage,
  packageStatus, myAttempt,
  listJobs, retryJob, cancelJob,
  importQuestions, listQuestions, questionSummary, exportQuestions, questionAsset, questionTemplate,
  generateTest, getTest, exportTest,
  listTasks, getTask, claimTask, releaseTask, decideTask,
  listNotifications, readNotification, readAllNotifications,
  search, suggestSearch,
  createCollection, listCollections, getCollection, addCollectionItem,
  createChannel, listChannels, getChannel, updateChannel, deleteChannel, authorizeChannel, oauthCallback,
  createExport, bulkExport, listExports, getExport,
  createBroadcastChannel, listBroadcastChannels, createBroadcastSlot, importBroadcastSlots, setBroadcastSlotStatus, moveBroadcastSlot, deleteBroadcastSlot,
  broadcastSchedule, materialBroadcasts,
];
