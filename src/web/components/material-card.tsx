import type { ComponentChildren } from 'preact';

export interface MaterialCardProps {
  href: string;
  title: string;
  /** The title as trusted HTML (search highlights); when given, it is shown instead of `title`. */
  titleHtml?: string;
  /** The poster's URL (320 px wide), if the material has one. */
  posterUrl?: string | null;
  meta: string;
  children?: ComponentChildren;
}

/** One material in a list: poster thumbnail, title link, classification line. */
export function MaterialCard(props: MaterialCardProps) {
  return (
    <li class="card">
      {/* The poster carries the title as its text alternative (the link below says it too, for screen readers it is not repeated). */}
      {props.posterUrl ? <img class="thumb" src={props.posterUrl} alt={props.title} width={320} height={180} loading="lazy" decoding="async" /> : null}
      <div class="body">
        <h3>
          {props.titleHtml !== undefined
            // Highlighted by the search backend, which escapes the text before adding <mark> (src/search/search-backend.ts).
            ? <a href={props.href} dangerouslySetInnerHTML={{ __html: props.titleHtml }} />
            : <a href={props.href}>{props.title}</a>}
        </h3>
        <p class="meta">{props.meta}</p>
        {props.children}
      </div>
    </li>
  );
}
