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
