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
import { materialHistory } from '../materials/routes/material-history.js';
import { reviseMaterial } from '../materials/routes/revise-material.js';
import { submitMaterial } from '../materials/routes/submit-material.js';
import { updateMaterial } from '../materials/routes/update-material.js';
import { createOrg } from '../orgs/routes/create-org.js';
import { getOrg } from '../orgs/routes/get-org.js';
import { listOrgs } from '../orgs/routes/list-orgs.js';
import { moveOrg } from '../orgs/routes/move-org.js';
import { claimTask } from '../review/routes/claim-task.js';
import { decideTask } from '../review/routes/decide-task.js';
import { listTasks } from '../review/routes/list-tasks.js';
import { search } from '../search/routes/search.js';
import { health } from '../system/routes/health.js';
import { ready } from '../system/routes/ready.js';
import { getTaxonomy } from '../taxonomy/routes/get-taxonomy.js';
import { createUser } from '../users/routes/create-user.js';
import { cancelJob } from '../jobs-admin/routes/cancel-job.js';
import { listJobs } from '../jobs-admin/routes/list-jobs.js';
import { retryJob } from '../jobs-admin/routes/retry-job.js';
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
import type { Route } from './types.js';

/** Every endpoint of the API, one module each. */
export const ROUTES: Route[] = [
  health, ready,
  login, logout, me,
  createOrg, listOrgs, getOrg, moveOrg,
  createUser,
  getTaxonomy,
  createMaterial, getMaterial, updateMaterial, submitMaterial, reviseMaterial, archiveMaterial, materialHistory,
  uploadFile, tusUploads, deleteFile, downloadFile,
  listRenditions, renditionContent, hls, poster, qcReport,
  listJobs, retryJob, cancelJob,
  importQuestions, listQuestions, questionSummary, exportQuestions, questionAsset, questionTemplate,
  generateTest, getTest, exportTest,
  listTasks, claimTask, decideTask,
  search,
  createCollection, listCollections, getCollection, addCollectionItem,
];
