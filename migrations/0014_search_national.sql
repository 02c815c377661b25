-- Hand-written: the search index at national scale (docs/search.md). Existing entries keep working;
-- `npm run reindex` fills what they lack (taxonomy terms, body text, province, downloads).
ALTER TABLE search_documents DROP COLUMN document;
--> statement-breakpoint
ALTER TABLE search_documents DROP COLUMN plain_title;
--> statement-breakpoint
DROP INDEX IF EXISTS search_documents_grades_idx;
--> statement-breakpoint
ALTER TABLE search_documents
  ADD COLUMN province_code text NOT NULL DEFAULT '',
  ADD COLUMN downloads bigint NOT NULL DEFAULT 0,
  -- The Vietnamese names (and usual abbreviations) of the level, grades, subject, type and series, the school and the province.
  ADD COLUMN terms text NOT NULL DEFAULT '',
  ADD COLUMN body text NOT NULL DEFAULT '';
--> statement-breakpoint
-- No series is '' so that a facet cell can be keyed by it.
UPDATE search_documents SET series = '' WHERE series IS NULL;
--> statement-breakpoint
ALTER TABLE search_documents ALTER COLUMN series SET DEFAULT '', ALTER COLUMN series SET NOT NULL;
--> statement-breakpoint
-- Title above taxonomy terms above description above body text (weights A > B > C > D).
ALTER TABLE search_documents ADD COLUMN document tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', hoclieu_unaccent(title)), 'A') ||
  setweight(to_tsvector('simple', hoclieu_unaccent(terms)), 'B') ||
  setweight(to_tsvector('simple', hoclieu_unaccent(coalesce(description, ''))), 'C') ||
  setweight(to_tsvector('simple', hoclieu_unaccent(body)), 'D')
) STORED;
--> statement-breakpoint
CREATE INDEX search_documents_document_idx ON search_documents USING gin (document);
--> statement-breakpoint
CREATE INDEX search_documents_downloads_idx ON search_documents (downloads DESC, published_at DESC);
--> statement-breakpoint
CREATE INDEX search_documents_subject_idx ON search_documents (subject, published_at DESC);
--> statement-breakpoint
CREATE INDEX search_documents_type_idx ON search_documents (type, published_at DESC);
--> statement-breakpoint
CREATE INDEX search_documents_province_idx ON search_documents (province_code, published_at DESC);
--> statement-breakpoint
CREATE INDEX search_documents_org_idx ON search_documents (org_code, published_at DESC);
--> statement-breakpoint
CREATE INDEX search_documents_grades_idx ON search_documents USING gin (grades);
--> statement-breakpoint
-- The text of each page of a material's documents, to say on which page a word was found.
CREATE TABLE search_pages (
  material_id uuid NOT NULL,
  file_id uuid NOT NULL,
  file_name text NOT NULL,
  page integer NOT NULL,
  text text NOT NULL,
  document tsvector GENERATED ALWAYS AS (to_tsvector('simple', hoclieu_unaccent(text))) STORED,
  PRIMARY KEY (material_id, file_id, page)
);
--> statement-breakpoint
-- How many published materials each combination of level, grades, subject and type has (extra = ''),
-- and the same with one more dimension, province, series or licence, in `value` (extra names it):
-- browsing without text counts these few thousand rows instead of the published set. Exact: kept by the trigger below.
CREATE TABLE search_facet_cells (
  extra text NOT NULL,
  level text NOT NULL,
  grades integer[] NOT NULL,
  subject text NOT NULL,
  type text NOT NULL,
  value text NOT NULL,
  materials integer NOT NULL,
  PRIMARY KEY (extra, level, grades, subject, type, value)
);
--> statement-breakpoint
-- The facet columns alone, one narrow row per material: what counts that the cells cannot answer
-- (two of province, series and licence at once, a school) scan instead of the wide documents.
CREATE TABLE search_facet_rows (
  material_id uuid PRIMARY KEY,
  level text NOT NULL,
  grades integer[] NOT NULL,
  subject text NOT NULL,
  type text NOT NULL,
  province_code text NOT NULL,
  series text NOT NULL,
  license text NOT NULL,
  org_code text NOT NULL
);
--> statement-breakpoint
CREATE INDEX search_facet_rows_org_idx ON search_facet_rows (org_code);
--> statement-breakpoint
CREATE INDEX search_facet_rows_province_idx ON search_facet_rows (province_code);
--> statement-breakpoint
CREATE INDEX search_facet_rows_series_idx ON search_facet_rows (series) WHERE series <> '';
--> statement-breakpoint
-- What a title suggests while typing: the folded title without its "Bài 5:" numbering.
CREATE OR REPLACE FUNCTION hoclieu_title_key(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT left(btrim(regexp_replace(regexp_replace(hoclieu_unaccent($1),
    '^\s*(bai|tiet|chuong|chu de|phan|unit|lesson)\s*[0-9ivxlc]+\s*[:.)\-–—]?\s*', ''), '[^[:alnum:]]+', ' ', 'g')), 120) $$;
--> statement-breakpoint
CREATE TABLE search_suggestions (
  key text COLLATE "C" PRIMARY KEY,
  label text NOT NULL,
  materials integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX search_facet_cells_empty_idx ON search_facet_cells (materials) WHERE materials <= 0;
--> statement-breakpoint
CREATE INDEX search_suggestions_empty_idx ON search_suggestions (materials) WHERE materials <= 0;
--> statement-breakpoint
-- Keeps the facet cells, the suggestions and the known words in step with search_documents, in the
-- same statement (so in the same transaction): one pass per indexed batch, not per row.
CREATE FUNCTION search_documents_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  added constant text := 'SELECT level, grades, subject, type, province_code, series, license, title, 1 AS delta FROM new_rows';
  removed constant text := 'SELECT level, grades, subject, type, province_code, series, license, title, -1 AS delta FROM old_rows';
  delta text := CASE TG_OP WHEN 'INSERT' THEN added WHEN 'DELETE' THEN removed ELSE added || ' UNION ALL ' || removed END;
BEGIN
  -- Dynamic SQL: one function serves three triggers, and a statement naming a transition table its trigger lacks
  -- must never be planned. Keys in order keep concurrent batches from deadlocking.
  EXECUTE 'WITH d AS (' || delta || $q$), x AS (
      SELECT '' AS extra, level, grades, subject, type, '' AS value, delta FROM d
      UNION ALL SELECT 'province', level, grades, subject, type, province_code, delta FROM d
      UNION ALL SELECT 'series', level, grades, subject, type, series, delta FROM d
      UNION ALL SELECT 'license', level, grades, subject, type, license, delta FROM d)
    INSERT INTO search_facet_cells AS c (extra, level, grades, subject, type, value, materials)
    SELECT extra, level, grades, subject, type, value, sum(delta) FROM x
    GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (extra, level, grades, subject, type, value) DO UPDATE SET materials = c.materials + excluded.materials$q$;
  EXECUTE 'WITH d AS (' || delta || $q$)
    INSERT INTO search_suggestions AS s (key, label, materials)
    SELECT hoclieu_title_key(title), max(title), sum(delta) FROM d
    WHERE hoclieu_title_key(title) <> '' GROUP BY 1 HAVING sum(delta) <> 0 ORDER BY 1
    ON CONFLICT (key) DO UPDATE SET materials = s.materials + excluded.materials,
      label = CASE WHEN excluded.materials > 0 THEN excluded.label ELSE s.label END$q$;
  IF TG_OP <> 'INSERT' THEN
    EXECUTE 'DELETE FROM search_facet_rows r USING old_rows o WHERE r.material_id = o.material_id';
  END IF;
  IF TG_OP <> 'DELETE' THEN
    EXECUTE 'INSERT INTO search_facet_rows SELECT material_id, level, grades, subject, type, province_code, series, license, org_code FROM new_rows';
  END IF;
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM search_facet_cells WHERE materials <= 0;
    DELETE FROM search_suggestions WHERE materials <= 0;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    EXECUTE $q$INSERT INTO search_words (word)
      SELECT DISTINCT w FROM new_rows, unnest(tsvector_to_array(document)) AS w
      WHERE length(w) > 1 AND w !~ '^[0-9]+$' ORDER BY 1 ON CONFLICT DO NOTHING$q$;
  END IF;
  RETURN NULL;
END $fn$;
--> statement-breakpoint
CREATE TRIGGER search_documents_inserted AFTER INSERT ON search_documents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_documents_changed();
--> statement-breakpoint
CREATE TRIGGER search_documents_updated AFTER UPDATE ON search_documents
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_documents_changed();
--> statement-breakpoint
CREATE TRIGGER search_documents_deleted AFTER DELETE ON search_documents
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_documents_changed();
--> statement-breakpoint
INSERT INTO search_facet_cells (extra, level, grades, subject, type, value, materials)
  SELECT extra, level, grades, subject, type, value, count(*) FROM search_documents,
    LATERAL (VALUES ('', ''), ('province', province_code), ('series', series), ('license', license)) AS x(extra, value)
  GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO search_suggestions (key, label, materials)
  SELECT hoclieu_title_key(title), max(title), count(*) FROM search_documents WHERE hoclieu_title_key(title) <> '' GROUP BY 1;
--> statement-breakpoint
INSERT INTO search_facet_rows SELECT material_id, level, grades, subject, type, province_code, series, license, org_code FROM search_documents;
