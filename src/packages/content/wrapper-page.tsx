import { renderToString } from 'preact-render-to-string';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import type { Assets } from '../../web/assets.js';
import { jsonLdText } from '../../web/render.js';
import { encodePath } from '../package.service.js';
import type { ContentApp } from './content-app.js';
import { packageFilePolicy, wrapperPolicy } from './content-policy.js';

const Params = Type.Object({ token: Type.String({ maxLength: 300 }) });

/** What src/packages/runtime/scorm-wrapper.ts reads from the page before it starts the SCO. */
export interface WrapperSettings {
  version: '1.2' | '2004';
  launchUrl: string;
  /** Where commits go; null for the public, whose attempts are not stored. */
  commitUrl: string | null;
  /** The learner's saved data (scorm-again's loadFromJSON shape), loaded before the SCO starts. */
  resume: Record<string, unknown> | null;
}

/**
 * The player page of a package: for SCORM, scorm-again's API object (`API` for 1.2, `API_1484_11` for
 * 2004) on this page and the SCO in a child frame of it, where it finds the API by walking up its
 * parents; for H5P, h5p-standalone on the unpacked file. HTML5 packages need none (framed as they are).
 */
export function wrapperPage(app: ContentApp, ctx: AppContext, options: { appOrigin: string; assets: Assets }): void {
  app.get('/w/:token', { schema: { params: Params } }, async (request, reply) => {
    const played = await ctx.packages.playable(request.params.token);
    if (!played) throw new AppError('CONTENT_TOKEN_INVALID');
    const token = request.params.token;
    if (played.row.kind === 'h5p') {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store')
        // H5P libraries are the package's code, under the package's policy; only the app frames the page.
        .header('content-security-policy', packageFilePolicy(options.appOrigin).replace(/frame-ancestors [^;]*$/, `frame-ancestors ${options.appOrigin}`))
        .send(h5pPage(token, played.row.title, options.assets));
    }
    if (played.row.kind !== 'scorm12' && played.row.kind !== 'scorm2004') throw AppError.notFound('route');
    const settings: WrapperSettings = {
      version: played.row.kind === 'scorm12' ? '1.2' : '2004',
      launchUrl: `/p/${token}/${encodePath(played.row.launchPath)}`,
      commitUrl: played.grant.userId ? `/c/${token}` : null,
      resume: await ctx.packages.resume(played),
    };
    const html = '<!doctype html>' + renderToString(
      <html lang="vi">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{played.row.title ?? 'Bài học SCORM'}</title>
          <style>{'html,body{margin:0;height:100%;overflow:hidden}iframe{border:0;width:100%;height:100%;display:block}'}</style>
          <script type="application/json" id="scorm-settings" dangerouslySetInnerHTML={{ __html: jsonLdText(settings) }} />
          <script type="module" src={options.assets.url('scorm-wrapper.js')} />
        </head>
        <body>
          <iframe id="sco" title={played.row.title ?? 'Bài học SCORM'} />
        </body>
      </html>,
    );
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('content-security-policy', wrapperPolicy(options.appOrigin)).send(html);
  });
}

/** h5p-standalone on the unpacked .h5p file: h5p.json, content/ and the libraries are under /p/<token>/. */
function h5pPage(token: string, title: string | null, assets: Assets): string {
  const settings = { h5pJsonPath: `/p/${token}`, mainJs: '/h5p/main.bundle.js', frameJs: '/h5p/frame.bundle.js', frameCss: '/h5p/styles/h5p.css' };
  return '<!doctype html>' + renderToString(
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title ?? 'Nội dung H5P'}</title>
        <script type="application/json" id="h5p-settings" dangerouslySetInnerHTML={{ __html: jsonLdText(settings) }} />
        <script type="module" src={assets.url('h5p-wrapper.js')} />
      </head>
      <body>
        <main id="h5p-container" />
      </body>
    </html>,
  );
}
