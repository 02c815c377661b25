import type { AppContext } from '../context.js';
import type { App } from '../http/types.js';
import { loginPage } from '../auth/pages/login-page.js';
import { logoutAction } from '../auth/pages/logout-action.js';
import { passwordPage } from '../auth/pages/password-page.js';
import { uploadTokenAction } from '../auth/pages/upload-token-action.js';
import { collectionPage } from '../collections/pages/collection-page.js';
import { materialPage } from '../materials/pages/material-page.js';
import { workspaceActions } from '../materials/pages/workspace-actions.js';
import { workspaceMaterialPage } from '../materials/pages/workspace-material-page.js';
import { workspaceNewPage } from '../materials/pages/workspace-new-page.js';
import { workspacePage } from '../materials/pages/workspace-page.js';
import { workspaceQuestionImport } from '../materials/pages/workspace-question-import.js';
import { schedulePage } from '../publishing/broadcast/pages/schedule-page.js';
import { reviewActions } from '../review/pages/review-actions.js';
import { reviewQueuePage } from '../review/pages/review-queue-page.js';
import { reviewTaskPage } from '../review/pages/review-task-page.js';
import { consolePage } from '../publishing/pages/console-page.js';
import { scheduleActions } from '../publishing/pages/schedule-actions.js';
import { scheduleConsolePage } from '../publishing/pages/schedule-console-page.js';
import { youtubeActions } from '../publishing/pages/youtube-actions.js';
import { homePage } from '../search/pages/home-page.js';
import { adminHomePage } from '../admin/pages/admin-home-page.js';
import { auditPage } from '../audit/pages/audit-page.js';
import { jobsPage } from '../jobs-admin/pages/jobs-page.js';
import { orgPage } from '../orgs/pages/org-page.js';
import { orgTransferPage } from '../orgs/pages/org-transfer-page.js';
import { orgTreePage } from '../orgs/pages/org-tree-page.js';
import { searchPage } from '../search/pages/search-page.js';
import { inboxActions } from '../notifications/pages/inbox-actions.js';
import { inboxPage } from '../notifications/pages/inbox-page.js';
import { preferencesPage } from '../notifications/pages/preferences-page.js';
import { resetPasswordPage } from '../users/pages/reset-password-page.js';
import { userActions } from '../users/pages/user-actions.js';
import { userEditPage } from '../users/pages/user-edit-page.js';
import { userImportPage } from '../users/pages/user-import-page.js';
import { userNewPage } from '../users/pages/user-new-page.js';
import { usersPage } from '../users/pages/users-page.js';
import type { PageRenderer } from './render.js';
import { robotsTxt } from './robots.js';
import { sitemapXml } from './sitemap.js';

/** One page (or form action) of the web portal: a small module beside its feature, like an API route. */
export type Page = (app: App, ctx: AppContext, pages: PageRenderer) => void;

/** Every page of the web portal. */
export const PAGES: Page[] = [
  homePage, searchPage, materialPage, collectionPage, schedulePage,
  loginPage, logoutAction,
  workspacePage, workspaceNewPage, workspaceMaterialPage, workspaceActions, workspaceQuestionImport, passwordPage, uploadTokenAction,
  reviewQueuePage, reviewTaskPage, reviewActions,
  consolePage, youtubeActions, scheduleConsolePage, scheduleActions,
  inboxPage, inboxActions, preferencesPage,
  resetPasswordPage, usersPage, userNewPage, userImportPage, userEditPage, userActions,
  adminHomePage, orgTreePage, orgPage, orgTransferPage, jobsPage, auditPage,
  sitemapXml, robotsTxt,
];
