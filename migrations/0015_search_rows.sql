-- Hand-written: matching at national scale (docs/search.md, "Matching at scale"). One row per
-- published material holding what a text query reads for every match: the facet columns, the dates,
-- a small inline vector for the first score (`lead`) and every field's syllables and adjacent pairs
-- (`words`, kept out of line, GIN-indexed). Lexemes are made by the application
-- (src/search/postgres/match-lexemes.ts), so this table starts empty: `npm run reindex` fills it.
-- Browsing without text keeps counting the facet cells and the narrow search_facet_rows.
CREATE TABLE search_rows (
  material_id uuid PRIMARY KEY,
  level text NOT NULL,
  grades integer[] NOT NULL,
  subject text NOT NULL,
  type text NOT NULL,
  province_code text NOT NULL,
  series text NOT NULL,
  license text NOT NULL,
  org_code text NOT NULL,
  published_at timestamptz NOT NULL,
  downloads bigint NOT NULL,
  lead tsvector NOT NULL,
  words tsvector NOT NULL
) WITH (toast_tuple_target = 128);
--> statement-breakpoint
-- Out of line: scanning matched rows for their facets and first score never reads their full text.
ALTER TABLE search_rows ALTER COLUMN words SET STORAGE EXTERNAL, ALTER COLUMN lead SET STORAGE MAIN;
--> statement-breakpoint
CREATE INDEX search_rows_words_idx ON search_rows USING gin (words);
--> statement-breakpoint
CREATE INDEX search_rows_published_idx ON search_rows (published_at DESC);
--> statement-breakpoint
CREATE INDEX search_rows_downloads_idx ON search_rows (downloads DESC, published_at DESC);
--> statement-breakpoint
-- Filters meet a common word's matches in a BitmapAnd instead of reading every match.
CREATE INDEX search_rows_level_idx ON search_rows (level);
--> statement-breakpoint
CREATE INDEX search_rows_subject_idx ON search_rows (subject);
--> statement-breakpoint
CREATE INDEX search_rows_type_idx ON search_rows (type);
--> statement-breakpoint
CREATE INDEX search_rows_org_idx ON search_rows (org_code);
--> statement-breakpoint
CREATE INDEX search_rows_province_idx ON search_rows (province_code);
--> statement-breakpoint
CREATE INDEX search_rows_series_idx ON search_rows (series) WHERE series <> '';
--> statement-breakpoint
-- Text no longer matches on the positional document (only its best candidates are ranked on it).
DROP INDEX search_documents_document_idx;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;
--> statement-breakpoint
-- Browsing counts that the cells cannot answer (two of province, series and licence at once) meet
-- their filters in this one index, whatever the combination, instead of reading one filter's every row.
CREATE INDEX search_facet_rows_facets_idx ON search_facet_rows USING gin (level, grades, subject, type, province_code, series, license);
