import { Type } from 'typebox';
import { AppError } from '../../core/errors.js';
import { materialPath } from '../../materials/material-url.js';
import { thumbnailUrl } from '../../search/pages/search-results.js';
import { classificationLine, termName, gradeName } from '../../web/components/classification.js';
import { count, formatDate } from '../../web/components/format.js';
import { MaterialCard } from '../../web/components/material-card.js';
import type { Page } from '../../web/pages.js';
import { isUuid } from '../../http/types.js';

const Params = Type.Object({ id: Type.String({ maxLength: 100 }) });

/** A curated list of published materials, in its curator's order. */
export const collectionPage: Page = (app, ctx, pages) => {
  app.get('/bo-suu-tap/:id', { schema: { hide: true, params: Params } }, async (request, reply) => {
    if (!isUuid(request.params.id)) throw AppError.notFound('collection');
    const collection = await ctx.collections.get(request.params.id);
    const posters = await ctx.mediaRepository.publishedPosterFiles(collection.items.map((item) => item.id));
    const t = ctx.taxonomy;
    const scope = [
      collection.level ? termName(t, 'level', collection.level) : null,
      collection.grade ? gradeName(t, collection.grade) : null,
      collection.subject ? termName(t, 'subject', collection.subject) : null,
    ].filter(Boolean).join(' · ');
    const path = `/bo-suu-tap/${collection.id}`;
    return pages.send(request, reply, {
      title: collection.title,
      description: (collection.description ?? `Bộ sưu tập ${count(collection.items.length)} học liệu${scope ? `: ${scope}` : ''}.`).slice(0, 300),
      canonicalPath: path, cache: 'public',
      jsonLd: [{
        '@context': 'https://schema.org', '@type': 'Collection', name: collection.title, url: pages.absolute(path),
        ...(collection.description ? { description: collection.description } : {}),
        hasPart: collection.items.map((item) => ({ '@type': 'LearningResource', name: item.title, url: pages.absolute(materialPath(item.id, item.title)) })),
      }],
      body: (
        <>
          <h1>{collection.title}</h1>
          <p class="meta">{[scope, `${count(collection.items.length)} học liệu`, `tạo ngày ${formatDate(collection.createdAt)}`].filter(Boolean).join(' · ')}</p>
          {collection.description ? <p>{collection.description}</p> : null}
          {collection.items.length === 0 ? <p>Bộ sưu tập chưa có học liệu nào.</p> : (
            <ol class="cards">
              {collection.items.map((item) => (
                <MaterialCard href={materialPath(item.id, item.title)} title={item.title} posterUrl={thumbnailUrl(posters.get(item.id))} meta={classificationLine(t, item)} />
              ))}
            </ol>
          )}
        </>
      ),
    });
  });
};
