-- The facet columns stay in the row. With toast_tuple_target = 128 (0015, which pushes the words out
-- of line), every EXTENDED value over 24 bytes was moved to the TOAST table too: the grades array and
-- long subject codes cost a TOAST fetch each time a matched row was filtered or counted. PLAIN keeps them
-- inline; rows written before this take it on their next write (`npm run reindex`).
ALTER TABLE search_rows ALTER COLUMN level SET STORAGE PLAIN, ALTER COLUMN grades SET STORAGE PLAIN,
  ALTER COLUMN subject SET STORAGE PLAIN, ALTER COLUMN type SET STORAGE PLAIN, ALTER COLUMN province_code SET STORAGE PLAIN,
  ALTER COLUMN series SET STORAGE PLAIN, ALTER COLUMN license SET STORAGE PLAIN, ALTER COLUMN org_code SET STORAGE PLAIN;
--> statement-breakpoint
-- One GIN index over the words and every facet column (btree_gin, from 0015): a common word under
-- filters is one index scan that skips along the rarest posting list, instead of a BitmapAnd of a
-- 400 000-row level bitmap, a 180 000-row word bitmap and a subject one (docs/search.md).
CREATE INDEX search_rows_match_idx ON search_rows USING gin (words, level, subject, type, province_code, series, license, grades, org_code);
--> statement-breakpoint
DROP INDEX search_rows_words_idx;
--> statement-breakpoint
DROP INDEX search_rows_level_idx;
--> statement-breakpoint
DROP INDEX search_rows_subject_idx;
--> statement-breakpoint
DROP INDEX search_rows_type_idx;
--> statement-breakpoint
DROP INDEX search_rows_org_idx;
--> statement-breakpoint
DROP INDEX search_rows_province_idx;
--> statement-breakpoint
DROP INDEX search_rows_series_idx;
