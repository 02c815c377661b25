import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { materialTopic } from '../../core/public-cache.js';
import { mediaKindOf } from '../../media/media.service.js';
import { gradeNames, termName } from '../../web/components/classification.js';
import { fileSize, formatDate, isoDate } from '../../web/components/format.js';
import type { Page } from '../../web/pages.js';
import type { PageOptions, PageRenderer } from '../../web/render.js';
import { attributionText, licenceUrl } from './licence.js';
import { materialJsonLd } from './material-json-ld.js';
import { downloadUrl, FileView, isCaptionFile, type ShownFile } from './material-media.js';
import { materialPath, slugOf } from '../material-url.js';
import { QuestionBankSummary } from './question-bank-summary.js';
import { DocumentViewer } from '../../documents/pages/document-viewer.js';
import { isUuid } from '../../http/types.js';
import type { Principal } from '../../auth/principal.js';
import { PackagePlayer } from '../../packages/pages/package-player.js';

// Loose on purpose: a malformed id is a page not found, not a validation error.
const Params = Type.Object({ id: Type.String({ maxLength: 100 }), slug: Type.Optional(Type.String({ maxLength: 300 })) });

/** The public page of a published material; a draft, an archived or an unknown id is the 404 page. */
async function show(ctx: AppContext, pages: PageRenderer, { id, slug }: Static<typeof Params>, request: FastifyRequest, reply: FastifyReply) {
  if (!isUuid(id)) throw AppError.notFound('material');
  // The same for every anonymous reader until the material is published anew or archived.
  return pages.sendShared(request, reply, async () => {
    const material = await ctx.materials.published(id);
    const path = materialPath(material.id, material.title);
    if (slug !== slugOf(material.title)) return reply.redirect(path, 301);
    return { ...(await materialPageOptions(ctx, pages, material, path, request.principal)), topics: [materialTopic(material.id)] };
  });
}

async function materialPageOptions(ctx: AppContext, pages: PageRenderer, material: Awaited<ReturnType<AppContext['materials']['published']>>, path: string, principal: Principal | null): Promise<PageOptions> {

  const files: ShownFile[] = await Promise.all(material.files.map(async (file) => ({
    ...file, renditions: mediaKindOf(file.mime) ? await ctx.mediaRepository.renditions(file.sha256) : [],
  })));
  // Published files: their preview URLs need no signature. The public sees a preview, or that this
  // server cannot make one; a preview still being made or that failed leaves the download alone.
  const documents = new Map((await Promise.all(material.files.map(async (file) => [file.id, await ctx.documents.view(file, { sign: '', withText: true })] as const)))
    .filter(([, view]) => view?.state === 'ready' || view?.state === 'unavailable'));
  // A signed-in learner's SCORM attempts are stored; the public's are not.
  const packages = new Map(await Promise.all(material.files.map(async (file) => [file.id, await ctx.packages.view(file, principal)] as const)));
  const captions = files.filter(isCaptionFile);
  const video = files.find((file) => mediaKindOf(file.mime) === 'video' && file.renditions.some((r) => r.kind === 'poster')) ?? null;
  const summary = material.type === 'question-bank' ? await ctx.questions.summary(null, material.id) : null;

  const t = ctx.taxonomy;
  const levelName = termName(t, 'level', material.level);
  const grades = gradeNames(t, material.grades);
  const subjectName = termName(t, 'subject', material.subject);
  const typeName = termName(t, 'material-type', material.type);
  const licenceName = termName(t, 'license', material.license);
  const canonical = pages.absolute(path);
  const attribution = attributionText({
    title: material.title, author: material.owner.displayName, school: material.org.name, province: material.province?.name ?? null,
    licenceCode: material.license, licenceName, url: canonical,
  });
  const deed = licenceUrl(material.license);
  const needsPlayer = files.some((file) => mediaKindOf(file.mime) === 'video');

  return {
    title: material.title,
    description: (material.description ?? `${typeName} — ${subjectName}, ${grades.join(', ') || levelName}`).slice(0, 300),
    canonicalPath: path, cache: 'public', frameSources: [...packages.values()].some(Boolean) ? [ctx.packages.contentOrigin] : [], scripts: needsPlayer ? ['player.js'] : [],
    jsonLd: materialJsonLd({
      url: canonical, absolute: (p) => pages.absolute(p), title: material.title, description: material.description, language: material.language,
      levelName, gradeNames: grades, subjectName, typeName, licenceCode: material.license, author: material.owner.displayName,
      school: material.org.name, publishedAt: material.publishedAt, version: material.version, video,
    }),
    body: (
      <article>
        <p class="meta"><a href={`/tim-kiem?loai=${encodeURIComponent(material.type)}`}>{typeName}</a></p>
        <h1>{material.title}</h1>
        {files.map((file) => {
          const player = packages.get(file.id);
          if (player) return <PackagePlayer view={player} title={material.title} />;
          const document = documents.get(file.id);
          return document ? <DocumentViewer document={document} title={material.title} /> : <FileView file={file} title={material.title} captions={captions} />;
        })}
        {material.description ? <p>{material.description}</p> : null}
        <dl class="facts">
          <dt>Cấp học</dt><dd><a href={`/tim-kiem?cap=${encodeURIComponent(material.level)}`}>{levelName}</a></dd>
          {grades.length ? <><dt>Lớp</dt><dd>{grades.join(', ')}</dd></> : null}
          <dt>Môn học</dt><dd><a href={`/tim-kiem?cap=${encodeURIComponent(material.level)}&mon=${encodeURIComponent(material.subject)}`}>{subjectName}</a></dd>
          {material.series ? <><dt>Bộ sách</dt><dd>{termName(t, 'series', material.series)}</dd></> : null}
          <dt>Người đóng góp</dt><dd>{material.owner.displayName}, {material.org.name}{material.province ? `, ${material.province.name}` : ''}</dd>
          {material.publishedAt ? <><dt>Ngày xuất bản</dt><dd><time datetime={isoDate(material.publishedAt)}>{formatDate(material.publishedAt)}</time></dd></> : null}
          <dt>Phiên bản</dt><dd>{material.version}</dd>
          <dt>Giấy phép</dt><dd>{deed ? <a href={deed} rel="license">{licenceName}</a> : licenceName}</dd>
        </dl>
        <section aria-labelledby="ghi-nguon">
          <h2 id="ghi-nguon">Ghi nguồn khi sử dụng lại</h2>
          <p>{attribution}</p>
        </section>
        {summary ? <QuestionBankSummary summary={summary} /> : null}
        {files.length ? (
          <section aria-labelledby="tai-xuong">
            <h2 id="tai-xuong">Tải xuống</h2>
            <ul class="files">
              {files.map((file) => <li><a href={downloadUrl(file)}>{file.name}</a> <span class="meta">({fileSize(file.size)})</span></li>)}
            </ul>
          </section>
        ) : null}
      </article>
    ),
  };
}

export const materialPage: Page = (app, ctx, pages) => {
  app.get('/hoc-lieu/:id', { schema: { hide: true, params: Params } }, (request, reply) => show(ctx, pages, request.params, request, reply));
  app.get('/hoc-lieu/:id/:slug', { schema: { hide: true, params: Params } }, (request, reply) => show(ctx, pages, request.params, request, reply));
};
