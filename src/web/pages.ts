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
import { homePage } from '../search/pages/home-page.js';
import { searchPage } from '../search/pages/search-page.js';
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
  sitemapXml, robotsTxt,
];
