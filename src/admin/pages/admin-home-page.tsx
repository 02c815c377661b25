import type { Page } from '../../web/pages.js';
import { requireAdministrator, sectionsFor } from '../../web/components/admin.js';

/** /quan-tri: the sections an administrator (or an org-admin, for their subtree) may open. */
export const adminHomePage: Page = (app, _ctx, pages) => {
  app.get('/quan-tri', { schema: { hide: true } }, (request, reply) => {
    const principal = requireAdministrator(request.principal);
    const admin = principal.roles.includes('admin');
    return pages.send(request, reply, {
      title: 'Quản trị', description: 'Quản trị hệ thống: đơn vị, người dùng, tác vụ nền, nhật ký.', cache: 'private',
      body: (
        <>
          <h1>Quản trị</h1>
          <p>{admin ? 'Bạn quản trị toàn hệ thống.' : `Bạn quản trị đơn vị ${principal.orgCode} và các đơn vị trực thuộc.`}</p>
          <ul class="plain-list status-list">
            {sectionsFor(principal).map((section) => (
              <li>
                <h2><a href={section.path}>{section.title}</a></h2>
                <p class="meta">{section.description}</p>
              </li>
            ))}
          </ul>
        </>
      ),
    });
  });
};
