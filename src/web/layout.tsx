import type { ComponentChildren } from 'preact';
import { hasRole, type Principal } from '../auth/principal.js';
import { CsrfField } from './components/form.js';

export const SITE_NAME = 'Kho học liệu số dùng chung';

export interface LayoutProps {
  title: string;
  description: string;
  canonicalUrl: string | null;
  stylesheet: string;
  scripts: string[];
  /** Already serialised for a script element (see jsonLdText). */
  jsonLd: string[];
  principal: Principal | null;
  csrfToken: string | null;
  currentPath: string;
  /** The header's counter of unread notifications (null: not shown). */
  unreadNotifications: number | null;
  children: ComponentChildren;
}

/** The one layout of every page: skip link, header with the sign-in state, main landmark, footer. */
export function Layout(props: LayoutProps) {
  const signInHref = props.currentPath.startsWith('/dang-nhap') ? '/dang-nhap' : `/dang-nhap?tiep=${encodeURIComponent(props.currentPath)}`;
  return (
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — ${SITE_NAME}`}</title>
        <meta name="description" content={props.description} />
        {props.canonicalUrl ? <link rel="canonical" href={props.canonicalUrl} /> : <meta name="robots" content="noindex" />}
        {/* No icon of our own yet: an empty one keeps browsers from asking for /favicon.ico (a 404 in the console of every first visit). */}
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={props.stylesheet} />
        {props.scripts.map((src) => <script type="module" src={src} defer />)}
        {props.jsonLd.map((json) => <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: json }} />)}
      </head>
      <body>
        <a class="skip-link" href="#noi-dung">Bỏ qua đến nội dung chính</a>
        <header class="site-header">
          <div class="wrap bar">
            <a class="brand" href="/">{SITE_NAME}</a>
            <nav class="site-nav" aria-label="Điều hướng chính">
              <ul>
                <li><a href="/tim-kiem">Tìm kiếm</a></li>
                <li><a href="/lich-phat-song">Lịch phát sóng</a></li>
                {props.principal ? (
                  <>
                    <li><a href="/cua-toi">Học liệu của tôi</a></li>
                    {hasRole(props.principal, 'org-admin') ? <li><a href="/quan-tri">Quản trị</a></li> : null}
                    {hasRole(props.principal, 'reviewer') ? <li><a href="/tham-dinh">Thẩm định</a></li> : null}
                    {hasRole(props.principal, 'publisher') ? <li><a href="/xuat-ban">Xuất bản</a></li> : null}
                    <li>
                      <a href="/cua-toi/thong-bao">
                        Thông báo{props.unreadNotifications ? <> <span class="unread-count">{props.unreadNotifications}</span><span class="visually-hidden"> chưa đọc</span></> : null}
                      </a>
                    </li>
                    <li>
                      <form method="post" action="/dang-xuat">
                        <CsrfField token={props.csrfToken!} />
                        <button type="submit" class="link-button">Đăng xuất ({props.principal.displayName})</button>
                      </form>
                    </li>
                  </>
                ) : (
                  <li><a href={signInHref}>Đăng nhập</a></li>
                )}
              </ul>
            </nav>
          </div>
        </header>
        <main id="noi-dung" tabindex={-1}>
          <div class="wrap">{props.children}</div>
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>{SITE_NAME} — ngành giáo dục Việt Nam. Học liệu được thẩm định trước khi xuất bản.</p>
            <p><a href="/docs">API cho nhà phát triển</a></p>
          </div>
        </footer>
      </body>
    </html>
  );
}
