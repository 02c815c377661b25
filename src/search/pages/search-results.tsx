import { materialPath } from '../../materials/material-url.js';
import type { TaxonomyService } from '../../taxonomy/taxonomy.service.js';
import { classificationLine } from '../../web/components/classification.js';
import { formatDate } from '../../web/components/format.js';
import { MaterialCard } from '../../web/components/material-card.js';
import type { SearchHit } from '../search-backend.js';
import { posterPath } from '../../materials/pages/material-media.js';

/** The poster of a material's first picture or video, small: what a list of results can afford on a slow link. */
export const thumbnailUrl = (fileId: string | undefined) => (fileId ? posterPath(fileId, 320) : null);

export function ResultCards({ hits, posters, taxonomy, highlighted }: { hits: SearchHit[]; posters: Map<string, string>; taxonomy: TaxonomyService; highlighted: boolean }) {
  return (
    <ul class="cards">
      {hits.map((hit) => (
        <MaterialCard
          href={materialPath(hit.id, hit.title)} title={hit.title} posterUrl={thumbnailUrl(posters.get(hit.id))}
          // The backends escape the stored text before they add <mark> (highlight and markedHtml in
          // src/search/search-backend.ts): this HTML is safe, and it is the only field shown as HTML.
          titleHtml={highlighted ? hit.highlight.title : undefined}
          meta={`${classificationLine(taxonomy, hit)} · ${formatDate(hit.publishedAt)}`}
        >
          {highlighted && hit.highlight.description
            // Escaped by the backend, marks added after (see above).
            ? <p dangerouslySetInnerHTML={{ __html: hit.highlight.description }} />
            : hit.description ? <p>{hit.description.slice(0, 200)}</p> : null}
          {highlighted && hit.foundIn
            ? (
              <p class="found-in">
                <span class="meta">Trang {hit.foundIn.page} · {hit.foundIn.fileName}</span>{' '}
                {/* Escaped by the backend, marks added after (see above). */}
                <span dangerouslySetInnerHTML={{ __html: hit.foundIn.snippet }} />
              </p>
            )
            : null}
        </MaterialCard>
      ))}
    </ul>
  );
}
