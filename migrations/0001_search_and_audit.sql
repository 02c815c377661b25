-- Hand-written: extensions, the Postgres search index and the append-only audit guard.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
--> statement-breakpoint
-- unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes it safe
-- to use in a generated column and an index.
CREATE OR REPLACE FUNCTION hoclieu_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
--> statement-breakpoint
-- True when b is a with two adjacent letters swapped ("nma" for "nam"), the commonest typo.
CREATE OR REPLACE FUNCTION hoclieu_transposed(a text, b text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT length(a) = length(b) AND a <> b AND EXISTS (
    SELECT 1 FROM generate_series(1, length(a) - 1) AS i
    WHERE overlay(a PLACING substr(a, i + 1, 1) || substr(a, i, 1) FROM i FOR 2) = b) $$;
--> statement-breakpoint
CREATE TABLE search_documents (
  material_id uuid PRIMARY KEY, -- derived index, like a Meilisearch one: no foreign key
  title text NOT NULL,
  description text,
  type text NOT NULL,
  level text NOT NULL,
  grades integer[] NOT NULL,
  subject text NOT NULL,
  series text,
  org_code text NOT NULL,
  license text NOT NULL,
  published_at timestamptz NOT NULL,
  plain_title text GENERATED ALWAYS AS (hoclieu_unaccent(title)) STORED,
  document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', hoclieu_unaccent(title)), 'A') ||
    setweight(to_tsvector('simple', hoclieu_unaccent(coalesce(description, ''))), 'B')
  ) STORED
);
--> statement-breakpoint
CREATE INDEX search_documents_document_idx ON search_documents USING gin (document);
--> statement-breakpoint
CREATE INDEX search_documents_title_trgm_idx ON search_documents USING gin (plain_title gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX search_documents_published_idx ON search_documents (published_at DESC);
--> statement-breakpoint
CREATE INDEX search_documents_grades_idx ON search_documents USING gin (grades);
--> statement-breakpoint
-- Words of every indexed title, for typo-tolerant matching of a single mistyped word.
CREATE TABLE search_words (word text COLLATE "C" PRIMARY KEY);
--> statement-breakpoint
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops);
--> statement-breakpoint
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
